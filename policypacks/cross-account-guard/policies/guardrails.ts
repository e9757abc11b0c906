/**
 * Guardrails that do something: a service or resource control policy whose Deny statements never
 * match (actions the Service Authorization Reference does not know, conditions on keys none of the
 * denied actions carry) or whose conditions exempt every principal they govern reports itself.
 */
import { resourceRule } from "../lib/rule";
import { Statement, statementsOf } from "../lib/iam/policy";
import { expand, isEverything, unknownPatterns } from "../lib/iam/actions";
import { Condition, matchesAnything } from "../lib/iam/conditions";

/** Keys that identify the principal: a negated condition on them exempts the principals it matches. */
const PRINCIPAL_KEYS = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:userid",
    "aws:username",
    "aws:principaltype",
];

/** Global keys (aws:...) may be present for any action; service keys only where the reference lists them. */
function keyNeverPresent(c: Condition, s: Statement): boolean {
    if (c.key.startsWith("aws:") || isEverything(s.actions) || c.base === "Null" || c.ifExists) return false;
    const actions = expand(s.actions);
    if (actions.length === 0) return false;
    const base = c.key.replace(/\/.*$/, "/");
    return !actions.some((a) => a.conditionKeys.some((k) => k === c.key || (k.includes("/") && k.startsWith(base))));
}

/** Why a Deny never applies (undefined when it can). */
function neverApplies(s: Statement): string | undefined {
    const unknown = unknownPatterns(s.actions);
    if (!s.actions.except && unknown.length === s.actions.patterns.length && unknown.length > 0)
        return `denies only actions the Service Authorization Reference does not know (${unknown.join(", ")})`;
    const exempting = s.conditions.find(
        (c) =>
            c.negated &&
            PRINCIPAL_KEYS.includes(c.key) &&
            c.values.some((v) => matchesAnything(c, v) || /^arn:[^:]*:iam::\*:(role|user)\/\*$/.test(v)),
    );
    if (exempting) return `its ${exempting.operator} on ${exempting.keyAsWritten} exempts every principal (${exempting.values.join(", ")})`;
    const absent = s.conditions.find((c) => !c.negated && keyNeverPresent(c, s));
    if (absent) return `its condition on ${absent.keyAsWritten} can never match: none of the denied actions carries that key`;
    return undefined;
}

export const guardrailsEffective = resourceRule(
    {
        name: "scp-effective",
        description:
            "Service and resource control policies do something: no Deny denies only unknown actions (a typo), exempts every principal with a wildcard negated condition, or conditions on a key none of its actions carries; unknown action names are reported wherever they appear.",
        category: "deployment-safety",
        severity: "high",
        remediation:
            "Spell actions as the Service Authorization Reference does, exempt only named break-glass roles (ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/<name>), and condition on keys the denied actions support.",
    },
    ["aws:organizations/policy:Policy"],
    (policy, report) => {
        const type = String(policy.props.type ?? "SERVICE_CONTROL_POLICY");
        if (type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY") return;
        const statements = statementsOf(policy.props.content);
        if (statements.length === 0) report("The policy has no statement: it changes nothing.");
        for (const s of statements) {
            const unknown = unknownPatterns(s.actions);
            if (s.effect === "Deny") {
                const why = neverApplies(s);
                if (why) report(`Statement ${s.sid} never applies: it ${why}.`);
                else if (unknown.length > 0)
                    report(`Statement ${s.sid} names actions the Service Authorization Reference does not know: ${unknown.join(", ")}.`);
            }
        }
    },
);

export const guardrailPolicies = [guardrailsEffective];
