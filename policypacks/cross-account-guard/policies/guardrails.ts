/**
 * Guardrails that do something: a service or resource control policy whose Deny statements never
 * match (actions the Service Authorization Reference does not know, conditions on keys none of the
 * denied actions carry) or whose conditions exempt every principal they govern reports itself.
 */
import { PolicyResource } from "@pulumi/policy";
import { anyResourceRule, stackRule } from "../lib/rule";
import { documentsOf } from "../lib/iam/documentFields";
import { keyShape } from "../lib/iam/catalog";
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

/** Whether a condition key exists at all: global keys in the reference's list (tag keys by prefix), service keys in the service's. */
function keyKnown(key: string): boolean {
    return keyShape(key) !== "unknown";
}

/** Global keys (aws:...) may be present for any action; service keys only where the reference lists them. */
function keyNeverPresent(c: Condition, s: Statement): boolean {
    if (c.key.startsWith("aws:")) return !keyKnown(c.key);
    if (isEverything(s.actions)) return false;
    const actions = expand(s.actions);
    if (actions.length === 0) return false;
    const base = c.key.replace(/\/.*$/, "/");
    return !actions.some((a) => a.conditionKeys.some((k) => k === c.key || (k.includes("/") && k.startsWith(base))));
}

/** A condition that can never hold: a positive match on a key never present, or `Null: false` requiring one. */
function neverHolds(c: Condition, s: Statement): boolean {
    const requiresPresence = c.base === "Null" ? c.values.every((v) => v.toLowerCase() === "false") : !c.negated && !c.ifExists;
    return requiresPresence && keyNeverPresent(c, s);
}

/** Why a Deny never applies (undefined when it can); `governed` are the accounts and organizations it is attached to. */
export function neverApplies(s: Statement, governed: readonly string[]): string | undefined {
    const unknown = unknownPatterns(s.actions);
    if (!s.actions.except && unknown.length === s.actions.patterns.length && unknown.length > 0)
        return `denies only actions the Service Authorization Reference does not know (${unknown.join(", ")})`;
    const exempting = s.conditions.find(
        (c) =>
            c.negated &&
            PRINCIPAL_KEYS.includes(c.key) &&
            c.values.some((v) => matchesAnything(c, v) || /^arn:[^:]*:iam::\*:(role|user)\/\*$/.test(v) || governed.includes(v)),
    );
    if (exempting)
        return `its ${exempting.operator} on ${exempting.keyAsWritten} exempts every principal it governs (${exempting.values.join(", ")})`;
    const absent = s.conditions.find((c) => neverHolds(c, s));
    if (absent)
        return `its condition on ${absent.keyAsWritten} can never hold: ${absent.key.startsWith("aws:") ? "no such global key" : "none of the denied actions carries that key"}`;
    return undefined;
}

/** The account IDs and organization / OU IDs a policy is attached to (by dependency or policyId). */
function governedBy(policy: PolicyResource, resources: readonly PolicyResource[]): string[] {
    return resources
        .filter((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment")
        .filter(
            (a) =>
                (a.propertyDependencies?.policyId ?? []).some((d) => d.urn === policy.urn) ||
                (a.props as { policyId?: unknown }).policyId === (policy.props as { id?: unknown }).id,
        )
        .map((a) => String((a.props as { targetId?: unknown }).targetId ?? ""))
        .filter(Boolean);
}

export const guardrailsEffective = stackRule(
    {
        name: "scp-effective",
        description:
            "Service and resource control policies do something: no Deny denies only unknown actions (a typo), exempts every principal with a wildcard negated condition, or conditions on a key none of its actions carries; unknown action names are reported wherever they appear.",
        category: "deployment-safety",
        severity: "high",
        remediation:
            "Spell actions as the Service Authorization Reference does, exempt only named break-glass roles (ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/<name>), and condition on keys the denied actions support.",
        config: {
            organizationIds: {
                schema: {
                    type: "array",
                    items: { type: "string", pattern: "^o-[a-z0-9]{10,32}$" },
                    description: "The organization the policies govern.",
                },
                default: [] as string[],
            },
        },
    },
    (resources, report, config) => {
        for (const policy of resources.filter((r) => r.type === "aws:organizations/policy:Policy")) {
            const props = policy.props as { type?: unknown; content?: unknown };
            const type = String(props.type ?? "SERVICE_CONTROL_POLICY");
            if (type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY") continue;
            // Every principal an SCP governs is in the organization: a negated match on its ID exempts them all.
            const governed = [...governedBy(policy, resources), ...config.organizationIds];
            const statements = statementsOf(props.content);
            if (statements.length === 0) report("The policy has no statement: it changes nothing.", policy.urn);
            for (const s of statements.filter((x) => x.effect === "Deny")) {
                const why = neverApplies(s, governed);
                const unknown = unknownPatterns(s.actions);
                if (why) report(`Statement ${s.sid} never applies: it ${why}.`, policy.urn);
                else if (unknown.length > 0)
                    report(
                        `Statement ${s.sid} names actions the Service Authorization Reference does not know: ${unknown.join(", ")}.`,
                        policy.urn,
                    );
            }
        }
    },
);

/**
 * The same question of the Deny statements every other policy carries (a bucket's TLS deny, a
 * key's VPC endpoint deny, a role's Region guard): a typo in one silently switches it off.
 */
export const denyStatementsEffective = anyResourceRule(
    {
        name: "policy-deny-effective",
        description:
            "Deny statements of identity, resource, trust and endpoint policies can apply: not only unknown actions, no condition that can never hold, no wildcard exemption of every principal.",
        category: "deployment-safety",
        severity: "high",
        remediation: "Spell actions and condition keys as the Service Authorization Reference does; exempt named principals only.",
    },
    (resource, report) => {
        for (const { kind, document } of documentsOf(resource.type, resource.props).filter((d) => d.kind !== "scp")) {
            for (const s of statementsOf(document).filter((x) => x.effect === "Deny")) {
                const why = neverApplies(s, []);
                if (why) report(`${kind} policy statement ${s.sid} never applies: it ${why}.`);
            }
        }
    },
);

export const guardrailPolicies = [guardrailsEffective, denyStatementsEffective];
