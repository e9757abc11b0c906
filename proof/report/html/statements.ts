/**
 * The policy statements that decide a path, shown when a path is selected on the page: for a
 * refusal, the statements that denied it explicitly (or the policies that lack an Allow); for an
 * allowed path, the Allow statements for its action in the resource's policy, the caller's role
 * policies and the endpoint's policy, and for a guardrail the SCP statements that speak of the
 * action. Read from the same inventory the proof used.
 */
import { PathResult } from "../../access/prove";
import { Inventory } from "../../access/inventory";
import { NamedPolicy } from "../../access/simulator";
import { PolicyDocument } from "../../../lib/policies/document";
import { policyRef, policyWords } from "../names";

export interface DecidingStatement {
    /** The policy in the report's words ("research bucket policy"). */
    readonly policy: string;
    /** Allow, Deny, or "no Allow" for a policy that has none for the request. */
    readonly effect: string;
    /** The statement as compact JSON, or a sentence where there is no statement to show. */
    readonly text: string;
}

type Statement = PolicyDocument["Statement"][number] & Record<string, unknown>;

const list = (value: unknown): string[] => (value === undefined ? [] : ([] as string[]).concat(value as string | string[]));
const pattern = (glob: string) =>
    new RegExp(
        `^${glob
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
const matchesAny = (globs: readonly string[], value: string) => globs.some((g) => pattern(g).test(value));

function coversAction(st: Statement, action: string): boolean {
    if (st.Action !== undefined) return matchesAny(list(st.Action), action);
    if (st.NotAction !== undefined) return !matchesAny(list(st.NotAction), action);
    return false;
}

function coversResource(st: Statement, resource: string): boolean {
    if (st.Resource !== undefined) return matchesAny(list(st.Resource), resource) || matchesAny(list(st.Resource), resource.split("/")[0]);
    if (st.NotResource !== undefined) return !matchesAny(list(st.NotResource), resource);
    return true;
}

/** Whether a resource policy's statement names the principal: its ARN, its account, a service, or anyone. */
function coversPrincipal(st: Statement, principal: string): boolean {
    if (st.Principal === undefined) return true;
    const text = JSON.stringify(st.Principal);
    const account = accountOf(principal);
    return text.includes('"*"') || text.includes(principal) || (account !== undefined && text.includes(account));
}

const accountOf = (arn: string) => /^arn:[^:]+:[^:]+::(\d{12}):/.exec(arn)?.[1];

/**
 * Whether the statement's conditions on the keys every request carries (the caller's ARN and
 * account, the resource's account) admit this request; other conditions are not judged here.
 */
function conditionsFit(st: Statement, path: PathResult["path"]): boolean {
    const account = accountOf(path.principal);
    const known: Record<string, string | undefined> = {
        "aws:principalarn": path.principal,
        "aws:principalaccount": account,
        "aws:resourceaccount": path.resourceAccount,
    };
    return Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)
        .filter(([operator]) => !/Not|IfExists/.test(operator))
        .every(([, keys]) =>
            Object.entries(keys).every(([key, values]) => {
                const value = known[key.toLowerCase()];
                if (value === undefined) return true;
                // Policy variables: the caller's account as the request gives it, any other as a wildcard.
                const globs = list(values).map((v) =>
                    String(v)
                        .replace(/\$\{aws:PrincipalAccount\}/g, account ?? "*")
                        .replace(/\$\{[^}]*\}/g, "*"),
                );
                return matchesAny(globs, value);
            }),
        );
}

/** Compact JSON: the page indents it when it shows it. */
const show = (st: Statement) => JSON.stringify(st);
const words = (policy: NamedPolicy | string) => policyWords(policyRef(typeof policy === "string" ? policy : policy.name));

/** Every policy the inventory holds, by the name the simulator reports it under. */
function policiesByName(inventory: Inventory): Map<string, NamedPolicy> {
    const all: NamedPolicy[] = [
        ...[...inventory.roles.values()].flatMap((r) => [r.trust, ...r.identity]),
        ...[...inventory.buckets.values(), ...inventory.keys.values()].flatMap((r) => (r.policy ? [r.policy] : [])),
        ...[...inventory.endpoints.values()].flatMap((e) => (e.policy ? [e.policy] : [])),
        ...inventory.modelPackageGroups.values(),
        ...inventory.repositories.values(),
        ...inventory.managedPolicies.values(),
        ...[...inventory.scps.values()].flat(),
    ];
    return new Map(all.map((p) => [p.name, p]));
}

export class StatementFinder {
    private readonly byName: Map<string, NamedPolicy>;

    constructor(private readonly inventory: Inventory) {
        this.byName = policiesByName(inventory);
    }

    /** The statements that decide one path, each with its policy in the report's words. */
    decidingStatements(result: PathResult): DecidingStatement[] {
        const { path, decision } = result;
        if (!decision.allowed) {
            const denials = decision.denials.filter((d) => !(d.policyType === "identity" && path.identity === "none"));
            const explicit = denials.filter((d) => d.explicit);
            if (explicit.length > 0) {
                return explicit.flatMap((d) => {
                    const policy = (d.policy && this.byName.get(d.policy)) || this.ofType(d.policyType, path);
                    const statements = (policy?.document.Statement ?? []) as Statement[];
                    const st =
                        statements.find((s) => s.Sid !== undefined && s.Sid === d.statementId) ??
                        statements.find((s, i) => `#${i + 1}` === d.statementId || String(i) === d.statementId);
                    return [
                        {
                            policy: words(policy ?? d.policy ?? d.policyType),
                            effect: "Deny",
                            text: st ? show(st) : `statement ${d.statementId ?? "?"} (not found in the declared policy)`,
                        },
                    ];
                });
            }
            return denials.map((d) => ({
                policy: words(d.policy ?? d.policyType),
                effect: "no Allow",
                text: `No statement of this policy allows ${path.action} on ${path.resource} for ${path.principal}: refused by default.`,
            }));
        }
        const trustOnly = /^arn:[^:]+:iam::/.test(path.resource) && !path.action.startsWith("sts:");
        const resource = trustOnly ? undefined : this.inventory.resourcePolicyFor(path.resource);
        const identity = path.identity === "declared" ? (this.inventory.roles.get(path.principal)?.identity ?? []) : [];
        const endpoint = path.endpointId ? this.inventory.endpoints.get(path.endpointId)?.policy : undefined;
        const allows = (policy: NamedPolicy, principal: boolean) =>
            (policy.document.Statement as Statement[])
                .filter(
                    (st) =>
                        st.Effect === "Allow" &&
                        coversAction(st, path.action) &&
                        conditionsFit(st, path) &&
                        (!principal || coversPrincipal(st, path.principal)) &&
                        coversResource(st, path.resource),
                )
                .map((st) => ({ policy: words(policy), effect: "Allow", text: show(st) }));
        const scps =
            path.architecture === "guardrails"
                ? (this.inventory.scpsFor(path.principal) ?? []).filter((p) => !p.name.startsWith("FullAWSAccess"))
                : [];
        return [
            ...(resource ? allows(resource, true) : []),
            ...identity.flatMap((p) => allows(p, false)),
            ...(endpoint ? allows(endpoint, true) : []),
            ...scps.flatMap((p) =>
                (p.document.Statement as Statement[])
                    .filter((st) => coversAction(st, path.action))
                    .map((st) => ({ policy: words(p), effect: `${st.Effect} (its condition is not met)`, text: show(st) })),
            ),
            ...(path.identity === "administrator" && !resource
                ? [{ policy: "any identity policy of its account", effect: "Allow", text: "An administrator's identity policy allows it." }]
                : []),
        ];
    }

    /** The one policy of a kind on a path, where the simulator names the kind only. */
    private ofType(type: string, path: PathResult["path"]): NamedPolicy | undefined {
        if (type === "resource") return this.inventory.resourcePolicyFor(path.resource);
        if (type === "vpce" && path.endpointId) return this.inventory.endpoints.get(path.endpointId)?.policy;
        return undefined;
    }
}
