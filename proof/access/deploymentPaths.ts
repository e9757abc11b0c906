/**
 * The deployment identity's paths: the CI role assumes each account's deployment role, and the
 * deployment roles do what their stacks need and nothing more.
 *
 * - `deployment`: who may assume a deployment role (the CI roles; operators only with MFA; not
 *   another role of the CI account, nor an outside account), and what a deployment role must not
 *   do (assume other roles, pass roles it does not manage or to another service, read the
 *   artifacts or decrypt them, change its own permissions, attach managed policies).
 * - `deployment-scope`: every resource a stack declares can be created by its account's deployment
 *   role, one request per resource (the create or put call the AWS provider makes), decided with
 *   the resource's own policy (key policies, the registry's policy), so a permission missing from
 *   the bootstrap stack fails the plan rather than the first `pulumi up` through the role.
 */
import type { AccessPath } from "./paths";
import { BootstrapStack, ContractedStack, isBootstrap, isHosting, isResearch } from "../../lib/contracts";
import { DeclaredResource, DeclaredStack } from "./inventory";
import { OUTSIDER_ACCOUNT } from "./network";
import { arn } from "../../lib/naming";

type Path = Omit<AccessPath, "id">;
const TLS = { "aws:SecureTransport": "true" };

/** The deployment role of an account, when a bootstrap stack of the environment creates it. */
function deploymentRoleOf(parsed: readonly ContractedStack[], accountId: string): BootstrapStack | undefined {
    return parsed.filter(isBootstrap).find((b) => b.config.accountId === accountId);
}

