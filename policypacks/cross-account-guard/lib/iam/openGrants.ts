/**
 * The question every resource-policy rule asks (bucket, key, repository, topic, queue, secret,
 * ...): does an Allow reach anyone, an account outside the allowed ones, or every principal of an
 * account root, without a real restriction? A condition narrows principals within an account; it
 * never brings an account outside the list inside it, so foreign accounts are reported with or
 * without one.
 */
import { Statement, sourcePins, statementsOf, trusteesOf } from "./policy";

/** Why the conditions did not count, appended to a message when there are any. */
const hollowNote = (hollow: readonly string[]) => (hollow.length > 0 ? ` (${hollow.join("; ")})` : "");

/**
 * Problems with a resource policy's Allow statements. `ownAccount`, the resource's own account,
 * counts as allowed, and a grant to its root is delegation to that account's IAM policies, not a
 * cross-account grant. `grantsData` says whether a statement gives access to the data (rather than
 * administration), which a whole other account's root may not have without a condition naming the roles.
 */
export interface OpenGrantOptions {
    /** Whether a statement reaches the data (default: every statement does). */
    readonly grantsData?: (s: Statement) => boolean;
    /** The resource's own account, when known. */
    readonly ownAccount?: string;
    /**
     * With the own account unknown, leave grants to allowed accounts' roots unjudged (a stack rule
     * judges them with the account learned from the rest of the stack): one of them may be the
     * owner's, AWS's default delegation to IAM.
     */
    readonly deferAllowedRoots?: boolean;
}

export function openGrants(policy: unknown, allowedAccounts: readonly string[], options: OpenGrantOptions = {}): string[] {
    const { grantsData = () => true, ownAccount, deferAllowedRoots = false } = options;
    const allowed = ownAccount ? [...allowedAccounts, ownAccount] : allowedAccounts;
    return statementsOf(policy)
        .filter((s) => s.effect === "Allow" && s.principals)
        .flatMap((s) => {
            const who = trusteesOf(s);
            const foreign = who.accounts.filter((a) => !allowed.includes(a));
            if (who.allButListed) return [`statement ${s.sid} allows everyone but the principals NotPrincipal lists`];
            if (foreign.length > 0) {
                return [
                    `statement ${s.sid} allows ${foreign.join(", ")}, outside allowedAccountIds${who.restricted ? " (its condition narrows the principals within that account; the account is still outside the list)" : ", without a restricting condition"}`,
                ];
            }
            const services = s.principals?.services ?? [];
            const pins = services.length > 0 ? sourcePins(s) : [];
            if (pins === undefined)
                return [
                    `statement ${s.sid} lets ${services.join(", ")} act for any account's resources: no real aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition (confused deputy)`,
                ];
            const foreignSources = pins.filter((a) => !allowed.includes(a));
            if (foreignSources.length > 0)
                return [`statement ${s.sid} lets ${services.join(", ")} act for ${foreignSources.join(", ")}, outside allowedAccountIds`];
            if (who.anyone) return [`statement ${s.sid} allows "*" without a condition restricting the principal${hollowNote(who.hollow)}`];
            if (who.restricted) return [];
            const deferred = (root: string) => !ownAccount && deferAllowedRoots && allowedAccounts.some((a) => root.includes(a));
            const roots = who.roots.filter((p) => (!ownAccount || !p.includes(ownAccount)) && !deferred(p));
            return roots.length > 0 && grantsData(s)
                ? [
                      `statement ${s.sid} grants data access to every principal of ${roots.join(", ")}; expected an aws:PrincipalArn (or similar) condition naming the roles${hollowNote(who.hollow)}`,
                  ]
                : [];
        });
}
