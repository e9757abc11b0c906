/**
 * Deterministic names and ARNs. Cross-account grants name roles that another stack creates, so
 * both sides must derive the same names from the same inputs: this module is the only place
 * they are derived.
 */
import { partitionOfRegion } from "./regions";

/** The Pulumi project name; the namespace of this project's configuration keys. */
export const PROJECT = "cross-account-models";

/** The AWS partition a Region belongs to (lib/regions.ts; by its prefix for a Region not listed there). */
export function partitionOf(region: string): string {
    const known = partitionOfRegion(region);
    if (known) return known;
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** Default name of the role Bedrock assumes for import jobs in a hosting account (Bedrock Custom Model Import). */
export function defaultCmiRoleName(accountId: string): string {
    return `BedrockCMIExecutionRole-${accountId}`;
}

/** Default name of the model artifact bucket in the research account (Bedrock Custom Model Import). */
export function defaultArtifactBucketName(accountId: string): string {
    return `model-artifacts-${accountId}`;
}

/** The fully qualified name a StackReference uses on the local file backend. */
export function stackReferenceName(stack: string, organization = "organization"): string {
    return stack.includes("/") ? stack : `${organization}/${PROJECT}/${stack}`;
}

/** The stack name of a StackReference (`org/project/stack` or `stack`). */
export function referencedStack(reference: string): string {
    return reference.split("/").pop()!;
}

export const arn = {
    accountRoot: (partition: string, accountId: string) => `arn:${partition}:iam::${accountId}:root`,
    role: (partition: string, accountId: string, roleName: string) => `arn:${partition}:iam::${accountId}:role/${roleName}`,
    bucket: (partition: string, bucket: string) => `arn:${partition}:s3:::${bucket}`,
    objects: (partition: string, bucket: string, prefix = "") => `arn:${partition}:s3:::${bucket}/${prefix}*`,
    modelImportJobs: (partition: string, region: string, accountId: string) =>
        `arn:${partition}:bedrock:${region}:${accountId}:model-import-job/*`,
    logGroup: (partition: string, region: string, accountId: string, name: string) =>
        `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`,
    flowLogs: (partition: string, region: string, accountId: string) => `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*`,
    policy: (partition: string, accountId: string, name: string) => `arn:${partition}:iam::${accountId}:policy/${name}`,
};

/** Tags every resource of a stack carries, so a resource in the console leads back to its stack. */
export function stackTags(stack: string): Record<string, string> {
    return { project: PROJECT, "pulumi-stack": stack };
}

/** The role in the ML (research) account that one consumer account assumes to call the model (Rekognition Custom Labels sharing). */
export function rekognitionAccessRoleName(consumerAccountId: string): string {
    return `RekognitionModelAccess-${consumerAccountId}`;
}

/** The application role in a consumer account that may assume the ML account's access role. */
export function rekognitionAppRoleName(accountId: string): string {
    return `RekognitionModelConsumer-${accountId}`;
}

/** Where a consumer stack keeps the model version ARN its application calls (Rekognition Custom Labels sharing: Parameter Store). */
export const DEFAULT_MODEL_VERSION_PARAMETER = `/${PROJECT}/rekognition/model-version-arn`;

/** The ARN of an SSM parameter whose name starts with '/'. */
export function parameterArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:ssm:${region}:${accountId}:parameter${name}`;
}

/** The role SageMaker assumes in a target account to host models (the ModelExecutionRole of SageMaker hosting). */
export function sagemakerExecutionRoleName(accountId: string): string {
    return `SageMakerModelExecutionRole-${accountId}`;
}

/** The role a target account's deployment pipeline assumes to create models and endpoints. */
export function sagemakerDeploymentRoleName(accountId: string): string {
    return `SageMakerModelDeploymentRole-${accountId}`;
}

/**
 * The role every other stack of an account deploys through (the bootstrap program creates it,
 * trusted by the CI roles): the account's deployment role.
 */
export function deploymentRoleName(accountId: string): string {
    return `CrossAccountModelsDeployment-${accountId}`;
}

/** The CloudWatch Logs group of a hosting stack's VPC flow logs (its key's alias is the name without the leading '/'). */
export function flowLogGroupName(stack: string): string {
    return `/${PROJECT}/${stack}/vpc-flow-logs`;
}

/** Alias (without `alias/`) of the key for a hosting stack's imported Bedrock models. */
export function importedModelKeyAlias(stack: string): string {
    return `${PROJECT}/${stack}/imported-models`;
}

/** The SageMaker endpoint a hosting stack serves. */
export function sagemakerEndpointName(stack: string): string {
    return `${PROJECT}-${stack}`;
}

/** SageMaker's fixed log group name for an endpoint; declared first, so it is encrypted and has a retention. */
export function endpointLogGroupName(endpointName: string): string {
    return `/aws/sagemaker/Endpoints/${endpointName}`;
}

/** Alias (without `alias/`) of the key for a SageMaker endpoint's volume and logs. */
export function endpointKeyAlias(endpointName: string): string {
    return `sagemaker/${endpointName}`;
}

/** The bucket that receives the artifact bucket's server access logs. */
export function accessLogBucketName(artifactBucket: string): string {
    return `${artifactBucket}-logs`;
}

/**
 * The permissions boundary of every role the programs create in an account deployed through its
 * deployment role (the bootstrap program creates it): the most any such role can ever do.
 */
export function workloadBoundaryName(accountId: string): string {
    return `CrossAccountModelsWorkloadBoundary-${accountId}`;
}
