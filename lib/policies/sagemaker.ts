/** SageMaker hosting policies: the registry's resource policy, the model execution and deployment roles, the target key. */
import { PolicyDocument, Statement, onlyRole, policy, rolesByAccount, serviceTrustPolicy } from "./document";
import { readStatements } from "./s3";
import { DECRYPT_ACTIONS, USE_ACTIONS, keyAdministration, allowRole, allowRoleGrantsForAwsResources } from "./kms";
import { describeNetworkStatement } from "./network";
import { arn, deploymentRoleName as accountDeploymentRoleName } from "../naming";

const REGISTRY_READ_ACTIONS = ["sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages"];

/** A role of a target account that may read the registry. */
export interface RegistryReader {
    readonly accountId: string;
    readonly roleNames: readonly string[];
}

export const modelPackages = (partition: string, region: string, accountId: string, group: string) =>
    `arn:${partition}:sagemaker:${region}:${accountId}:model-package/${group}/*`;
export const modelPackageGroup = (partition: string, region: string, accountId: string, group: string) =>
    `arn:${partition}:sagemaker:${region}:${accountId}:model-package-group/${group}`;

/** The model package group's resource policy: the named roles of each target account may describe and list its packages. */
export function registryPolicy(
    partition: string,
    region: string,
    accountId: string,
    group: string,
    readers: readonly RegistryReader[],
): PolicyDocument {
    return policy(
        readers.map((r) => ({
            Sid: `ReadRegistry${r.accountId}`,
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(partition, r.accountId) },
            Action: REGISTRY_READ_ACTIONS,
            Resource: [modelPackageGroup(partition, region, accountId, group), modelPackages(partition, region, accountId, group)],
            Condition: onlyRole(r.roleNames.map((n) => arn.role(partition, r.accountId, n))),
        })),
    );
}

/** Trust of the execution role: SageMaker, for this account's models and endpoints only. */
export function executionTrustPolicy(partition: string, region: string, accountId: string): PolicyDocument {
    return serviceTrustPolicy(
        "SageMakerOfThisAccount",
        "sagemaker.amazonaws.com",
        accountId,
        `arn:${partition}:sagemaker:${region}:${accountId}:*`,
    );
}

export interface ExecutionPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly artifacts: { readonly accountId: string; readonly bucket: string; readonly keyArn: string; readonly prefix: string };
    readonly registry: { readonly accountId: string; readonly group: string };
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
    readonly logGroupArn: string;
    /** The repository of the model's inference image; without it the role pulls no image. */
    readonly imageRepositoryArn?: string;
}

/** What pulling an image from a repository takes (AWS's CreateModel execution-role permissions). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

/** SageMaker pulls the inference image as the execution role: its own repository only, and a token (which names no resource). */
function pullImage(repositoryArn: string | undefined): Statement[] {
    if (!repositoryArn) return [];
    return [
        { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Sid: "PullInferenceImage", Effect: "Allow", Action: ECR_PULL_ACTIONS, Resource: repositoryArn },
    ];
}

/**
 * The inference image repository's policy (research): each target's execution role may pull, by
 * account root with an `aws:PrincipalArn` condition, so the policy is valid before the roles exist.
 */
export function imageRepositoryPolicy(
    partition: string,
    readers: readonly { readonly accountId: string; readonly roleName: string }[],
): PolicyDocument {
    return policy(
        readers.map((r) => ({
            Sid: `PullByExecutionRole${r.accountId}`,
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(partition, r.accountId) },
            Action: ECR_PULL_ACTIONS,
            Condition: onlyRole(arn.role(partition, r.accountId, r.roleName)),
        })),
        "InferenceImageRepositoryPolicy",
    );
}

/** What SageMaker may do as the execution role: read the approved artifacts, describe the packages, place its interfaces in the VPC, write its logs. */
export function executionPolicy(args: ExecutionPolicyArgs): PolicyDocument {
    const { partition, region, accountId, artifacts } = args;
    const ownedByDevelopment = { StringEquals: { "aws:ResourceAccount": artifacts.accountId } };
    const [list, get] = readStatements(partition, artifacts.bucket, [artifacts.prefix]);
    const ec2 = (type: string, id: string) => `arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
    const subnets = args.subnetIds.map((id) => ec2("subnet", id));
    const statements: Statement[] = [
        { Sid: "ListModelArtifacts", Effect: "Allow", ...list, Condition: { ...list.Condition, ...ownedByDevelopment } },
        { Sid: "ReadModelArtifacts", Effect: "Allow", ...get, Condition: ownedByDevelopment },
        { Sid: "DecryptModelArtifacts", Effect: "Allow", Action: DECRYPT_ACTIONS, Resource: artifacts.keyArn },
        {
            Sid: "DescribeApprovedPackages",
            Effect: "Allow",
            Action: ["sagemaker:DescribeModelPackage"],
            Resource: modelPackages(partition, region, args.registry.accountId, args.registry.group),
        },
        describeNetworkStatement(),
        {
            Sid: "CreateInterfacesInModelSubnets",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [ec2("network-interface", "*"), ...subnets, ...args.securityGroupIds.map((id) => ec2("security-group", id))],
        },
        {
            Sid: "ManageInterfacesInModelSubnets",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
            Resource: ec2("network-interface", "*"),
            Condition: { ArnEquals: { "ec2:Subnet": subnets } },
        },
        {
            Sid: "WriteEndpointLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${args.logGroupArn}:*`,
        },
        ...pullImage(args.imageRepositoryArn),
    ];
    return policy(statements);
}

