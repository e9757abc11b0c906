/**
 * Access granted outside policy documents: KMS grants, Lambda and layer permissions, RAM shares,
 * Lambda function URLs and S3 ACLs. Each names a grantee in its own inputs; the grantee must be in
 * the environment (the allowed accounts and the resource's own), never everyone, and a service
 * grantee must be tied to its source (the confused deputy).
 */
import { allowedAccountsConfig, anyResourceRule, AnyResource } from "../lib/rule";
import { accountIn } from "../lib/iam/principals";
import { ownAccountOf } from "../lib/accounts";

/** The organization IDs of the environment, for RAM shares and Lambda permissions to an organization. */
const organizationsConfig = {
    allowedOrganizationIds: {
        schema: {
            type: "array",
            items: { type: "string", pattern: "^o-[a-z0-9]{10,32}$" },
            description: "The environment's organizations.",
        },
        default: [] as string[],
    },
};

interface Context {
    readonly allowed: readonly string[];
    readonly organizations: readonly string[];
}

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const isService = (principal: string) => /\.amazonaws\.com(\.cn)?$/.test(principal);
const truthy = (value: unknown) => value === true || text(value).toLowerCase() === "true";

/** A principal named in a grant: outside the environment, everyone, or fine (undefined). */
function judgePrincipal(principal: string, what: string, context: Context): string | undefined {
    if (principal === "*") return `${what} is "*" (everyone)`;
    const account = accountIn(principal) ?? /^arn:[^:]+:iam::(\d{12}):/.exec(principal)?.[1];
    if (account && !context.allowed.includes(account)) return `${what} ${principal} is in ${account}, outside allowedAccountIds`;
    const organization = /(o-[a-z0-9]{10,32})/.exec(principal)?.[1];
    if (!account && organization && !context.organizations.includes(organization))
        return `${what} ${principal} is an organization outside allowedOrganizationIds`;
    return undefined;
}

type Judge = (props: Readonly<Record<string, unknown>>, context: Context) => (string | undefined)[];

/** Lambda permissions: a service principal needs its source (SourceArn or SourceAccount); "*" needs an organization. */
const lambdaPermission: Judge = (p, context) => {
    const principal = text(p.principal);
    if (principal === "*" && text(p.functionUrlAuthType).toUpperCase() === "NONE")
        return ["the function URL permission lets anyone invoke without authentication"];
    if (principal === "*" && p.principalOrgId) return [judgePrincipal(text(p.principalOrgId), "principalOrgId", context)];
    if (isService(principal) && !p.sourceArn && !p.sourceAccount)
        return [`service ${principal} may invoke for any account's resources: no sourceArn or sourceAccount`];
    return [
        judgePrincipal(principal, "principal", context),
        ...[p.sourceAccount, p.sourceArn].map((v) => (v ? judgePrincipal(text(v), "source", context) : undefined)),
    ];
};

/** S3 ACL grants to groups of everyone, or to canonical users and e-mail addresses the pack cannot place in an account. */
const bucketAcl: Judge = (p) => {
    const canned = text(p.acl);
    const policy = (p.accessControlPolicy ?? {}) as {
        grants?: { grantee?: { type?: string; uri?: string; id?: string; emailAddress?: string } }[];
        owner?: { id?: string };
    };
    const grants = Array.isArray(policy.grants) ? policy.grants : [];
    return [
        canned && canned !== "private" ? `the canned ACL "${canned}" grants access beyond the bucket owner` : undefined,
        ...grants.map(({ grantee }) => {
            if (grantee?.uri && /AllUsers|AuthenticatedUsers/.test(grantee.uri)) return `an ACL grant to ${grantee.uri} (everyone)`;
            if (grantee?.emailAddress) return `an ACL grant to ${grantee.emailAddress}, an account the pack cannot check`;
            if (grantee?.id && grantee.id !== policy.owner?.id) return `an ACL grant to canonical user ${grantee.id}, not the owner`;
            return grantee?.uri ? `an ACL grant to the group ${grantee.uri}` : undefined;
        }),
    ];
};

/** Ownership controls other than BucketOwnerEnforced leave ACLs enabled: objects can carry grants the bucket policy does not show. */
const ownershipControls: Judge = (p) => {
    const ownership = text((p.rule as { objectOwnership?: unknown } | undefined)?.objectOwnership);
    return [ownership === "BucketOwnerEnforced" ? undefined : `object ownership "${ownership || "(none)"}" leaves ACLs enabled`];
};

