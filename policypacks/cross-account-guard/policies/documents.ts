/**
 * Rules over every policy document wherever it lives (lib/iam/documentFields.ts): no Allow with a
 * Not* element, and no resource policy (topics, queues, secrets, log destinations, event buses,
 * vaults, ...) open to anyone or to accounts outside the environment. Buckets, keys and ECR
 * repositories have their own rules (s3-, kms-, ecr-policy-no-open-grants).
 */
import { allowedAccountsConfig, anyResourceRule } from "../lib/rule";
import { Statement, statementsOf } from "../lib/iam/policy";
import { restricting } from "../lib/iam/conditions";
import { accountIn } from "../lib/iam/principals";
import { RESOURCE_POLICY_FIELDS, documentsOf } from "../lib/iam/documentFields";
import { openGrants } from "../lib/iam/openGrants";
import { AWS_IMAGE_ACCOUNTS, ownAccountOf } from "../lib/accounts";

export const noAllowWithNot = anyResourceRule(
    {
        name: "policy-no-allow-with-not",
        description:
            "No Allow statement, in any policy document, uses NotPrincipal (everyone but the list), NotAction (every other action of every service) or NotResource (every other resource).",
        category: "public-access",
        severity: "critical",
        remediation: "List the principals, actions and resources the Allow grants; express exceptions as a Deny.",
    },
    (resource, report) => {
        // An SCP's Allow filters what accounts may do (grants nothing), so NotAction there narrows rather than opens.
        for (const { kind, document } of documentsOf(resource.type, resource.props).filter((d) => d.kind !== "scp")) {
            for (const s of statementsOf(document).filter((x) => x.effect === "Allow")) {
                const elements = [
                    s.principals?.except && "NotPrincipal",
                    s.actions.except && "NotAction",
                    s.resources.except && "NotResource",
                ].filter(Boolean);
                if (elements.length > 0)
                    report(
                        `${kind} policy statement ${s.sid} is an Allow with ${elements.join(", ")}: it grants everything but what is listed.`,
                    );
            }
        }
    },
);

/** Types with their own open-grant rule. */
const OWN_RULE = ["aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key", "aws:ecr/repositoryPolicy:RepositoryPolicy"];

export const resourcePolicyNoOpenGrants = anyResourceRule(
    {
        name: "resource-policy-no-open-grants",
        description:
            'Resource policies of every other type (SNS, SQS, Secrets Manager, CloudWatch Logs, EventBridge, Backup, EFS, S3 access points, Kinesis, DynamoDB, OpenSearch, Glue, SageMaker model package groups, API Gateway, ...) allow neither "*", nor accounts outside the allowed list, nor a whole account root, without a real condition restricting the principal.',
        category: "public-access",
        severity: "critical",
        remediation:
            "Name the principals (in allowedAccountIds' accounts) and restrict each grant with aws:PrincipalArn, aws:PrincipalOrgID or aws:SourceArn conditions.",
        config: allowedAccountsConfig("resource policies"),
    },
    (resource, report, config) => {
        const field = RESOURCE_POLICY_FIELDS[resource.type];
        if (!field || OWN_RULE.includes(resource.type) || !(field.field in resource.props)) return;
        const own = ownAccountOf(resource, config.stackAccounts);
        for (const problem of openGrants(resource.props[field.field], config.allowedAccountIds, { ownAccount: own })) report(problem);
    },
);

/** Keys whose values name the account owning the resource a request reaches. */
const RESOURCE_ACCOUNT_KEYS = ["aws:resourceaccount", "s3:resourceaccount"];

/** The accounts an Allow reaches: those of its Resource ARNs and those real aws:ResourceAccount conditions name. */
function resourceAccounts(s: Statement): string[] {
    const fromArns = s.resources.except ? [] : s.resources.patterns.map(accountIn);
    const fromConditions = restricting(s.conditions, RESOURCE_ACCOUNT_KEYS).flatMap((c) => c.values.map(accountIn));
    return [...new Set([...fromArns, ...fromConditions].filter((a): a is string => !!a))];
}

export const policyResourcesInEnvironment = anyResourceRule(
    {
        name: "policy-resources-in-environment",
        description:
            "Identity, endpoint and resource policies grant access only to resources of the environment: no Resource ARN and no aws:ResourceAccount value names an account outside the allowed ones (a destination to copy data out to, or a source to load code or models from).",
        category: "public-access",
        severity: "high",
        remediation: "Name resources of the environment's accounts (allowedAccountIds); reach partners through a reviewed exception.",
        config: {
            ...allowedAccountsConfig("policies' resources"),
            serviceAccountIds: {
                schema: {
                    type: "array",
                    items: { type: "string", pattern: "^\\d{12}$" },
                    description:
                        "AWS-owned accounts whose resources policies may name (SageMaker and Deep Learning Containers image registries).",
                },
                default: AWS_IMAGE_ACCOUNTS,
            },
        },
    },
    (resource, report, config) => {
        const documents = documentsOf(resource.type, resource.props).filter(
            (d) => d.kind === "identity" || d.kind === "endpoint" || d.kind === "resource",
        );
        if (documents.length === 0) return;
        const own = ownAccountOf(resource, config.stackAccounts);
        const allowed = [...config.allowedAccountIds, ...(own ? [own] : [])];
        // An empty list with no known own account cannot tell the environment; the other rules still judge who.
        if (allowed.length === 0) return;
        allowed.push(...config.serviceAccountIds);
        for (const { kind, document } of documents) {
            for (const s of statementsOf(document).filter((x) => x.effect === "Allow")) {
                const foreign = resourceAccounts(s).filter((a) => !allowed.includes(a));
                if (foreign.length > 0)
                    report(`${kind} policy statement ${s.sid} reaches resources of ${foreign.join(", ")}, outside allowedAccountIds.`);
            }
        }
    },
);

export const documentPolicies = [noAllowWithNot, resourcePolicyNoOpenGrants, policyResourcesInEnvironment];
