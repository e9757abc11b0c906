/** S3 rules: default encryption with a customer managed key, no public access, TLS only, scoped grants. */
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { allowedAccountsConfig, resourceRule, stackRule } from "../lib/rule";
import { BUCKET_TYPES, StackResource, isOfType, ofTypes, settingsFor } from "../lib/resources";
import { ResourceType } from "../lib/props";
import { statementsOf } from "../lib/iam/policy";
import { coversService } from "../lib/iam/actions";
import { openGrants } from "../lib/iam/openGrants";
import { ownAccountOf } from "../lib/accounts";

const ENCRYPTION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
] as const;
const PUBLIC_ACCESS_TYPES = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"] as const;
const OWNERSHIP_TYPES = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"] as const;
const ACL_TYPES = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"] as const;
const VERSIONING_TYPES = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"] as const;
const LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"] as const;
const POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy"] as const;

type Bucket = StackResource<(typeof BUCKET_TYPES)[number]>;
type EncryptionConfiguration = StackResource<(typeof ENCRYPTION_TYPES)[number]>;

/** Runs `check` for every bucket with the settings resources of `types` that point at it. */
function eachBucket<T extends ResourceType>(
    resources: readonly PolicyResource[],
    types: readonly T[],
    check: (bucket: Bucket, settings: StackResource<T>[]) => string | undefined,
    report: ReportViolation,
): void {
    for (const bucket of ofTypes(resources, BUCKET_TYPES)) {
        const problem = check(bucket, settingsFor(bucket, resources, types, "bucket", "bucket"));
        if (problem) report(`Bucket ${bucket.name}: ${problem}`, bucket.urn);
    }
}

/** Buckets that receive server access logs: S3 accepts only SSE-S3 default encryption on them. */
function accessLogTargets(resources: readonly PolicyResource[]): Set<string> {
    const targets = ofTypes(resources, BUCKET_TYPES).filter((b) =>
        ofTypes(resources, LOGGING_TYPES).some((l) => settingsFor(b, [l], LOGGING_TYPES, "targetBucket", "bucket").length > 0),
    );
    return new Set(targets.map((b) => b.urn));
}

/**
 * Settings resources of `types` that point at no bucket of this stack (a bucket of another stack,
 * imported, or named by a string): judged on their own, since no bucket rule reaches them.
 */
function standalone<T extends ResourceType>(resources: readonly PolicyResource[], types: readonly T[]): StackResource<T>[] {
    const buckets = ofTypes(resources, BUCKET_TYPES);
    return ofTypes(resources, types).filter(
        (setting) => !buckets.some((b) => settingsFor(b, [setting], types, "bucket", "bucket").length > 0),
    );
}

/** Whether a BucketLogging of this stack delivers to the bucket a standalone setting names (same dependency, or same name). */
function namedAsLogTarget(setting: EncryptionConfiguration, resources: readonly PolicyResource[]): boolean {
    const bucketDeps = (setting.propertyDependencies?.bucket ?? []).map((d) => d.urn);
    return ofTypes(resources, LOGGING_TYPES).some((logging) => {
        const targetDeps = (logging.propertyDependencies?.targetBucket ?? []).map((d) => d.urn);
        if (bucketDeps.length > 0 && targetDeps.length > 0) return bucketDeps.some((u) => targetDeps.includes(u));
        return setting.props.bucket !== undefined && logging.props.targetBucket === setting.props.bucket;
    });
}

