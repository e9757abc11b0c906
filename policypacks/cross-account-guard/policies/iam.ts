/** IAM rules: no wildcard grants, trusts never open, service trusts guarded against the confused deputy. */
import { RuleResource, allowedAccountsConfig, resourceRule } from "../lib/rule";
import { accountOfPrincipal, actionCovers, hasRestrictingCondition, isFullWildcard, namesPrincipals, statementsOf } from "../lib/documents";
import { accountsInConditions, ownAccountOf } from "../lib/accounts";

/** Resources that carry an identity policy document in `policy`. */
const IDENTITY_POLICIES = [
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
] as const;
const ROLE = ["aws:iam/role:Role"] as const;

/** The identity policy documents of a resource, including a role's inline policies. */
function identityDocuments(resource: RuleResource<(typeof IDENTITY_POLICIES)[number] | (typeof ROLE)[number]>): unknown[] {
    if (resource.type === "aws:iam/role:Role") return (resource.props.inlinePolicies ?? []).map((p) => p.policy);
    return [resource.props.policy];
}

export const noWildcardActions = resourceRule(
    {
        name: "iam-no-wildcard-action",
        description: 'Identity policies grant no "*" or "*:*" action and use no Allow with NotAction.',
        category: "least-privilege",
        severity: "high",
        remediation: 'List the actions the principal needs; use service-scoped patterns (e.g. s3:GetObject) instead of "*".',
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityDocuments(resource).flatMap(statementsOf)) {
            if (s.effect !== "Allow") continue;
            if (s.actions.some(isFullWildcard)) report(`Statement ${s.sid} allows every action.`);
            if (s.notActions.length > 0) report(`Statement ${s.sid} allows everything except NotAction.`);
        }
    },
);

export const noPassRoleOnAnyRole = resourceRule(
    {
        name: "iam-no-passrole-wildcard",
        description: "No identity policy allows iam:PassRole on every role.",
        category: "least-privilege",
        severity: "high",
        remediation: "Scope iam:PassRole to the role ARNs the principal must pass, with an iam:PassedToService condition.",
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityDocuments(resource).flatMap(statementsOf)) {
            if (s.effect === "Allow" && s.actions.some((a) => actionCovers(a, "iam:PassRole")) && s.resources.includes("*")) {
                report(`Statement ${s.sid} allows iam:PassRole on "*".`);
            }
        }
    },
);

export const passRoleToNamedService = resourceRule(
    {
        name: "iam-passrole-to-service",
        description:
            "Every Allow of iam:PassRole names the service the role may be passed to (iam:PassedToService), so a deployer cannot hand a role to another service.",
        category: "least-privilege",
        severity: "high",
        remediation: 'Add Condition {StringEquals: {"iam:PassedToService": "<service>.amazonaws.com"}} to the statement.',
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityDocuments(resource).flatMap(statementsOf)) {
            if (s.effect !== "Allow" || !s.actions.some((a) => actionCovers(a, "iam:PassRole"))) continue;
            const keys = Object.values(s.condition).flatMap((c) => Object.keys(c ?? {}).map((k) => k.toLowerCase()));
            if (!keys.includes("iam:passedtoservice"))
                report(`Statement ${s.sid} allows iam:PassRole without an iam:PassedToService condition.`);
        }
    },
);

export const trustNotPublic = resourceRule(
    {
        name: "iam-trust-not-public",
        description: 'No role trust policy lets "*" assume the role without a condition restricting the principal.',
        category: "public-access",
        severity: "critical",
        remediation:
            'Name the trusted principals in the trust policy, or restrict "*" with aws:PrincipalOrgID / aws:PrincipalArn conditions.',
    },
    ROLE,
    (role, report) => {
        for (const s of statementsOf(role.props.assumeRolePolicy)) {
            if (s.effect === "Allow" && s.principalWildcard && !hasRestrictingCondition(s))
                report(`Trust statement ${s.sid} lets anyone assume the role.`);
        }
    },
);

