/**
 * The deployment role of an account (the bootstrap program): who may assume it, and what it may
 * do. It manages exactly what the account's stacks declare (lib/deployment/scope.ts), in the
 * account and Region, by name where AWS allows it: never `*` actions, no data-plane actions on the
 * artifacts (no object reads or writes, no decryption), no sts:AssumeRole, and iam:PassRole only
 * on the roles the programs create, each to its one service.
 *
 * Actions are those the AWS provider and the import job call for each resource type (create,
 * read, update, tag, delete). Describe and List calls that AWS authorizes on `*` only are limited
 * to the Region with aws:RequestedRegion.
 */
import { Conditions, PolicyDocument, Statement, onlyRole, policy, rolesByAccount } from "./document";
import { DeploymentScope, ManagedRole } from "../deployment/scope";
import { ENDPOINT_ACTIONS, MODEL_AND_CONFIG_ACTIONS, denyWithoutVpc, modelPackageGroup, modelPackages } from "./sagemaker";
import { arn } from "../naming";

/** Who may assume the role: the CI roles, operators only with MFA, each with the external ID when one is set. */
export interface DeploymentTrustArgs {
    readonly partition: string;
    readonly ciRoleArns: readonly string[];
    readonly operatorArns: readonly string[];
    /** The external ID every caller must pass, when the bootstrap stack sets one. */
    readonly externalId?: string;
}

/** An MFA session younger than an hour, as AWS's guidance for human access to privileged roles. */
const WITH_MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } };

export function deploymentTrustPolicy(args: DeploymentTrustArgs): PolicyDocument {
    const external: Conditions = args.externalId ? { StringEquals: { "sts:ExternalId": args.externalId } } : {};
    const trust = (sid: string, roleArns: readonly string[], extra: Conditions = {}): Statement[] =>
        [...rolesByAccount(roleArns)].map(([account, roles]) => ({
            Sid: `${sid}${account}`,
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(args.partition, account) },
            Action: "sts:AssumeRole",
            Condition: { ...onlyRole(roles), ...external, ...extra },
        }));
    return policy([...trust("CiRolesOf", args.ciRoleArns), ...trust("OperatorsWithMfaOf", args.operatorArns, WITH_MFA)]);
}

/** The scope's ARN builders. */
function arns(scope: DeploymentScope) {
    const { partition, region, accountId } = scope;
    const regional = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
    return {
        regional,
        role: (name: string) => arn.role(partition, accountId, name),
        bucket: (name: string) => arn.bucket(partition, name),
        logGroup: (name: string) => [
            arn.logGroup(partition, region, accountId, name),
            `${arn.logGroup(partition, region, accountId, name)}:*`,
        ],
        alias: (name: string) => regional("kms", `alias/${name}`),
        parameter: (name: string) => regional("ssm", `parameter${name.startsWith("/") ? name : `/${name}`}`),
    };
}

const inRegion = (region: string) => ({ StringEquals: { "aws:RequestedRegion": region } });

/**
 * Actions AWS authorizes only on `*` (reads by the provider's refresh and waiters, key creation,
 * Bedrock import jobs, Rekognition projects), limited to the Region.
 */
function regionalReads(scope: DeploymentScope): Statement[] {
    const actions = [
        ...(scope.network
            ? [
                  "ec2:DescribeAvailabilityZones",
                  "ec2:DescribeVpcs",
                  "ec2:DescribeSubnets",
                  "ec2:DescribeRouteTables",
                  "ec2:DescribeSecurityGroups",
                  "ec2:DescribeSecurityGroupRules",
                  "ec2:DescribeNetworkAcls",
                  "ec2:DescribeNetworkInterfaces",
                  "ec2:DescribeVpcEndpoints",
                  "ec2:DescribeVpcEndpointServices",
                  "ec2:DescribePrefixLists",
                  "ec2:DescribeFlowLogs",
              ]
            : []),
        ...(scope.keyAliases.length ? ["kms:CreateKey", "kms:ListAliases"] : []),
        ...(scope.parameters.length ? ["ssm:DescribeParameters"] : []),
        ...(scope.logGroups.length ? ["logs:DescribeLogGroups"] : []),
        // These name no resource AWS could scope them to (Service Authorization Reference).
        ...(scope.importsModels ? ["bedrock:CreateModelImportJob", "bedrock:ListModelImportJobs"] : []),
        ...(scope.rekognitionProjects.length ? ["rekognition:CreateProject", "rekognition:DescribeProjects"] : []),
    ];
    // IAM refuses a statement without actions (MalformedPolicyDocument): the management account needs none of these.
    if (actions.length === 0) return [];
    return [{ Sid: "RegionWideActions", Effect: "Allow", Action: actions, Resource: "*", Condition: inRegion(scope.region) }];
}