/** What is wrong with a bucket's default encryption settings, given whether it receives access logs. */
function encryptionProblem(settings: readonly EncryptionConfiguration[], logTarget: boolean): string | undefined {
    const rules = settings.flatMap((s) => s.props.rules ?? []);
    const byDefault = rules.map((r) => r.applyServerSideEncryptionByDefault).filter((d) => !!d);
    if (byDefault.length === 0) return "has no default encryption configuration";
    if (byDefault.some((d) => d.sseAlgorithm === "aws:kms" || d.sseAlgorithm === "aws:kms:dsse")) {
        const withKey = byDefault.filter((d) => "kmsMasterKeyId" in d);
        if (withKey.length === 0) return "uses aws:kms with the AWS managed key; expected kmsMasterKeyId naming a customer managed key";
        return withKey.some((d) => /alias\/aws\//.test(String(d.kmsMasterKeyId)))
            ? "names an AWS managed key alias; expected a customer managed key"
            : undefined;
    }
    return logTarget ? undefined : `uses ${byDefault[0].sseAlgorithm}; expected aws:kms with a customer managed key`;
}

export const bucketEncryptionCmk = stackRule<{ allowSseS3ForAccessLogTargets: boolean }>(
    {
        name: "s3-bucket-encryption-cmk",
        description:
            "Every S3 bucket, and every encryption configuration of a bucket outside the stack, has default encryption with aws:kms and a customer managed key.",
        category: "encryption",
        severity: "high",
        remediation:
            'Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm "aws:kms", kmsMasterKeyId set to a customer managed key ARN, and bucketKeyEnabled true.',
        config: {
            allowSseS3ForAccessLogTargets: {
                schema: {
                    type: "boolean",
                    description: "Accept SSE-S3 on buckets that receive server access logs, where AWS does not support SSE-KMS.",
                },
                default: true,
            },
        },
    },
    (resources, report, config) => {
        const logTargets = config.allowSseS3ForAccessLogTargets ? accessLogTargets(resources) : new Set<string>();
        eachBucket(resources, ENCRYPTION_TYPES, (bucket, settings) => encryptionProblem(settings, logTargets.has(bucket.urn)), report);
        for (const setting of standalone(resources, ENCRYPTION_TYPES)) {
            // SSE-S3 passes only where this stack shows the bucket receives access logs.
            const problem = encryptionProblem([setting], config.allowSseS3ForAccessLogTargets && namedAsLogTarget(setting, resources));
            if (problem) report(`Encryption configuration ${setting.name} (bucket outside this stack) ${problem}`, setting.urn);
        }
    },
);

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const bucketPublicAccessBlock = stackRule(
    {
        name: "s3-public-access-block",
        description:
            "Every S3 bucket blocks public ACLs and policies with all four public access block settings, and no public access block of a bucket outside the stack leaves one off.",
        category: "public-access",
        severity: "critical",
        remediation:
            "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    },
    (resources, report) => {
        eachBucket(
            resources,
            PUBLIC_ACCESS_TYPES,
            (_bucket, settings) => {
                if (settings.length === 0) return "has no public access block";
                const off = PUBLIC_ACCESS_FLAGS.filter((f) => !settings.some((s) => s.props[f] === true));
                return off.length > 0 ? `public access block leaves ${off.join(", ")} off` : undefined;
            },
            report,
        );
        for (const setting of standalone(resources, PUBLIC_ACCESS_TYPES)) {
            const off = PUBLIC_ACCESS_FLAGS.filter((f) => setting.props[f] !== true);
            if (off.length > 0)
                report(`Public access block ${setting.name} (bucket outside this stack) leaves ${off.join(", ")} off`, setting.urn);
        }
    },
);

export const bucketAclsDisabled = stackRule(
    {
        name: "s3-acls-disabled",
        description: "Every S3 bucket disables ACLs (object ownership BucketOwnerEnforced) and declares no ACL.",
        category: "public-access",
        severity: "high",
        remediation:
            'Add an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced", and remove aws.s3.BucketAcl resources and acl inputs; grant access with bucket policies.',
    },
    (resources, report) =>
        eachBucket(
            resources,
            [...OWNERSHIP_TYPES, ...ACL_TYPES],
            (bucket, settings) => {
                if (settings.some((s) => isOfType(s, ACL_TYPES))) return "declares an ACL resource";
                if ("acl" in bucket.props && bucket.props.acl !== "private") return `sets acl "${bucket.props.acl}"`;
                const enforced = settings.some(
                    (s) => isOfType(s, OWNERSHIP_TYPES) && s.props.rule?.objectOwnership === "BucketOwnerEnforced",
                );
                return enforced ? undefined : "does not enforce bucket owner object ownership (ACLs stay enabled)";
            },
            report,
        ),
);

export const bucketVersioning = stackRule<{ exemptAccessLogTargets: boolean }>(
    {
        name: "s3-versioning",
        description: "Buckets that hold models or data keep object versions, so an overwrite or delete can be undone.",
        category: "resilience",
        severity: "medium",
        remediation: 'Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status "Enabled".',
        config: {
            exemptAccessLogTargets: {
                schema: { type: "boolean", description: "Do not require versioning on buckets that only receive access logs." },
                default: false,
            },
        },
    },
    (resources, report, config) => {
        const exempt = config.exemptAccessLogTargets ? accessLogTargets(resources) : new Set<string>();
        eachBucket(
            resources,
            VERSIONING_TYPES,
            (bucket, settings) =>
                exempt.has(bucket.urn) || settings.some((s) => s.props.versioningConfiguration?.status === "Enabled")
                    ? undefined
                    : "does not enable versioning",
            report,
        );
    },
);

export const bucketAccessLogging = stackRule(
    {
        name: "s3-access-logging",
        description: "Buckets other than log targets deliver server access logs.",
        category: "observability",
        severity: "low",
        remediation:
            "Add an aws.s3.BucketLogging for the bucket with a targetBucket that has SSE-S3 encryption and a bucket policy for logging.s3.amazonaws.com.",
    },
    (resources, report) => {
        const logTargets = accessLogTargets(resources);
        eachBucket(
            resources,
            LOGGING_TYPES,
            (bucket, settings) => (logTargets.has(bucket.urn) || settings.length > 0 ? undefined : "has no server access logging"),
            report,
        );
    },
);

/** The statement of a bucket policy that denies every request without TLS, for the bucket and its objects. */
function deniesInsecureTransport(policy: unknown): boolean {
    return statementsOf(policy).some((s) => {
        const insecure = s.conditions.some(
            (c) =>
                c.base === "Bool" &&
                !c.qualifier &&
                c.key === "aws:securetransport" &&
                c.values.length > 0 &&
                c.values.every((v) => v.toLowerCase() === "false"),
        );
        const everyone = !!s.principals?.everyone && !s.principals.except;
        const allActions = coversService(s.actions, "s3");
        const resources = s.resources.except ? [] : s.resources.patterns;
        const bucketAndObjects = resources.some((r) => r.endsWith("/*") || r === "*") && resources.some((r) => !r.includes("/"));
        return s.effect === "Deny" && insecure && everyone && allActions && bucketAndObjects;
    });
}

export const bucketTlsOnly = stackRule(
    {
        name: "s3-tls-only",
        description:
            "Every S3 bucket, and every bucket policy of a bucket outside the stack, denies requests without TLS (aws:SecureTransport false) to the bucket and its objects.",
        category: "encryption",
        severity: "high",
        remediation:
            'Add to the bucket policy: {Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucketArn, bucketArn + "/*"], Condition: {Bool: {"aws:SecureTransport": "false"}}}.',
    },
    (resources, report) => {
        eachBucket(
            resources,
            POLICY_TYPES,
            (_bucket, settings) =>
                settings.some((s) => deniesInsecureTransport(s.props.policy))
                    ? undefined
                    : "has no bucket policy denying requests without TLS",
            report,
        );
        for (const setting of standalone(resources, POLICY_TYPES)) {
            if (!deniesInsecureTransport(setting.props.policy))
                report(`Bucket policy ${setting.name} (bucket outside this stack) does not deny requests without TLS`, setting.urn);
        }
    },
);

export const bucketPolicyNoOpenGrants = resourceRule(
    {
        name: "s3-policy-no-open-grants",
        description:
            'Bucket policies allow neither "*", nor accounts outside the allowed list, nor a whole account root, unless a condition restricts the principal (aws:PrincipalArn, aws:SourceVpce, ...).',
        category: "public-access",
        severity: "critical",
        remediation:
            "Name the principals' accounts in allowedAccountIds of this rule, and restrict each grant with aws:PrincipalArn (or aws:PrincipalOrgID / aws:SourceVpce) conditions.",
        config: allowedAccountsConfig("bucket policies"),
    },
    POLICY_TYPES,
    (resource, report, config) => {
        for (const problem of openGrants(resource.props.policy, config.allowedAccountIds, {
            ownAccount: ownAccountOf(resource, config.stackAccounts),
        }))
            report(problem);
    },
);

export const s3Policies = [
    bucketEncryptionCmk,
    bucketPublicAccessBlock,
    bucketAclsDisabled,
    bucketVersioning,
    bucketTlsOnly,
    bucketPolicyNoOpenGrants,
    bucketAccessLogging,
];
