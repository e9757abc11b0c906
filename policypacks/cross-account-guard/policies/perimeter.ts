/**
 * The VPC-only rule for shared data: a bucket or key policy that lets other accounts use the data
 * must also deny them outside VPC endpoints. Either form of network perimeter counts: pinned to
 * endpoints or VPCs (`aws:SourceVpce`, `aws:SourceVpc`), or by the endpoint's owner
 * (`aws:VpceAccount`, `aws:VpceOrgID`, `aws:VpceOrgPaths`, IAM's keys since 2025).
 */
import { resourceRule, stackAccountsConfig } from "../lib/rule";
import { Statement, statementsOf, trusteesOf } from "../lib/iam/policy";
import { restricting } from "../lib/iam/conditions";
import { grants, someActions } from "../lib/iam/actions";
import { accountOfPrincipal } from "../lib/iam/principals";
import { keyUseIn, s3ActionsIn } from "../lib/iam/dataAccess";
import { ownAccountOf } from "../lib/accounts";

const NETWORK_KEYS = ["aws:sourcevpce", "aws:sourcevpc", "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths"];

const DATA_TYPES = ["aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key"] as const;

/** Data actions: of a bucket, every S3 action; of a key, its use (not its administration). */
const DATA_ACTIONS: Readonly<Record<(typeof DATA_TYPES)[number], (s: Statement) => string[]>> = {
    "aws:s3/bucketPolicy:BucketPolicy": (s) => s3ActionsIn(s.actions),
    "aws:kms/key:Key": (s) => keyUseIn(s.actions),
};

/**
 * A Deny that applies outside the named networks: a negated operator on a network key matches a
 * request from anywhere else (and, without IfExists, one with no endpoint at all).
 */
function isNetworkDeny(s: Statement): boolean {
    return (
        s.effect === "Deny" &&
        s.conditions.some((c) => c.negated && /^String/.test(c.base) && NETWORK_KEYS.includes(c.key) && c.values.length > 0)
    );
}

/**
 * The other accounts an Allow reaches ("*" for anyone): its principals' accounts, or, for "*"
 * narrowed by real account conditions (kms:CallerAccount, aws:PrincipalAccount), those accounts.
 * A grant already confined to VPC endpoints by its own real network condition reaches none outside them.
 */
function othersReached(grant: Statement, own: string): string[] {
    if (restricting(grant.conditions, NETWORK_KEYS).length > 0) return [];
    const p = grant.principals!;
    const who = trusteesOf(grant);
    if (who.anyone || p.except) return ["*"];
    if (p.everyone) {
        const pinned = who.accounts.filter((a) => a !== own);
        return who.accounts.length > 0 ? pinned : ["*"];
    }
    return p.aws.map((q) => accountOfPrincipal(q) ?? q).filter((a) => a !== own);
}

/** Whether a Deny applies to the accounts (everyone, or principals of each of them). */
function deniesTo(deny: Statement, accounts: readonly string[]): boolean {
    const p = deny.principals;
    if (!p || p.everyone) return true;
    return accounts.every((a) => p.aws.some((q) => (accountOfPrincipal(q) ?? q) === a));
}

export const dataVpcEndpointOnly = resourceRule(
    {
        name: "data-vpc-endpoint-only",
        description:
            "A bucket or key policy that lets other accounts use the data denies them outside VPC endpoints: by endpoint or VPC ID (aws:SourceVpce, aws:SourceVpc) or by the endpoint's owner (aws:VpceAccount, aws:VpceOrgID, aws:VpceOrgPaths).",
        category: "vpc-only",
        severity: "high",
        remediation:
            'Add a Deny for the granted actions with StringNotEquals on aws:VpceAccount ("${aws:PrincipalAccount}") or on aws:SourceVpce (the consumers\' endpoint IDs); keep AWS services acting for principals out with BoolIfExists aws:ViaAWSService false.',
        config: stackAccountsConfig(),
    },
    DATA_TYPES,
    (resource, report, config) => {
        const own = ownAccountOf(resource, config.stackAccounts);
        // Without the owning account, cross-account grants cannot be told from the owner's own.
        if (!own) return;
        const statements = statementsOf(resource.props.policy);
        const denies = statements.filter(isNetworkDeny);
        for (const grant of statements.filter((s) => s.effect === "Allow" && s.principals)) {
            const foreign = othersReached(grant, own);
            const data = DATA_ACTIONS[resource.type](grant);
            if (foreign.length === 0 || data.length === 0) continue;
            const uncovered = data.filter((action) => !denies.some((deny) => deniesTo(deny, foreign) && grants(deny.actions, action)));
            if (uncovered.length > 0) {
                const shown = someActions(uncovered);
                report(
                    `statement ${grant.sid} lets ${foreign.join(", ")} use ${shown} with no Deny outside VPC endpoints (aws:SourceVpce, aws:SourceVpc, aws:VpceAccount or aws:VpceOrgID)`,
                );
            }
        }
    },
);

export const perimeterPolicies = [dataVpcEndpointOnly];
