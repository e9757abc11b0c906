/**
 * The data perimeter in every field (issue 21): no account outside the environment may appear in
 * a resource's inputs as a trustee, destination or source, wherever the provider's schema puts
 * it: a Backup plan copying to another account's vault, an EventBridge target on another
 * account's bus, a Kinesis stream, SQS queue URL or ECR image of another account, a RAM or Lambda
 * principal. Policy documents are the IAM rules' (lib/iam/documentFields.ts); this rule reads
 * every other string.
 */
import { allowedAccountsConfig, anyResourceRule, AnyResource } from "../lib/rule";
import { AWS_IMAGE_ACCOUNTS, ownAccountOf } from "../lib/accounts";
import { rawInputs } from "../lib/values";
import { eachString, skippedFieldsOf } from "../lib/inputWalk";

/**
 * Where an account hides in a string, one alternative each (one pass over the string): ARNs, ECR
 * registry hosts, SQS queue URLs (https://sqs.<region>.amazonaws.com/<account>/<queue>), S3 access
 * point hosts (<name>-<account>.s3-accesspoint.<region>.amazonaws.com).
 */
const ACCOUNT_IN_TEXT = new RegExp(
    [
        /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/,
        /\b(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com/,
        /\.amazonaws\.com(?:\.cn)?\/(\d{12})\//,
        /-(\d{12})\.s3-accesspoint(?:-fips)?\./,
    ]
        .map((r) => r.source)
        .join("|"),
    "g",
);

/** Fields whose bare 12-digit value is an account ID (accountId, sourceAccount, ownerId, principal, registryId, catalogId, targetId, ...). */
const ACCOUNT_FIELD = /account|owner|principal|registry|catalog|grantee|trust|member|consumer|target|source|destination|partner/i;

/** Fields that list accounts to keep out (a provider's forbiddenAccountIds, an aggregator's exclusions). */
const EXCLUDING_FIELD = /^(forbidden|exclude|excluded|exclusion|deny|denied|blocked|not[A-Z])/;

/** The accounts a string names, as a whole (in an account field) or inside an ARN, image URI or URL. */
function accountsIn(field: string, text: string): string[] {
    // First the test most strings fail: this runs on every string of every resource.
    if (!/\d{12}/.test(text) || EXCLUDING_FIELD.test(field)) return [];
    const trimmed = text.trim();
    if (/^\d{12}$/.test(trimmed)) return ACCOUNT_FIELD.test(field) ? [trimmed] : [];
    const accounts: string[] = [];
    ACCOUNT_IN_TEXT.lastIndex = 0;
    for (let m = ACCOUNT_IN_TEXT.exec(text); m; m = ACCOUNT_IN_TEXT.exec(text)) accounts.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    return accounts;
}

/**
 * The account a resource lives in, from its provider (or the stack's configured account); a
 * provider's is the one it deploys into (its own allowedAccountIds or assumed role). Not from an
 * `arn` input: in some schemas that is the target's (aws.cloudwatch.EventTarget's `arn` is the
 * bus or function events go to), which would make an outside target the resource's own.
 */
function ownAccount(resource: AnyResource, stackAccounts: Readonly<Record<string, string>>): string | undefined {
    const provider = resource.type.startsWith("pulumi:providers:") ? { props: rawInputs(resource.props) } : resource.provider;
    return ownAccountOf({ urn: resource.urn, props: {}, provider }, stackAccounts);
}

const skippedByType = new Map<string, ReadonlySet<string>>();

export const dataPerimeterAccounts = anyResourceRule(
    {
        name: "data-perimeter-accounts",
        description:
            "No account outside the environment (allowedAccountIds, the resource's own account, AWS's image registries) appears in any input outside policy documents: ARNs, account-ID fields, ECR image URIs, SQS queue URLs, S3 access point hosts.",
        category: "public-access",
        severity: "high",
        remediation:
            "Point the resource at a trustee, destination or source in one of the environment's accounts (copy to a vault, bus, stream or registry there), or add the account to allowedAccountIds if it belongs to the environment.",
        config: {
            ...allowedAccountsConfig("any resource input"),
            serviceAccountIds: {
                schema: {
                    type: "array",
                    items: { type: "string", pattern: "^\\d{12}$" },
                    description: "AWS-owned accounts that may appear (SageMaker and Deep Learning Containers image registries).",
                },
                default: AWS_IMAGE_ACCOUNTS,
            },
        },
    },
    (resource, report, config) => {
        let skipped = skippedByType.get(resource.type);
        if (!skipped) skippedByType.set(resource.type, (skipped = skippedFieldsOf(resource.type)));
        const named = new Map<string, string>();
        eachString(rawInputs(resource.props), skipped, (field, text, path) => {
            for (const account of accountsIn(field, text)) if (!named.has(account)) named.set(account, path.join("."));
        });
        if (named.size === 0) return;
        const own = ownAccount(resource, config.stackAccounts);
        const environment = new Set([...config.allowedAccountIds, ...config.serviceAccountIds, ...(own ? [own] : [])]);
        for (const [account, where] of named)
            if (!environment.has(account)) report(`Account ${account} (in ${where}) is outside the environment.`);
    },
);

export const dataPerimeterPolicies = [dataPerimeterAccounts];
