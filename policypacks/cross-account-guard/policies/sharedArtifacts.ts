/**
 * Consumers read shared artifacts; only research writes them. A resource policy of a bucket,
 * repository or model registry lets other accounts read and list, never write, delete, tag or
 * change permissions (the reference's access levels); and no non-administrator role of a stack
 * may write to a bucket the stack does not own (another account's artifacts).
 */
import { PolicyResource } from "@pulumi/policy";
import { anyResourceRule, stackRule, stackAccountsConfig } from "../lib/rule";
import { AccessLevel } from "../lib/iam/catalog";
import { expand, someActions, wildcardRegex } from "../lib/iam/actions";
import { Statement, statementsOf, trusteesOf } from "../lib/iam/policy";
import { RESOURCE_POLICY_FIELDS } from "../lib/iam/documentFields";
import { isNamedRole, roleNameOf, rolePermissions } from "../lib/iam/attachments";
import { ownAccountOf } from "../lib/accounts";

const CHANGES: readonly AccessLevel[] = ["Write", "Permissions management", "Tagging"];

/** The artifact stores and the service whose actions reach their contents. */
const ARTIFACT_STORES: Readonly<Record<string, string>> = {
    "aws:s3/bucketPolicy:BucketPolicy": "s3",
    "aws:s3/accessPoint:AccessPoint": "s3",
    "aws:s3control/accessPointPolicy:AccessPointPolicy": "s3",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "ecr",
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": "sagemaker",
};

/** The actions of `service` a statement grants that change what is stored. */
function changes(s: Statement, service: string): string[] {
    return expand(s.actions, [service])
        .filter((a) => a.name.startsWith(`${service}:`) && a.levels.some((l) => CHANGES.includes(l)))
        .map((a) => a.name);
}

export const sharedArtifactsReadOnly = anyResourceRule(
    {
        name: "shared-artifacts-read-only",
        description:
            "Policies of shared artifact stores (buckets, access points, ECR repositories, SageMaker model package groups) let other accounts read and list only: no write, delete, tagging or permissions-management action.",
        category: "public-access",
        severity: "critical",
        remediation:
            "Grant consumers Get/List/Describe actions only (s3:GetObject, s3:ListBucket); writes stay with the owning account's roles.",
        config: stackAccountsConfig(),
    },
    (resource, report, config) => {
        const service = ARTIFACT_STORES[resource.type];
        if (!service) return;
        const own = ownAccountOf(resource, config.stackAccounts);
        const field = RESOURCE_POLICY_FIELDS[resource.type].field;
        for (const s of statementsOf(resource.props[field]).filter((x) => x.effect === "Allow" && x.principals)) {
            const who = trusteesOf(s);
            const others = who.anyone || who.allButListed ? ["anyone"] : who.accounts.filter((a) => a !== own);
            // Without the owner's account, every named account may be a consumer: a write to any of them is reported.
            const written = others.length > 0 || (!own && s.principals!.everyone) ? changes(s, service) : [];
            if (written.length > 0)
                report(
                    `statement ${s.sid} lets ${others.join(", ") || "other accounts"} ${someActions(written)}: consumers read shared artifacts, only the owner writes.`,
                );
        }
    },
);

/** The bucket an S3 resource ARN names (`arn:aws:s3:::name/key` → name), `*` for every bucket. */
function bucketOf(resource: string): string | undefined {
    if (resource === "*") return "*";
    return /^arn:[^:]+:s3:::([^/]+)/.exec(resource)?.[1];
}

/** A role whose trust policy lets principals of other accounts assume it: a consumer's way in. */
function isConsumerRole(role: PolicyResource, stackAccounts: Readonly<Record<string, string>>): boolean {
    const own = ownAccountOf(role as unknown as Parameters<typeof ownAccountOf>[0], stackAccounts);
    return statementsOf((role.props as { assumeRolePolicy?: unknown }).assumeRolePolicy)
        .filter((s) => s.effect === "Allow")
        .some((s) => trusteesOf(s).accounts.some((a) => a !== own));
}

/** Whether a bucket pattern of a policy can only name buckets the stack declares. */
function ownedBy(pattern: string, buckets: readonly PolicyResource[], writable: readonly string[]): boolean {
    if ([...writable].some((w) => wildcardRegex(w, "").test(pattern))) return true;
    if (/[*?]/.test(pattern)) return false;
    return buckets.some((b) => (b.props as { bucket?: unknown }).bucket === pattern);
}

export const noWritesToOthersBuckets = stackRule(
    {
        name: "shared-artifacts-no-foreign-writes",
        description:
            "No role of a stack, other than its administrators, may write, delete or re-permission objects in a bucket the stack does not declare (the research account's shared artifacts, for a consumer).",
        category: "least-privilege",
        severity: "high",
        remediation:
            "Grant consumer roles s3:GetObject / s3:ListBucket on shared buckets; add a bucket the stack writes to writableBuckets if it lives elsewhere by design.",
        config: {
            administratorRoles: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description: "Roles (resource or role names, wildcards) exempt: they deploy the buckets.",
                },
                default: [] as string[],
            },
            ...stackAccountsConfig(),
            writableBuckets: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description: "Buckets outside the stack its roles may write to (names, wildcards).",
                },
                default: [] as string[],
            },
        },
    },
    (resources, report, config) => {
        const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2");
        for (const { role, statements } of rolePermissions(resources)) {
            const roleName = roleNameOf(role);
            if (isNamedRole(role, config.administratorRoles)) continue;
            for (const { from, statement } of statements.filter((x) => x.statement.effect === "Allow")) {
                const written = changes(statement, "s3");
                const patterns = statement.resources.except ? ["*"] : statement.resources.patterns;
                const named = [...new Set(patterns.map(bucketOf).filter((b): b is string => !!b))];
                // A role other accounts assume is a consumer's: it reads even the stack's own buckets.
                const consumer = isConsumerRole(role, config.stackAccounts);
                const foreign = consumer ? named : named.filter((b) => !ownedBy(b, buckets, config.writableBuckets));
                if (written.length > 0 && foreign.length > 0 && consumer)
                    report(
                        `Role ${roleName} (${from}, statement ${statement.sid}), which other accounts assume, may ${someActions(written)} in ${foreign.join(", ")}: consumers read shared artifacts, only the owner writes.`,
                        role.urn,
                    );
                else if (written.length > 0 && foreign.length > 0)
                    report(
                        `Role ${roleName} (${from}, statement ${statement.sid}) may ${someActions(written)} in ${foreign.join(", ")}, a bucket this stack does not own.`,
                        role.urn,
                    );
            }
        }
    },
);

export const sharedArtifactPolicies = [sharedArtifactsReadOnly, noWritesToOthersBuckets];
