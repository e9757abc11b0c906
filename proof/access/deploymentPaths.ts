/**
 * The deployment identity's paths: the CI role assumes each account's deployment role, and the
 * deployment roles do what their stacks need and nothing more.
 *
 * - `deployment`: who may assume a deployment role (the CI roles; operators only with MFA; not
 *   another role of the CI account, nor an outside account), and what a deployment role must not
 *   do (assume other roles, pass roles it does not manage or to another service, read the
 *   artifacts or decrypt them, change its own permissions, attach managed policies).
 * - `deployment-scope`: every resource a stack declares can be created by its account's deployment
 *   role, one request per resource (the create or put call the AWS provider makes, listed in
 *   creationRequests.ts), decided with the resource's own policy (key policies, the registry's
 *   policy), so a permission missing from the bootstrap stack fails the plan rather than the first
 *   `pulumi up` through the role.
 */
import { BootstrapStack, HostingStack, ResearchStack, isBootstrap, isHosting, isResearch } from "../../lib/contracts";
import { arn } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path } from "./accessPath";
import { creationRequest, followUps } from "./creationRequests";
import type { DeclaredStack } from "./inventory";
import { OUTSIDER_ACCOUNT } from "./network";
import { TLS, numbered, otherRoleOf, pathsOf } from "./pathBuilder";

/** The deployment role of an account, when a bootstrap stack of the environment creates it. */
function deploymentRoleOf(parsed: readonly ParsedStack[], accountId: string): BootstrapStack | undefined {
    return parsed.filter(isBootstrap).find((b) => b.config.accountId === accountId);
}

/** Who may and may not assume each deployment role. */
function trustPaths(bootstrap: BootstrapStack, others: readonly BootstrapStack[]): Path[] {
    const { config, exports } = bootstrap;
    const role = exports.deploymentRoleArn;
    const { path } = pathsOf("deployment", config.stack);
    const assume = (expect: AccessPath["expect"], why: string, principal: string, context: Record<string, string> = {}): Path =>
        path(expect, why, principal, "administrator", "sts:AssumeRole", role, {
            resourceAccount: config.accountId,
            context: {
                ...TLS,
                ...(config.deployment.externalId ? { "sts:ExternalId": config.deployment.externalId.reveal() } : {}),
                ...context,
            },
        });
    const ci = config.deployment.ciRoleArns[0];
    const ciAccount = ci.split(":")[4];
    const mfa = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300" };
    return [
        ...config.deployment.ciRoleArns.map((r) => assume("allowed", "the CI role assumes the account's deployment role", r)),
        ...config.deployment.operatorArns.flatMap((r) => [
            assume("allowed", "an operator assumes the deployment role with MFA", r, mfa),
            assume("denied", "an operator assumes the deployment role without MFA", r, { "aws:MultiFactorAuthPresent": "false" }),
        ]),
        assume("denied", "another role of the CI account assumes the deployment role", otherRoleOf(config.partition, ciAccount)),
        assume(
            "denied",
            "an outside account's role of the CI role's name assumes the deployment role",
            ci.replace(`::${ciAccount}:`, `::${OUTSIDER_ACCOUNT}:`),
        ),
        // A deployment role is no stepping stone: it assumes no role, not even the next account's deployment role.
        ...others
            .filter((_, i) => others[(i + others.length - 1) % others.length] === bootstrap && others.length > 1)
            .map((o) =>
                pathsOf("deployment", o.config.stack).denied(
                    "a deployment role assumes another account's deployment role",
                    role,
                    "declared",
                    "sts:AssumeRole",
                    o.exports.deploymentRoleArn,
                    { resourceAccount: o.config.accountId, context: TLS },
                ),
            ),
    ];
}