/** SageMaker hosting's preventive control: no model or job without VPC subnets and security groups (one statement per key, so either missing denies). */
export function denyWithoutVpc(): Statement[] {
    return ["VpcSubnets", "VpcSecurityGroupIds"].map((k) => ({
        Sid: `DenyWithout${k}`,
        Effect: "Deny",
        Action: [
            "sagemaker:CreateModel",
            "sagemaker:CreateTrainingJob",
            "sagemaker:CreateProcessingJob",
            "sagemaker:CreateHyperParameterTuningJob",
        ],
        Resource: "*",
        Condition: { Null: { [`sagemaker:${k}`]: "true" } },
    }));
}

/** Deploying a model: creating, reading and deleting models and endpoint configurations (with denyWithoutVpc beside it). */
export const MODEL_AND_CONFIG_ACTIONS = [
    "sagemaker:CreateModel",
    "sagemaker:DescribeModel",
    "sagemaker:DeleteModel",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DeleteEndpointConfig",
    "sagemaker:AddTags",
];

/** Managing an endpoint (tags apart, which each role adds as it needs). */
export const ENDPOINT_ACTIONS = [
    "sagemaker:CreateEndpoint",
    "sagemaker:UpdateEndpoint",
    "sagemaker:DescribeEndpoint",
    "sagemaker:DeleteEndpoint",
];

export interface DeploymentPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly executionRoleArn: string;
    readonly endpointName: string;
    readonly keyArn: string;
    readonly registry: { readonly accountId: string; readonly group: string };
}

/** What the deployment pipeline may do: models, configs and its one endpoint, pass only the execution role, in the VPC only. */
export function deploymentPolicy(args: DeploymentPolicyArgs): PolicyDocument {
    const { partition, region, accountId } = args;
    const sm = (type: string, name: string) => `arn:${partition}:sagemaker:${region}:${accountId}:${type}/${name}`;
    return policy([
        {
            Sid: "ManageModelsAndConfigs",
            Effect: "Allow",
            Action: [...MODEL_AND_CONFIG_ACTIONS],
            Resource: [sm("model", "*"), sm("endpoint-config", "*")],
        },
        {
            Sid: "ManageTheEndpoint",
            Effect: "Allow",
            Action: [...ENDPOINT_ACTIONS, "sagemaker:InvokeEndpoint", "sagemaker:AddTags"],
            Resource: sm("endpoint", args.endpointName),
        },
        {
            Sid: "DescribeApprovedPackages",
            Effect: "Allow",
            Action: ["sagemaker:DescribeModelPackage"],
            Resource: modelPackages(partition, region, args.registry.accountId, args.registry.group),
        },
        {
            Sid: "PassOnlyTheExecutionRole",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: args.executionRoleArn,
            Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
        },
        {
            Sid: "GrantEndpointKeyToSageMaker",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:DescribeKey"],
            Resource: args.keyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        ...denyWithoutVpc(),
    ]);
}

/** The Sid of the trust statement for deployers of the role's own account (unchanged since deployers were of this account only). */
const SAME_ACCOUNT_DEPLOYERS_SID = "DeploymentPipelineRoles";

/**
 * Trust of the deployment role: only the named pipeline roles, of this account or of the
 * development account (seed 003: the pipeline runs there and assumes, in each target account,
 * this role). One statement per account, in AWS's form for cross-account role trust: the
 * account's root as principal, `ArnEquals aws:PrincipalArn` the listed roles of that account (valid
 * before the roles exist, and surviving their re-creation). This account's statement comes first
 * and keeps its Sid, so adding a development-account deployer only adds a statement.
 */
export function deploymentTrustPolicy(partition: string, accountId: string, deployerArns: readonly string[]): PolicyDocument {
    const byAccount = rolesByAccount(deployerArns, [accountId]);
    const statements: Statement[] = [...byAccount]
        // This account's statement stays, even empty, when no other account has deployers (as before: a trust needs a statement).
        .filter(([account, roles]) => roles.length > 0 || (account === accountId && byAccount.size === 1))
        .map(([account, roles]) => ({
            Sid: account === accountId ? SAME_ACCOUNT_DEPLOYERS_SID : `DeploymentPipelineRolesOf${account}`,
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(partition, account) },
            Action: "sts:AssumeRole",
            Condition: onlyRole(roles),
        }));
    return policy(statements);
}

/** The target's key for endpoint volumes and logs: the execution role uses it, the deployment role grants it to SageMaker, CloudWatch Logs encrypts the endpoint's log group. */
export function endpointKeyPolicy(
    partition: string,
    region: string,
    accountId: string,
    executionRoleName: string,
    deploymentRoleName: string,
    logGroupArn: string,
): PolicyDocument {
    return policy(
        [
            keyAdministration(partition, accountId),
            allowRole("UseByExecutionRole", partition, accountId, executionRoleName, USE_ACTIONS),
            allowRoleGrantsForAwsResources(partition, accountId, [deploymentRoleName, accountDeploymentRoleName(accountId)]),
            allowRole("DescribeByDeploymentRole", partition, accountId, deploymentRoleName, ["kms:DescribeKey"]),
            {
                Sid: "UseByCloudWatchLogsForTheEndpointLogGroup",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: USE_ACTIONS,
                Resource: "*",
                Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
            },
        ],
        "SageMakerEndpointKeyPolicy",
    );
}