/** The VPC-only network of a hosting stack: its VPC, subnets, routes, groups, endpoints and flow logs, in this account and Region. */
function network(scope: DeploymentScope): Statement[] {
    if (!scope.network) return [];
    return [
        {
            Sid: "ManageTheVpcOnlyNetwork",
            Effect: "Allow",
            Action: [
                "ec2:CreateVpc",
                "ec2:DeleteVpc",
                "ec2:ModifyVpcAttribute",
                "ec2:DescribeVpcAttribute",
                "ec2:CreateSubnet",
                "ec2:DeleteSubnet",
                "ec2:ModifySubnetAttribute",
                "ec2:CreateRouteTable",
                "ec2:DeleteRouteTable",
                "ec2:AssociateRouteTable",
                "ec2:DisassociateRouteTable",
                "ec2:CreateSecurityGroup",
                "ec2:DeleteSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:ModifySecurityGroupRules",
                "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
                "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
                "ec2:CreateVpcEndpoint",
                "ec2:ModifyVpcEndpoint",
                "ec2:DeleteVpcEndpoints",
                "ec2:CreateFlowLogs",
                "ec2:DeleteFlowLogs",
                "ec2:CreateTags",
                "ec2:DeleteTags",
            ],
            Resource: arns(scope).regional("ec2", "*"),
        },
    ];
}

/**
 * The roles the programs create, by name: their trust and inline policies, nothing attached (no
 * managed policy such as AdministratorAccess), and never the deployment role itself.
 */