export const serviceTrustConfusedDeputy = resourceRule(
    {
        name: "iam-service-trust-confused-deputy",
        description:
            "A trust in an AWS service principal carries aws:SourceAccount or aws:SourceArn, so the service acts only for this account's resources.",
        category: "confused-deputy",
        severity: "high",
        remediation:
            'Add Condition {StringEquals: {"aws:SourceAccount": "<account>"}, ArnLike: {"aws:SourceArn": "<the service\'s resource ARN pattern>"}} to the trust statement.',
        config: {
            servicesWithoutSourceContext: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description: "Service principals that do not send source context, exempt from this rule.",
                },
                default: ["ec2.amazonaws.com", "lambda.amazonaws.com", "edgelambda.amazonaws.com"],
            },
        },
    },
    ROLE,
    (role, report, config) => {
        for (const s of statementsOf(role.props.assumeRolePolicy)) {
            const services = s.servicePrincipals.filter((p) => !config.servicesWithoutSourceContext.includes(p));
            if (s.effect !== "Allow" || services.length === 0) continue;
            const keys = Object.values(s.condition).flatMap((c) => Object.keys(c ?? {}).map((k) => k.toLowerCase()));
            if (!keys.includes("aws:sourceaccount") && !keys.includes("aws:sourcearn")) {
                report(`Trust statement ${s.sid} lets ${services.join(", ")} assume the role without aws:SourceAccount or aws:SourceArn.`);
            }
        }
    },
);

export const crossAccountTrustAllowed = resourceRule(
    {
        name: "iam-cross-account-trust-allowed",
        description:
            "Role trust policies name principals of other accounts only from the allowed accounts, and trust a whole account root only with a condition naming the principals.",
        category: "public-access",
        severity: "high",
        remediation:
            "Add the account to allowedAccountIds of this rule if it is trusted, or remove it from the trust policy; restrict a root principal with an aws:PrincipalArn condition naming the roles (ArnEquals), as for a development account's pipeline role.",
        config: {
            ...allowedAccountsConfig("role trust policies"),
            requireConditionOnAccountRoot: {
                schema: { type: "boolean", description: "Require a principal-restricting condition on trusts in an account root." },
                default: true,
            },
        },
    },
    ROLE,
    (role, report, config) => {
        for (const s of statementsOf(role.props.assumeRolePolicy)) {
            if (s.effect !== "Allow") continue;
            const named = [
                ...s.awsPrincipals.map((p) => accountOfPrincipal(p) ?? p),
                ...(s.awsPrincipals.length > 0 || s.principalWildcard ? accountsInConditions(s.condition) : []),
            ];
            const foreign = [...new Set(named)].filter((a) => !config.allowedAccountIds.includes(a) && a !== ownAccountOf(role));
            // Reported with or without a condition: a condition narrows principals within an account, never the account itself.
            if (foreign.length > 0)
                report(
                    `Trust statement ${s.sid} trusts ${foreign.join(", ")}, outside allowedAccountIds${hasRestrictingCondition(s) ? " (its condition does not change the account)" : ""}.`,
                );
            const roots = s.awsPrincipals.filter((p) => /^\d{12}$/.test(p) || /:root$/.test(p));
            // Only a condition naming the roles narrows an account root (AWS's form for cross-account trust,
            // e.g. a development account's pipeline role): an account, organization or network condition does not.
            if (config.requireConditionOnAccountRoot && roots.length > 0 && !namesPrincipals(s)) {
                report(
                    `Trust statement ${s.sid} trusts every principal of ${roots.join(", ")}${hasRestrictingCondition(s) ? " (its condition names no principal)" : ""}; expected an aws:PrincipalArn condition naming the roles.`,
                );
            }
        }
    },
);

export const iamPolicies = [
    noWildcardActions,
    noPassRoleOnAnyRole,
    passRoleToNamedService,
    trustNotPublic,
    serviceTrustConfusedDeputy,
    crossAccountTrustAllowed,
];