/** The CI role assumes no role of the environment but the deployment roles: every other declared role's trust refuses it. */
function ciAssumesNothingElse(bootstraps: readonly BootstrapStack[], declared: readonly DeclaredStack[]): Path[] {
    const ciRoles = [...new Set(bootstraps.flatMap((b) => b.config.deployment.ciRoleArns))];
    const deploymentRoles = new Set(bootstraps.map((b) => b.exports.deploymentRoleArn));
    return declared.flatMap((stack) => {
        const { denied } = pathsOf("deployment", stack.stack);
        return stack.resources
            .filter((r) => r.type === "aws:iam/role:Role" && !deploymentRoles.has(r.state.arn))
            .flatMap((r) =>
                ciRoles.map((ci) =>
                    denied("the CI role assumes a role that is not a deployment role", ci, "administrator", "sts:AssumeRole", r.state.arn, {
                        resourceAccount: stack.accountId,
                        context: TLS,
                    }),
                ),
            );
    });
}

/** Requests of an account's deployment role (in its account unless named otherwise, over TLS), for the `deployment` paths or another architecture's. */
function requestsOf(bootstrap: BootstrapStack, architecture = "deployment") {
    const { path } = pathsOf(architecture, bootstrap.config.stack);
    const request =
        (expect: AccessPath["expect"]) =>
        (
            why: string,
            action: string,
            resource: string,
            resourceAccount = bootstrap.config.accountId,
            context: Record<string, string> = {},
        ) =>
            path(expect, why, bootstrap.exports.deploymentRoleArn, "declared", action, resource, {
                resourceAccount,
                context: { ...TLS, ...context },
            });
    return { allowed: request("allowed"), denied: request("denied") };
}

/** The deployment role passes no role the programs do not create and cannot rewrite its own permissions or trust. */
function selfLimitPaths(bootstrap: BootstrapStack): Path[] {
    const { denied } = requestsOf(bootstrap);
    const { accountId, partition } = bootstrap.config;
    const role = bootstrap.exports.deploymentRoleArn;
    return [
        denied(
            "the deployment role passes a role the programs do not create",
            "iam:PassRole",
            arn.role(partition, accountId, "OrganizationAccountAccessRole"),
            accountId,
            { "iam:PassedToService": "ec2.amazonaws.com" },
        ),
        denied("the deployment role changes its own permissions", "iam:PutRolePolicy", role),
        denied("the deployment role changes who may assume it", "iam:UpdateAssumeRolePolicy", role),
    ];
}

/** In a hosting account the deployment role passes the CMI role only to Bedrock, and writes roles only under the workload boundary. */
function cmiRoleLimitPaths(bootstrap: BootstrapStack, hosting: HostingStack): Path[] {
    const { allowed, denied } = requestsOf(bootstrap);
    const { accountId, partition } = bootstrap.config;
    const cmi = hosting.exports.cmiRoleArn;
    return [
        allowed("the deployment role passes the CMI role to Bedrock for the import job", "iam:PassRole", cmi, accountId, {
            "iam:PassedToService": "bedrock.amazonaws.com",
        }),
        denied("the deployment role creates a role without the workload boundary", "iam:CreateRole", cmi),
        denied("the deployment role writes a role's policy under another boundary", "iam:PutRolePolicy", cmi, accountId, {
            "iam:PermissionsBoundary": arn.policy(partition, "aws", "AdministratorAccess"),
        }),
        denied("the deployment role passes the CMI role to another service", "iam:PassRole", cmi, accountId, {
            "iam:PassedToService": "ec2.amazonaws.com",
        }),
        denied("the deployment role attaches a managed policy (AdministratorAccess) to a role it manages", "iam:AttachRolePolicy", cmi),
    ];
}

/**
 * The rollout's registry gate reads a package's approval, and approve-package records one, as the
 * research account's deployment role; a target's deployment role approves nothing.
 */
function registryGatePaths(bootstrap: BootstrapStack, research: ResearchStack, hosting: HostingStack | undefined): Path[] {
    const approved = research.config.sagemaker?.approvedModelPackages[0];
    if (!approved) return [];
    const { allowed, denied } = requestsOf(bootstrap, "registry-gate");
    if (research.config.accountId === bootstrap.config.accountId) {
        return [
            allowed(
                "the rollout reads a package's approval status as research's deployment role",
                "sagemaker:DescribeModelPackage",
                approved,
            ),
            allowed("approve-package records an approval as research's deployment role", "sagemaker:UpdateModelPackage", approved),
        ];
    }
    if (!hosting) return [];
    return [
        denied(
            "a target's deployment role approves a package in the registry",
            "sagemaker:UpdateModelPackage",
            approved,
            research.config.accountId,
        ),
    ];
}