function roles(scope: DeploymentScope): Statement[] {
    if (scope.roles.length === 0) return [];
    const { role } = arns(scope);
    const statements: Statement[] = [
        {
            Sid: "ManageTheProgramsRoles",
            Effect: "Allow",
            Action: [
                "iam:GetRole",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
                "iam:UpdateAssumeRolePolicy",
                "iam:DeleteRole",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:ListRoleTags",
                "iam:GetRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:ListRolePolicies",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
            ],
            Resource: scope.roles.map((r) => role(r.name)),
        },
        {
            // A role it creates or writes a policy into carries the workload boundary, so whatever it
            // writes, the role can do no more than the workloads need (lib/policies/boundary.ts).
            Sid: "WriteRolesOnlyWithinTheWorkloadBoundary",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"],
            Resource: scope.roles.map((r) => role(r.name)),
            Condition: { StringEquals: { "iam:PermissionsBoundary": scope.permissionsBoundaryArn } },
        },
    ];
    // One statement per service: iam:PassedToService names the only service each role is handed to.
    const passed = new Map<string, ManagedRole[]>();
    for (const r of scope.roles.filter((r) => r.passedTo)) passed.set(r.passedTo!, [...(passed.get(r.passedTo!) ?? []), r]);
    for (const [service, list] of passed) {
        statements.push({
            Sid: `PassRolesTo${service.split(".")[0].replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: list.map((r) => role(r.name)),
            Condition: { StringEquals: { "iam:PassedToService": service } },
        });
    }
    return statements;
}

/**
 * The account's keys: created in the Region, administered (policy, rotation, tags, aliases,
 * deletion), never used: no Encrypt, Decrypt, GenerateDataKey or ReEncrypt, so the role reads no
 * data the keys protect. Grants only for AWS resources (SageMaker's endpoint volume, Bedrock's
 * imported model), which the key policies allow the role to create.
 */
function keys(scope: DeploymentScope): Statement[] {
    // Every key the programs create has an alias; an account with none (the management account) gets no key permission.
    if (scope.keyAliases.length === 0) return [];
    const { regional, alias } = arns(scope);
    const key = regional("kms", "key/*");
    return [
        {
            Sid: "AdministerTheAccountsKeys",
            Effect: "Allow",
            Action: [
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
                "kms:PutKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:EnableKeyRotation",
                "kms:ListResourceTags",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:UpdateKeyDescription",
                "kms:ScheduleKeyDeletion",
            ],
            Resource: key,
        },
        {
            Sid: "ManageTheProgramsAliases",
            Effect: "Allow",
            Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
            Resource: [key, ...scope.keyAliases.map(alias)],
        },
        {
            Sid: "GrantKeysOnlyToAwsResources",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: key,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}

/** The artifact and access-log buckets' configuration: never an object (no Get/Put/DeleteObject), so never the models themselves. */
function buckets(scope: DeploymentScope): Statement[] {
    if (scope.buckets.length === 0) return [];
    return [
        {
            Sid: "ConfigureTheBucketsNotTheirObjects",
            Effect: "Allow",
            Action: [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                // HeadBucket, which the provider reads a bucket with, needs ListBucket: keys, not contents.
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetBucketAcl",
                "s3:GetBucketCORS",
                "s3:GetBucketWebsite",
                "s3:GetBucketRequestPayment",
                "s3:GetAccelerateConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:GetBucketObjectLockConfiguration",
                "s3:GetBucketTagging",
                "s3:PutBucketTagging",
                "s3:GetBucketPolicy",
                "s3:PutBucketPolicy",
                "s3:DeleteBucketPolicy",
                "s3:GetBucketPublicAccessBlock",
                "s3:PutBucketPublicAccessBlock",
                "s3:GetBucketOwnershipControls",
                "s3:PutBucketOwnershipControls",
                "s3:GetBucketVersioning",
                "s3:PutBucketVersioning",
                "s3:GetEncryptionConfiguration",
                "s3:PutEncryptionConfiguration",
                "s3:GetBucketLogging",
                "s3:PutBucketLogging",
            ],
            Resource: scope.buckets.map(arns(scope).bucket),
        },
    ];
}

function logGroups(scope: DeploymentScope): Statement[] {
    if (scope.logGroups.length === 0) return [];
    return [
        {
            Sid: "ManageTheProgramsLogGroups",
            Effect: "Allow",
            Action: [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:AssociateKmsKey",
                "logs:DisassociateKmsKey",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:ListTagsForResource",
            ],
            Resource: scope.logGroups.flatMap(arns(scope).logGroup),
        },
    ];
}

function parameters(scope: DeploymentScope): Statement[] {
    if (scope.parameters.length === 0) return [];
    return [
        {
            Sid: "ManageTheModelVersionParameters",
            Effect: "Allow",
            Action: [
                "ssm:PutParameter",
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:DeleteParameter",
                "ssm:AddTagsToResource",
                "ssm:RemoveTagsFromResource",
                "ssm:ListTagsForResource",
            ],
            Resource: scope.parameters.map(arns(scope).parameter),
        },
    ];
}

/** Bedrock Custom Model Import: the jobs and imported models of this account (the import job's SDK calls). */
function modelImports(scope: DeploymentScope): Statement[] {
    if (!scope.importsModels) return [];
    const { regional } = arns(scope);
    return [
        {
            Sid: "ImportModelsIntoBedrock",
            Effect: "Allow",
            Action: [
                "bedrock:GetModelImportJob",
                "bedrock:GetImportedModel",
                "bedrock:DeleteImportedModel",
                "bedrock:TagResource",
                "bedrock:UntagResource",
                "bedrock:ListTagsForResource",
            ],
            Resource: [regional("bedrock", "model-import-job/*"), regional("bedrock", "imported-model/*")],
        },
    ];
}

/** SageMaker hosting: models (in the VPC only), configurations and the stacks' endpoints, from the registries' packages. */
function sagemakerHosting(scope: DeploymentScope): Statement[] {
    if (scope.sagemakerEndpoints.length === 0) return [];
    const { partition, region } = scope;
    const { regional } = arns(scope);
    return [
        {
            Sid: "ManageModelsAndConfigs",
            Effect: "Allow",
            // As the pipeline's SageMaker deployment role, and the tag reads and removals Pulumi's updates make.
            Action: [...MODEL_AND_CONFIG_ACTIONS, "sagemaker:DeleteTags", "sagemaker:ListTags"],
            Resource: [regional("sagemaker", "model/*"), regional("sagemaker", "endpoint-config/*")],
        },
        {
            Sid: "ManageTheStacksEndpoints",
            Effect: "Allow",
            Action: [...ENDPOINT_ACTIONS, "sagemaker:AddTags", "sagemaker:DeleteTags", "sagemaker:ListTags"],
            Resource: scope.sagemakerEndpoints.map((e) => regional("sagemaker", `endpoint/${e}`)),
        },
        {
            Sid: "DescribeRegistryPackages",
            Effect: "Allow",
            Action: "sagemaker:DescribeModelPackage",
            Resource: scope.readsRegistries.map((r) => modelPackages(partition, region, r.accountId, r.group)),
        },
        ...denyWithoutVpc(),
    ];
}

/** The research account's registry: the group, its resource policy, and the approval of its package versions. */
function registry(scope: DeploymentScope): Statement[] {
    const group = scope.ownsRegistry;
    if (!group) return [];
    const { partition, region, accountId } = scope;
    return [
        {
            Sid: "ManageTheRegistryGroup",
            Effect: "Allow",
            Action: [
                "sagemaker:CreateModelPackageGroup",
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:DeleteModelPackageGroup",
                "sagemaker:PutModelPackageGroupPolicy",
                "sagemaker:GetModelPackageGroupPolicy",
                "sagemaker:DeleteModelPackageGroupPolicy",
                "sagemaker:AddTags",
                "sagemaker:DeleteTags",
                "sagemaker:ListTags",
            ],
            Resource: modelPackageGroup(partition, region, accountId, group),
        },
        {
            Sid: "ApproveRegistryPackages",
            Effect: "Allow",
            Action: ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages", "sagemaker:UpdateModelPackage"],
            Resource: [modelPackageGroup(partition, region, accountId, group), modelPackages(partition, region, accountId, group)],
        },
    ];
}

/** The inference image repositories' policies, never their images (no pull or push). */
function repositories(scope: DeploymentScope): Statement[] {
    if (scope.imageRepositories.length === 0) return [];
    return [
        {
            Sid: "ManageImageRepositoryPolicies",
            Effect: "Allow",
            Action: ["ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy"],
            Resource: scope.imageRepositories.map((r) => arns(scope).regional("ecr", `repository/${r}`)),
        },
    ];
}

function rekognitionProjects(scope: DeploymentScope): Statement[] {
    if (scope.rekognitionProjects.length === 0) return [];
    return [
        {
            Sid: "ManageTheSharedProjects",
            Effect: "Allow",
            Action: [
                "rekognition:DeleteProject",
                "rekognition:TagResource",
                "rekognition:UntagResource",
                "rekognition:ListTagsForResource",
            ],
            Resource: scope.rekognitionProjects.map((p) => arns(scope).regional("rekognition", `project/${p}/*`)),
        },
    ];
}

/** The management account's service control policies and their attachments to the configured accounts and OUs. */
function serviceControlPolicies(scope: DeploymentScope): Statement[] {
    const targets = scope.serviceControlPolicyTargets;
    if (targets.length === 0) return [];
    const { partition, accountId } = scope;
    const org = (resource: string) => `arn:${partition}:organizations::${accountId}:${resource}`;
    const target = (t: string) =>
        /^\d{12}$/.test(t) ? org(`account/o-*/${t}`) : t.startsWith("r-") ? org(`root/o-*/${t}`) : org(`ou/o-*/${t}`);
    const policies = org("policy/o-*/service_control_policy/*");
    return [
        {
            Sid: "ReadTheOrganization",
            Effect: "Allow",
            Action: "organizations:DescribeOrganization",
            Resource: "*",
        },
        {
            Sid: "ManageServiceControlPolicies",
            Effect: "Allow",
            Action: [
                "organizations:CreatePolicy",
                "organizations:DescribePolicy",
                "organizations:UpdatePolicy",
                "organizations:DeletePolicy",
                "organizations:ListTargetsForPolicy",
                "organizations:TagResource",
                "organizations:UntagResource",
                "organizations:ListTagsForResource",
            ],
            Resource: policies,
        },
        {
            Sid: "AttachThemToTheConfiguredTargets",
            Effect: "Allow",
            Action: ["organizations:AttachPolicy", "organizations:DetachPolicy", "organizations:ListPoliciesForTarget"],
            Resource: [policies, ...targets.map(target)],
        },
    ];
}

/** Everything the account's stacks need deployed, and nothing more. */
export function deploymentPermissions(scope: DeploymentScope): PolicyDocument {
    return policy(
        [
            ...regionalReads(scope),
            ...network(scope),
            ...roles(scope),
            ...keys(scope),
            ...buckets(scope),
            ...logGroups(scope),
            ...parameters(scope),
            ...modelImports(scope),
            ...sagemakerHosting(scope),
            ...registry(scope),
            ...repositories(scope),
            ...rekognitionProjects(scope),
            ...serviceControlPolicies(scope),
        ],
        "DeploymentRolePermissions",
    );
}
