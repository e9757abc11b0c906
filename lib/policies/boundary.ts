/**
 * The permissions boundary of the roles the programs create, in an account deployed through its
 * deployment role. The deployment role writes those roles' trust and inline policies, so without a
 * boundary it could write one that lets its own caller in with any permission; with it, every
 * role it creates or edits must carry this boundary (iam:PermissionsBoundary), and no such role
 * can ever do more than the workloads need: read model artifacts, use keys, place network
 * interfaces, write logs, pull the inference image, call SageMaker, Rekognition and Parameter
 * Store, assume the ML account's model access role, pass the SageMaker execution role to SageMaker.
 * Never IAM (but that one PassRole), Organizations, bucket or key administration, or object writes.
 *
 * A boundary grants nothing by itself: the roles' own policies still say which resources. The
 * access proof decides every workload path with it, so an action missing here fails the plan.
 */
import { PolicyDocument, policy } from "./document";
import { USE_ACTIONS } from "./kms";
import { describeNetworkStatement } from "./network";
import { ECR_PULL_ACTIONS, ENDPOINT_ACTIONS, MODEL_AND_CONFIG_ACTIONS } from "./sagemaker";
import { arn, rekognitionAccessRoleName, sagemakerExecutionRoleName } from "../naming";

/** What the workloads' roles do, on the resources their own policies name. */
export const WORKLOAD_ACTIONS = [
    // Reading model artifacts and packages (CMI role, SageMaker execution role).
    "s3:GetObject",
    "s3:ListBucket",
    "sagemaker:DescribeModelPackage",
    // Keys: decrypting artifacts, encrypting imported models and endpoint volumes, grants for AWS services.
    ...USE_ACTIONS,
    "kms:CreateGrant",
    // Network interfaces of import jobs and endpoints in the VPC.
    ...(describeNetworkStatement().Action as string[]),
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:CreateTags",
    // Logs of flow logs and endpoints.
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    // The inference image.
    "ecr:GetAuthorizationToken",
    ...ECR_PULL_ACTIONS,
    // The pipeline's SageMaker deployment role: models, configurations and the endpoint.
    ...MODEL_AND_CONFIG_ACTIONS,
    ...ENDPOINT_ACTIONS,
    "sagemaker:InvokeEndpoint",
    // Calling the shared model, and reading which version to call.
    "rekognition:DetectCustomLabels",
    "ssm:GetParameter",
    "ssm:GetParameters",
];

export function workloadBoundary(partition: string, accountId: string): PolicyDocument {
    return policy(
        [
            { Sid: "WorkloadActions", Effect: "Allow", Action: WORKLOAD_ACTIONS, Resource: "*" },
            {
                Sid: "AssumeOnlyTheModelAccessRole",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                // The ML account's access role for this account (Rekognition Custom Labels sharing).
                Resource: arn.role(partition, "*", rekognitionAccessRoleName(accountId)),
            },
            {
                Sid: "PassOnlyTheExecutionRoleToSageMaker",
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: arn.role(partition, accountId, sagemakerExecutionRoleName(accountId)),
                Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
            },
        ],
        "WorkloadPermissionsBoundary",
    );
}
