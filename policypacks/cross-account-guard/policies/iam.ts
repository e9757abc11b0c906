/** IAM rules: no wildcard grants, trusts never open, service and federated trusts pinned to their source. */
import { RuleResource, allowedAccountsConfig, resourceRule } from "../lib/rule";
import { SOURCE_KEYS, Statement, sourcePins, statementsOf, trusteesOf } from "../lib/iam/policy";
import { grants, isEverything } from "../lib/iam/actions";
import { hollowReasons, restricting } from "../lib/iam/conditions";
import { accountIn } from "../lib/iam/principals";
import { ownAccountOf } from "../lib/accounts";

/** Resources that carry an identity policy document in `policy`. */
const IDENTITY_POLICIES = [
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
] as const;
const ROLE = ["aws:iam/role:Role"] as const;

/** The Allow statements of a resource's identity policies, including a role's inline policies. */
function identityAllows(resource: RuleResource<(typeof IDENTITY_POLICIES)[number] | (typeof ROLE)[number]>): Statement[] {
    const documents =
        resource.type === "aws:iam/role:Role" ? (resource.props.inlinePolicies ?? []).map((p) => p.policy) : [resource.props.policy];
    return documents.flatMap(statementsOf).filter((s) => s.effect === "Allow");
}

const trustAllows = (role: RuleResource<(typeof ROLE)[number]>) =>
    statementsOf(role.props.assumeRolePolicy).filter((s) => s.effect === "Allow");
const because = (reasons: readonly string[]) => (reasons.length > 0 ? ` (${reasons.join("; ")})` : "");

export const noWildcardActions = resourceRule(
    {
        name: "iam-no-wildcard-action",
        description:
            'Identity policies grant no "*" or "*:*" action and use no Allow with NotAction (which grants every other action of every service).',
        category: "least-privilege",
        severity: "high",
        remediation: 'List the actions the principal needs; use service-scoped patterns (e.g. s3:GetObject) instead of "*".',
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityAllows(resource)) {
            if (s.actions.except) report(`Statement ${s.sid} allows every action of every service except NotAction's.`);
            else if (isEverything(s.actions)) report(`Statement ${s.sid} allows every action.`);
        }
    },
);

export const noPassRoleOnAnyRole = resourceRule(
    {
        name: "iam-no-passrole-wildcard",
        description: 'No identity policy allows iam:PassRole on every role (Resource "*" or NotResource).',
        category: "least-privilege",
        severity: "high",
        remediation: "Scope iam:PassRole to the role ARNs the principal must pass, with an iam:PassedToService condition.",
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityAllows(resource)) {
            const anyRole =
                s.resources.except ||
                s.resources.patterns.some((r) => /^(\*|arn:[^:]*:iam::[^:]*:\*|arn:[^:]*:iam::[^:]*:role\/\*)$/.test(r));
            if (grants(s.actions, "iam:PassRole") && anyRole) report(`Statement ${s.sid} allows iam:PassRole on every role.`);
        }
    },
);

export const passRoleToNamedService = resourceRule(
    {
        name: "iam-passrole-to-service",
        description:
            "Every Allow of iam:PassRole names the service the role may be passed to (a real iam:PassedToService condition), so a deployer cannot hand a role to another service.",
        category: "least-privilege",
        severity: "high",
        remediation: 'Add Condition {StringEquals: {"iam:PassedToService": "<service>.amazonaws.com"}} to the statement.',
    },
    [...IDENTITY_POLICIES, ...ROLE],
    (resource, report) => {
        for (const s of identityAllows(resource)) {
            if (!grants(s.actions, "iam:PassRole") || restricting(s.conditions, ["iam:passedtoservice"]).length > 0) continue;
            report(
                `Statement ${s.sid} allows iam:PassRole without an iam:PassedToService condition${because(hollowReasons(s.conditions, ["iam:passedtoservice"]))}.`,
            );
        }
    },
);

export const trustNotPublic = resourceRule(
    {
        name: "iam-trust-not-public",
        description:
            'No role trust policy lets "*" (or everyone but a NotPrincipal list) assume the role without a condition that really restricts the principal.',
        category: "public-access",
        severity: "critical",
        remediation:
            'Name the trusted principals in the trust policy, or restrict "*" with aws:PrincipalOrgID / aws:PrincipalArn conditions (StringEquals / ArnEquals, without IfExists or ForAllValues).',
    },
    ROLE,
    (role, report) => {
        for (const s of trustAllows(role)) {
            const who = trusteesOf(s);
            if (who.allButListed) report(`Trust statement ${s.sid} lets everyone but NotPrincipal's list assume the role.`);
            else if (who.anyone) report(`Trust statement ${s.sid} lets anyone assume the role${because(who.hollow)}.`);
        }
    },
);

