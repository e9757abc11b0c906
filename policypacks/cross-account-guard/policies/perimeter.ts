/**
 * The VPC-only rule for shared data: a bucket or key policy that lets other accounts use the data
 * must also deny them outside VPC endpoints. Either form of network perimeter counts: pinned to
 * endpoints or VPCs (`aws:SourceVpce`, `aws:SourceVpc`), or by the endpoint's owner
 * (`aws:VpceAccount`, `aws:VpceOrgID`, `aws:VpceOrgPaths`, IAM's keys since 2025).
 */
import { resourceRule } from "../lib/rule";
import { NormalStatement, accountOfPrincipal, actionCovers, statementsOf } from "../lib/documents";
import { ProviderProps } from "../lib/props";

const NETWORK_KEYS = ["aws:sourcevpce", "aws:sourcevpc", "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths"];
/** Operators that match a request from outside the named networks (a missing key matches too, so no endpoint is outside). */
const NEGATED = /^(ForAnyValue:|ForAllValues:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike)(IfExists)?$/;

const DATA_TYPES = ["aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key"] as const;

/** Data actions: of a bucket, everything; of a key, its use (not its administration). */
const DATA_ACTIONS: Readonly<Record<(typeof DATA_TYPES)[number], RegExp>> = {
    "aws:s3/bucketPolicy:BucketPolicy": /^(\*|s3:.*)$/i,
    "aws:kms/key:Key": /^(\*|kms:\*|kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign|Verify|CreateGrant).*)$/i,
};

function isNetworkDeny(s: NormalStatement): boolean {
    return (
        s.effect === "Deny" &&
        Object.entries(s.condition).some(
            ([operator, keys]) => NEGATED.test(operator) && Object.keys(keys ?? {}).some((key) => NETWORK_KEYS.includes(key.toLowerCase())),
        )
    );
}

/** The one account a resource's AWS provider may deploy into: the account that owns it. */
function ownAccountOf(provider?: { readonly props: ProviderProps }): string | undefined {
    const value = provider?.props.allowedAccountIds;
    const ids = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(ids) && ids.length === 1 ? String(ids[0]) : undefined;
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
    },
    DATA_TYPES,
    (resource, report) => {
        const own = ownAccountOf(resource.provider);
        // Without the owning account, cross-account grants cannot be told from the owner's own.
        if (!own) return;
        const statements = statementsOf(resource.props.policy);
        const denies = statements.filter(isNetworkDeny);
        for (const grant of statements.filter((s) => s.effect === "Allow")) {
            const foreign = grant.principalWildcard
                ? ["*"]
                : grant.awsPrincipals.map((p) => accountOfPrincipal(p) ?? p).filter((a) => a !== own);
            const data = grant.actions.filter((a) => DATA_ACTIONS[resource.type].test(a));
            if (foreign.length === 0 || data.length === 0) continue;
            const applies = (deny: NormalStatement) =>
                deny.principalWildcard || foreign.every((a) => deny.awsPrincipals.some((p) => (accountOfPrincipal(p) ?? p) === a));
            const uncovered = data.filter(
                (action) => !denies.some((deny) => applies(deny) && deny.actions.some((pattern) => actionCovers(pattern, action))),
            );
            if (uncovered.length > 0) {
                report(
                    `statement ${grant.sid} lets ${foreign.join(", ")} use ${uncovered.join(", ")} with no Deny outside VPC endpoints (aws:SourceVpce, aws:SourceVpc, aws:VpceAccount or aws:VpceOrgID)`,
                );
            }
        }
    },
);

export const perimeterPolicies = [dataVpcEndpointOnly];