/** The deployment role never reads, overwrites, deletes or decrypts the model artifacts: deploying needs none of it. */
function artifactLimitPaths(bootstrap: BootstrapStack, research: ResearchStack): Path[] {
    const { denied } = requestsOf(bootstrap);
    const bucket = research.exports.artifactBucketArn;
    const object = `${bucket}/${research.config.consumers[0]?.prefixes[0] ?? ""}config.json`;
    const inResearch = research.config.accountId;
    return [
        denied("the deployment role reads the model artifacts", "s3:GetObject", object, inResearch),
        denied("the deployment role overwrites the model artifacts", "s3:PutObject", object, inResearch),
        denied("the deployment role deletes the model artifacts", "s3:DeleteObject", object, inResearch),
        denied("the deployment role decrypts with the artifact key", "kms:Decrypt", research.exports.artifactKeyArn, inResearch),
    ];
}

/** What a deployment role must not do in its account: pass foreign roles, touch artifacts, rewrite itself. */
function limitPaths(parsed: readonly ParsedStack[], bootstrap: BootstrapStack): Path[] {
    const hosting = parsed.filter(isHosting).find((h) => h.config.accountId === bootstrap.config.accountId);
    const research = parsed.find(isResearch);
    return [
        ...selfLimitPaths(bootstrap),
        ...(hosting ? cmiRoleLimitPaths(bootstrap, hosting) : []),
        ...(research ? registryGatePaths(bootstrap, research, hosting) : []),
        ...(research ? artifactLimitPaths(bootstrap, research) : []),
    ];
}

/** Every declared resource of every workload stack, created by its account's deployment role. */
function scopePaths(parsed: readonly ParsedStack[], declared: readonly DeclaredStack[]): Path[] {
    return parsed
        .filter((s) => !isBootstrap(s))
        .flatMap((s) => {
            const bootstrap = deploymentRoleOf(parsed, s.config.accountId);
            const stack = declared.find((d) => d.stack === s.config.stack);
            if (!bootstrap || !stack || !s.config.assumeRole) return [];
            const { partition, region } = s.config;
            const { allowed } = pathsOf("deployment-scope", s.config.stack);
            return stack.resources.flatMap((r): Path[] => {
                const request = creationRequest(r, stack, partition, region);
                if (request === "none") return [];
                if (!request) {
                    throw new Error(
                        `stack ${stack.stack} declares ${r.type} ${r.name}, whose creation the deployment proof does not know: add its request to proof/access/creationRequests.ts and its actions to lib/policies/deployment.ts`,
                    );
                }
                return [request, ...followUps(r)].map((q) =>
                    allowed(
                        `the deployment role creates ${r.type.split(":").pop()} ${r.name}`,
                        bootstrap.exports.deploymentRoleArn,
                        "declared",
                        q.action,
                        q.resource,
                        {
                            resourceAccount: q.resource.split(":")[4] || s.config.accountId,
                            context: { ...TLS, "aws:RequestedRegion": region, ...(q.context ?? {}) },
                        },
                    ),
                );
            });
        });
}

/** The deployment identity's paths for an environment with bootstrap stacks; none without. */
export function deploymentPaths(parsed: readonly ParsedStack[], declared: readonly DeclaredStack[]): AccessPath[] {
    const bootstraps = parsed.filter(isBootstrap);
    if (bootstraps.length === 0) return [];
    return [
        ...numbered(
            [
                ...bootstraps.flatMap((b) => trustPaths(b, bootstraps)),
                ...ciAssumesNothingElse(bootstraps, declared),
                ...bootstraps.flatMap((b) => limitPaths(parsed, b)),
            ],
            "dep",
            3,
        ),
        ...numbered(scopePaths(parsed, declared), "scope", 3),
    ];
}