/** Who may and may not assume each deployment role. */
function trustPaths(bootstrap: BootstrapStack, others: readonly BootstrapStack[]): Path[] {
    const { config, exports } = bootstrap;
    const role = exports.deploymentRoleArn;
    const assume = (expect: AccessPath["expect"], why: string, principal: string, context: Record<string, string> = {}): Path => ({
        architecture: "deployment",
        stack: config.stack,
        expect,
        why,
        principal,
        identity: "administrator",
        action: "sts:AssumeRole",
        resource: role,
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
        assume(
            "denied",
            "another role of the CI account assumes the deployment role",
            arn.role(config.partition, ciAccount, "platform-administrator"),
        ),
        assume(
            "denied",
            "an outside account's role of the CI role's name assumes the deployment role",
            ci.replace(`::${ciAccount}:`, `::${OUTSIDER_ACCOUNT}:`),
        ),
        // A deployment role is no stepping stone: it assumes no role, not even the next account's deployment role.
        ...others
            .filter((_, i) => others[(i + others.length - 1) % others.length] === bootstrap && others.length > 1)
            .map(
                (o): Path => ({
                    architecture: "deployment",
                    stack: o.config.stack,
                    expect: "denied",
                    why: "a deployment role assumes another account's deployment role",
                    principal: role,
                    identity: "declared",
                    action: "sts:AssumeRole",
                    resource: o.exports.deploymentRoleArn,
                    resourceAccount: o.config.accountId,
                    context: TLS,
                }),
            ),
    ];
}

/** The CI role assumes no role of the environment but the deployment roles: every other declared role's trust refuses it. */
function ciAssumesNothingElse(bootstraps: readonly BootstrapStack[], declared: readonly DeclaredStack[]): Path[] {
    const ciRoles = [...new Set(bootstraps.flatMap((b) => b.config.deployment.ciRoleArns))];
    const deploymentRoles = new Set(bootstraps.map((b) => b.exports.deploymentRoleArn));
    return declared.flatMap((stack) =>
        stack.resources
            .filter((r) => r.type === "aws:iam/role:Role" && !deploymentRoles.has(r.state.arn))
            .flatMap((r) =>
                ciRoles.map(
                    (ci): Path => ({
                        architecture: "deployment",
                        stack: stack.stack,
                        expect: "denied",
                        why: "the CI role assumes a role that is not a deployment role",
                        principal: ci,
                        identity: "administrator",
                        action: "sts:AssumeRole",
                        resource: r.state.arn,
                        resourceAccount: stack.accountId,
                        context: TLS,
                    }),
                ),
            ),
    );
}

/** What a deployment role must not do in its account: pass foreign roles, touch artifacts, rewrite itself. */
function limitPaths(parsed: readonly ContractedStack[], bootstrap: BootstrapStack): Path[] {
    const { config, exports } = bootstrap;
    const role = exports.deploymentRoleArn;
    const { accountId, partition } = config;
    const request = (
        expect: AccessPath["expect"],
        why: string,
        action: string,
        resource: string,
        resourceAccount = accountId,
        context: Record<string, string> = {},
    ): Path => ({
        architecture: "deployment",
        stack: config.stack,
        expect,
        why,
        principal: role,
        identity: "declared",
        action,
        resource,
        resourceAccount,
        context: { ...TLS, ...context },
    });
    const deny = (...args: Parameters<typeof request> extends [unknown, ...infer Rest] ? Rest : never) => request("denied", ...args);
    const paths: Path[] = [
        deny(
            "the deployment role passes a role the programs do not create",
            "iam:PassRole",
            arn.role(partition, accountId, "OrganizationAccountAccessRole"),
            accountId,
            {
                "iam:PassedToService": "ec2.amazonaws.com",
            },
        ),
        deny("the deployment role changes its own permissions", "iam:PutRolePolicy", role),
        deny("the deployment role changes who may assume it", "iam:UpdateAssumeRolePolicy", role),
    ];
    const hosting = parsed.filter(isHosting).find((h) => h.config.accountId === accountId);
    if (hosting) {
        const cmi = hosting.exports.cmiRoleArn;
        paths.push(
            request("allowed", "the deployment role passes the CMI role to Bedrock for the import job", "iam:PassRole", cmi, accountId, {
                "iam:PassedToService": "bedrock.amazonaws.com",
            }),
            deny("the deployment role creates a role without the workload boundary", "iam:CreateRole", cmi),
            deny("the deployment role writes a role's policy under another boundary", "iam:PutRolePolicy", cmi, accountId, {
                "iam:PermissionsBoundary": arn.policy(partition, "aws", "AdministratorAccess"),
            }),
            deny("the deployment role passes the CMI role to another service", "iam:PassRole", cmi, accountId, {
                "iam:PassedToService": "ec2.amazonaws.com",
            }),
            deny("the deployment role attaches a managed policy (AdministratorAccess) to a role it manages", "iam:AttachRolePolicy", cmi),
        );
    }
    const research = parsed.find(isResearch);
    const registryGate = (...gate: Path[]): Path[] => gate.map((p) => ({ ...p, architecture: "registry-gate" }));
    // The rollout's registry gate reads a package's approval, and approve-package records one, as the
    // research account's deployment role; a target's deployment role approves nothing.
    const approved = research?.config.sagemaker?.approvedModelPackages[0];
    if (research && approved) {
        if (research.config.accountId === accountId) {
            paths.push(
                ...registryGate(
                    request(
                        "allowed",
                        "the rollout reads a package's approval status as research's deployment role",
                        "sagemaker:DescribeModelPackage",
                        approved,
                    ),
                    request(
                        "allowed",
                        "approve-package records an approval as research's deployment role",
                        "sagemaker:UpdateModelPackage",
                        approved,
                    ),
                ),
            );
        } else if (hosting) {
            paths.push(
                ...registryGate(
                    deny(
                        "a target's deployment role approves a package in the registry",
                        "sagemaker:UpdateModelPackage",
                        approved,
                        research.config.accountId,
                    ),
                ),
            );
        }
    }
    if (research) {
        const bucket = research.exports.artifactBucketArn;
        const object = `${bucket}/${research.config.consumers[0]?.prefixes[0] ?? ""}config.json`;
        const inResearch = research.config.accountId;
        paths.push(
            deny("the deployment role reads the model artifacts", "s3:GetObject", object, inResearch),
            deny("the deployment role overwrites the model artifacts", "s3:PutObject", object, inResearch),
            deny("the deployment role deletes the model artifacts", "s3:DeleteObject", object, inResearch),
            deny("the deployment role decrypts with the artifact key", "kms:Decrypt", research.exports.artifactKeyArn, inResearch),
        );
    }
    return paths;
}

/** The request the AWS provider (or the import job) makes to create a declared resource, or undefined for none (components, references). */
type Request = { action: string; resource: string; context?: Record<string, string | string[]> };

const bucketArn = (partition: string, bucket: string) => arn.bucket(partition, bucket);
const boundaryContext = (role: DeclaredResource | undefined): Record<string, string> =>
    role?.inputs.permissionsBoundary ? { "iam:PermissionsBoundary": role.inputs.permissionsBoundary } : {};

/**
 * The creating request of each resource type the programs declare. A type missing here fails the
 * proof by name: add its request here and its actions to lib/policies/deployment.ts.
 */
function creationRequest(r: DeclaredResource, stack: DeclaredStack, partition: string, region: string): Request | "none" | undefined {
    const { accountId } = stack;
    const ec2 = (type: string, id: string) => `arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
    switch (r.type) {
        // The deployment role writes roles only with the workload boundary (iam:PermissionsBoundary).
        case "aws:iam/role:Role":
            return { action: "iam:CreateRole", resource: r.state.arn, context: boundaryContext(r) };
        case "aws:iam/rolePolicy:RolePolicy": {
            const role = stack.resources.find((x) => x.type === "aws:iam/role:Role" && x.state.name === r.inputs.role);
            return { action: "iam:PutRolePolicy", resource: arn.role(partition, accountId, r.inputs.role), context: boundaryContext(role) };
        }
        case "aws:kms/key:Key":
            return { action: "kms:PutKeyPolicy", resource: r.state.arn };
        case "aws:kms/alias:Alias":
            return { action: "kms:CreateAlias", resource: r.state.arn };
        case "aws:s3/bucket:Bucket":
            return { action: "s3:CreateBucket", resource: r.state.arn };
        case "aws:s3/bucketPolicy:BucketPolicy":
            return { action: "s3:PutBucketPolicy", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
            return { action: "s3:PutBucketPublicAccessBlock", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
            return { action: "s3:PutBucketOwnershipControls", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:s3/bucketVersioning:BucketVersioning":
            return { action: "s3:PutBucketVersioning", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
            return { action: "s3:PutEncryptionConfiguration", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:s3/bucketLogging:BucketLogging":
            return { action: "s3:PutBucketLogging", resource: bucketArn(partition, r.inputs.bucket) };
        case "aws:ec2/vpc:Vpc":
            return { action: "ec2:CreateVpc", resource: r.state.arn };
        case "aws:ec2/subnet:Subnet":
            return { action: "ec2:CreateSubnet", resource: r.state.arn };
        case "aws:ec2/routeTable:RouteTable":
            return { action: "ec2:CreateRouteTable", resource: r.state.arn };
        case "aws:ec2/routeTableAssociation:RouteTableAssociation":
            return { action: "ec2:AssociateRouteTable", resource: ec2("route-table", r.inputs.routeTableId) };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { action: "ec2:CreateSecurityGroup", resource: r.state.arn };
        case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
            return { action: "ec2:RevokeSecurityGroupIngress", resource: r.state.arn };
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            return { action: "ec2:AuthorizeSecurityGroupIngress", resource: ec2("security-group", r.inputs.securityGroupId) };
        case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
            return { action: "ec2:AuthorizeSecurityGroupEgress", resource: ec2("security-group", r.inputs.securityGroupId) };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return { action: "ec2:CreateVpcEndpoint", resource: r.state.arn };
        case "aws:ec2/flowLog:FlowLog":
            return {
                action: "iam:PassRole",
                resource: r.inputs.iamRoleArn,
                context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" },
            };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { action: "logs:CreateLogGroup", resource: r.state.arn };
        case "aws:ssm/parameter:Parameter":
            return { action: "ssm:PutParameter", resource: r.state.arn };
        case "aws:sagemaker/model:Model":
            return {
                action: "sagemaker:CreateModel",
                resource: r.state.arn,
                context: {
                    "sagemaker:VpcSubnets": r.inputs.vpcConfig?.subnets ?? [],
                    "sagemaker:VpcSecurityGroupIds": r.inputs.vpcConfig?.securityGroupIds ?? [],
                },
            };
        case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
            return { action: "kms:CreateGrant", resource: r.inputs.kmsKeyArn, context: { "kms:GrantIsForAWSResource": "true" } };
        case "aws:sagemaker/endpoint:Endpoint":
            return { action: "sagemaker:CreateEndpoint", resource: r.state.arn };
        case "aws:sagemaker/modelPackageGroup:ModelPackageGroup":
            return { action: "sagemaker:CreateModelPackageGroup", resource: r.state.arn };
        case "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy":
            return {
                action: "sagemaker:PutModelPackageGroupPolicy",
                resource: `arn:${partition}:sagemaker:${region}:${accountId}:model-package-group/${r.inputs.modelPackageGroupName}`,
            };
        case "aws:ecr/repositoryPolicy:RepositoryPolicy":
            return {
                action: "ecr:SetRepositoryPolicy",
                resource: `arn:${partition}:ecr:${region}:${accountId}:repository/${r.inputs.repository}`,
            };
        case "aws:rekognition/project:Project":
            // CreateProject names no resource (Service Authorization Reference): decided on `*`.
            return { action: "rekognition:CreateProject", resource: "*" };
        case "aws:organizations/policy:Policy":
            return { action: "organizations:CreatePolicy", resource: r.state.arn };
        case "aws:organizations/policyAttachment:PolicyAttachment":
            return {
                action: "organizations:AttachPolicy",
                resource: `arn:${partition}:organizations::${accountId}:account/o-simulated/${r.inputs.targetId}`,
            };
        case "pulumi-nodejs:dynamic/bedrock:ModelImportJob":
            return { action: "iam:PassRole", resource: r.inputs.roleArn, context: { "iam:PassedToService": "bedrock.amazonaws.com" } };
        default:
            return r.type.startsWith("pulumi:") || r.type.startsWith("cross-account-models:") ? "none" : undefined;
    }
}

/** Further requests some resources need beyond their creation: the model's package, the import job itself. */
function followUps(r: DeclaredResource): Request[] {
    switch (r.type) {
        case "aws:sagemaker/model:Model":
            return [{ action: "sagemaker:DescribeModelPackage", resource: r.inputs.primaryContainer.modelPackageName }];
        case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
            return [{ action: "sagemaker:CreateEndpointConfig", resource: r.state.arn }];
        case "pulumi-nodejs:dynamic/bedrock:ModelImportJob":
            // CreateModelImportJob names no resource (Service Authorization Reference): decided on `*`.
            return [{ action: "bedrock:CreateModelImportJob", resource: "*" }];
        case "aws:kms/key:Key":
            return [{ action: "kms:EnableKeyRotation", resource: r.state.arn }];
        default:
            return [];
    }
}

/** Every declared resource of every workload stack, created by its account's deployment role. */
function scopePaths(parsed: readonly ContractedStack[], declared: readonly DeclaredStack[]): Path[] {
    return parsed
        .filter((s) => !isBootstrap(s))
        .flatMap((s) => {
            const bootstrap = deploymentRoleOf(parsed, s.config.accountId);
            const stack = declared.find((d) => d.stack === s.config.stack);
            if (!bootstrap || !stack || !s.config.assumeRole) return [];
            const { partition, region } = s.config;
            return stack.resources.flatMap((r): Path[] => {
                const request = creationRequest(r, stack, partition, region);
                if (request === "none") return [];
                if (!request) {
                    throw new Error(
                        `stack ${stack.stack} declares ${r.type} ${r.name}, whose creation the deployment proof does not know: add its request to proof/access/deploymentPaths.ts and its actions to lib/policies/deployment.ts`,
                    );
                }
                return [request, ...followUps(r)].map((q) => ({
                    architecture: "deployment-scope",
                    stack: s.config.stack,
                    expect: "allowed",
                    why: `the deployment role creates ${r.type.split(":").pop()} ${r.name}`,
                    principal: bootstrap.exports.deploymentRoleArn,
                    identity: "declared",
                    action: q.action,
                    resource: q.resource,
                    resourceAccount: q.resource.split(":")[4] || s.config.accountId,
                    context: { ...TLS, "aws:RequestedRegion": region, ...(q.context ?? {}) },
                }));
            });
        });
}

const numbered = (paths: Path[], code: string): AccessPath[] => {
    const counts = new Map<string, number>();
    return paths.map((p) => {
        const n = (counts.get(p.stack) ?? 0) + 1;
        counts.set(p.stack, n);
        return { ...p, id: `${p.stack}-${code}-${String(n).padStart(3, "0")}` };
    });
};

/** The deployment identity's paths for an environment with bootstrap stacks; none without. */
export function deploymentPaths(parsed: readonly ContractedStack[], declared: readonly DeclaredStack[]): AccessPath[] {
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
        ),
        ...numbered(scopePaths(parsed, declared), "scope"),
    ];
}