/** A bucket's own canned ACL and inline grants (deprecated inputs @pulumi/aws still accepts). */
const bucketGrants: Judge = (p) => {
    const grants = Array.isArray(p.grants) ? (p.grants as { type?: string; uri?: string; id?: string }[]) : [];
    return [
        p.acl !== undefined && text(p.acl) !== "private"
            ? `the canned ACL "${text(p.acl)}" grants access beyond the bucket owner`
            : undefined,
        ...grants.map((g) => (g.uri ? `an ACL grant to the group ${g.uri}` : g.id ? `an ACL grant to canonical user ${g.id}` : undefined)),
    ];
};

/** Shares of images, snapshots and documents with accounts: "all" is everyone. */
const sharedWith =
    (field: string): Judge =>
    (p, c) => {
        const ids = String(p[field] ?? "")
            .split(",")
            .map((v) => v.trim())
            .filter(Boolean);
        return [
            text(p.group) === "all" ? "shared with every AWS account (group all)" : undefined,
            ...ids.map((id) => (id.toLowerCase() === "all" ? "shared with every AWS account" : judgePrincipal(id, "account", c))),
            ...[p.organizationArn, p.organizationalUnitArn].map((v) => (v ? judgePrincipal(text(v), "organization", c) : undefined)),
        ];
    };

const JUDGES: Readonly<Record<string, Judge>> = {
    "aws:s3/bucket:Bucket": bucketGrants,
    "aws:s3/bucketV2:BucketV2": bucketGrants,
    "aws:ec2/amiLaunchPermission:AmiLaunchPermission": sharedWith("accountId"),
    "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission": sharedWith("accountId"),
    "aws:ssm/document:Document": (p, c) => {
        const permissions = (p.permissions ?? {}) as { type?: string; accountIds?: string };
        return sharedWith("accountIds")({ accountIds: permissions.accountIds }, c);
    },
    "aws:cloudwatch/eventPermission:EventPermission": (p, c) => {
        const condition = (p.condition ?? {}) as { key?: string; value?: string };
        if (text(p.principal) === "*")
            return [
                condition.key === "aws:PrincipalOrgID"
                    ? judgePrincipal(text(condition.value), "organization", c)
                    : "the event bus accepts events from every account",
            ];
        return [judgePrincipal(text(p.principal), "principal", c)];
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ownershipControls,
    "aws:kms/grant:Grant": (p, c) => [
        judgePrincipal(text(p.granteePrincipal), "granteePrincipal", c),
        p.retiringPrincipal ? judgePrincipal(text(p.retiringPrincipal), "retiringPrincipal", c) : undefined,
    ],
    "aws:lambda/permission:Permission": lambdaPermission,
    "aws:lambda/layerVersionPermission:LayerVersionPermission": (p, c) => [
        text(p.principal) === "*" && !p.organizationId
            ? "the layer is shared with every account"
            : judgePrincipal(text(p.principal) === "*" ? text(p.organizationId) : text(p.principal), "principal", c),
    ],
    "aws:lambda/functionUrl:FunctionUrl": (p) => [
        text(p.authorizationType).toUpperCase() === "NONE"
            ? "the function URL needs no authentication (authorizationType NONE)"
            : undefined,
    ],
    "aws:ram/principalAssociation:PrincipalAssociation": (p, c) => [judgePrincipal(text(p.principal), "principal", c)],
    "aws:ram/resourceShare:ResourceShare": (p) => [
        p.allowExternalPrincipals === undefined || truthy(p.allowExternalPrincipals)
            ? "the share allows principals outside the organization (allowExternalPrincipals is not false)"
            : undefined,
    ],
    "aws:s3/bucketAcl:BucketAcl": bucketAcl,
    "aws:s3/bucketAclV2:BucketAclV2": bucketAcl,
};

export const grantResourcesTrusted = anyResourceRule(
    {
        name: "grant-resources-trusted",
        description:
            "Grants declared as resources (KMS grants, Lambda and layer permissions, function URLs, RAM shares and associations, S3 ACLs) name only grantees in the environment: never everyone, no account outside the allowed list, no service without its source.",
        category: "public-access",
        severity: "critical",
        remediation:
            "Grant to principals of the allowed accounts (or the allowed organizations); give service principals sourceArn/sourceAccount; set allowExternalPrincipals: false; use bucket policies instead of ACLs.",
        config: { ...allowedAccountsConfig("grant resources"), ...organizationsConfig },
    },
    (resource: AnyResource, report, config) => {
        const judge = JUDGES[resource.type];
        if (!judge) return;
        const own = ownAccountOf(resource, config.stackAccounts);
        const context = {
            allowed: own ? [...config.allowedAccountIds, own] : config.allowedAccountIds,
            organizations: config.allowedOrganizationIds,
        };
        for (const problem of judge(resource.props, context)) if (problem) report(`${problem}.`);
    },
);

export const grantPolicies = [grantResourcesTrusted];