export const serviceTrustConfusedDeputy = resourceRule(
    {
        name: "iam-service-trust-confused-deputy",
        description:
            "A trust in an AWS service principal carries a real aws:SourceAccount, aws:SourceArn (with an account) or aws:SourceOrgID condition naming the environment's accounts, so the service acts only for them.",
        category: "confused-deputy",
        severity: "high",
        remediation:
            'Add Condition {StringEquals: {"aws:SourceAccount": "<account>"}, ArnLike: {"aws:SourceArn": "<the service\'s resource ARN pattern>"}} to the trust statement.',
        config: {
            ...allowedAccountsConfig("service trusts' source conditions"),
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
        const allowed = [...config.allowedAccountIds, ownAccountOf(role, config.stackAccounts)];
        for (const s of trustAllows(role)) {
            const services = (s.principals?.services ?? []).filter((p) => !config.servicesWithoutSourceContext.includes(p));
            if (services.length === 0) continue;
            const pinned = sourcePins(s);
            const foreign = (pinned ?? []).filter((a) => config.allowedAccountIds.length > 0 && !allowed.includes(a));
            if (pinned === undefined)
                report(
                    `Trust statement ${s.sid} lets ${services.join(", ")} assume the role without a real aws:SourceAccount or aws:SourceArn condition${because(hollowReasons(s.conditions, SOURCE_KEYS))}.`,
                );
            else if (foreign.length > 0)
                report(`Trust statement ${s.sid} lets ${services.join(", ")} act for ${foreign.join(", ")}, outside allowedAccountIds.`);
        }
    },
);

export const crossAccountTrustAllowed = resourceRule(
    {
        name: "iam-cross-account-trust-allowed",
        description:
            "Role trust policies name principals of other accounts only from the allowed accounts, and trust a whole account root only with a real condition naming the principals.",
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
        const own = ownAccountOf(role, config.stackAccounts);
        for (const s of trustAllows(role)) {
            const who = trusteesOf(s);
            // A federated provider lives in an account too: tokens it vouches for are that account's word.
            const providers = (s.principals?.federated ?? []).map(accountIn).filter((a): a is string => !!a);
            const foreign = [...new Set([...who.accounts, ...providers])].filter((a) => !config.allowedAccountIds.includes(a) && a !== own);
            // Reported with or without a condition: a condition narrows principals within an account, never the account itself.
            if (foreign.length > 0)
                report(
                    `Trust statement ${s.sid} trusts ${foreign.join(", ")}, outside allowedAccountIds${who.restricted ? " (its condition does not change the account)" : ""}.`,
                );
            // Only a condition naming the roles narrows an account root (AWS's form for cross-account trust,
            // e.g. a development account's pipeline role): an account, organization or network condition does not.
            // The role's own account root delegates to that account's IAM policies (who may call sts:AssumeRole), as a key's does.
            const roots = who.roots.filter((r) => !own || !r.includes(own));
            if (config.requireConditionOnAccountRoot && roots.length > 0 && !who.namesPrincipals) {
                report(
                    `Trust statement ${s.sid} trusts every principal of ${roots.join(", ")}${who.restricted ? " (its condition names no principal)" : because(who.hollow)}; expected an aws:PrincipalArn condition naming the roles.`,
                );
            }
        }
    },
);

/** The subject a federated provider's tokens carry (`<provider>:sub`; SAML's `saml:sub`), lower case. */
function subjectKey(provider: string, s: Statement): string {
    if (grants(s.actions, "sts:AssumeRoleWithSAML") && !grants(s.actions, "sts:AssumeRoleWithWebIdentity")) return "saml:sub";
    const host = /oidc-provider\/(.+)$/.exec(provider)?.[1] ?? provider;
    return `${host.toLowerCase()}:sub`;
}

/** GitHub's subject names the repository (`repo:<owner>/<repo>:...`); pinning only the owner trusts every repository of it. */
const pinsRepository = (key: string, value: string) =>
    !key.startsWith("token.actions.githubusercontent.com") || /^repo:[^*?/]+\/[^*?:/]+(:|$)/i.test(value);

export const federatedTrustPinsSubject = resourceRule(
    {
        name: "iam-federated-trust-pins-subject",
        description:
            "Web-identity and SAML trusts pin the token's subject (<provider>:sub, SAML:sub; for GitHub the repository) with a real condition, not only its audience.",
        category: "public-access",
        severity: "critical",
        remediation:
            'Add Condition {StringEquals: {"<provider>:aud": "<audience>"}, StringLike: {"<provider>:sub": "repo:<owner>/<repo>:ref:refs/heads/main"}} (or SAML:sub for SAML).',
    },
    ROLE,
    (role, report) => {
        for (const s of trustAllows(role)) {
            const federated = s.principals?.federated ?? [];
            const viaToken = grants(s.actions, "sts:AssumeRoleWithWebIdentity") || grants(s.actions, "sts:AssumeRoleWithSAML");
            if (federated.length === 0 && !viaToken) continue;
            for (const provider of federated.length > 0 ? federated : ["(any provider)"]) {
                const key = subjectKey(provider, s);
                const real = restricting(s.conditions, [key, "saml:sub"]).filter((c) => c.values.every((v) => pinsRepository(c.key, v)));
                if (real.length === 0)
                    report(
                        `Trust statement ${s.sid} lets tokens of ${provider} assume the role without pinning their subject (${key})${because(hollowReasons(s.conditions, [key]))}.`,
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
    federatedTrustPinsSubject,
];
