/** Policies of the VPC-only network: flow logs role and VPC endpoint policies (seed 003). */
import { PolicyDocument, policy, serviceTrustPolicy } from "./document";
import { arn } from "../naming";

/** Trust of the flow logs role: the flow logs service, only for flow logs of this account (confused-deputy guard). */
export function flowLogsTrustPolicy(partition: string, region: string, accountId: string): PolicyDocument {
    return serviceTrustPolicy("FlowLogsServiceForThisAccount", "vpc-flow-logs.amazonaws.com", accountId, arn.flowLogs(partition, region, accountId));
}

/** What the flow logs role may do: write streams of one log group. */
export function flowLogsPermissions(logGroupArn: string): PolicyDocument {
    return policy([{
        Sid: "WriteFlowLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
    }]);
}

/**
 * Policy of an interface endpoint: the service's actions only, and only for principals of the
 * listed accounts, so stolen credentials of another account cannot use this network path.
 */
export function interfaceEndpointPolicy(iamPrefix: string, principalAccounts: readonly string[]): PolicyDocument {
    return policy([{
        Sid: "OnlyPrincipalsOfTrustedAccounts",
        Effect: "Allow",
        Principal: "*",
        Action: `${iamPrefix}:*`,
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": [...principalAccounts] } },
    }]);
}

/** The S3 actions workloads in the VPC need: read models and data, write outputs. */
const S3_DATA_ACTIONS = [
    "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation",
    "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
];

/**
 * Policy of the S3 gateway endpoint: data actions on buckets owned by the trusted accounts, by
 * principals of those accounts, plus reading the ECR layer bucket so images can be pulled without
 * internet access.
 */
export function s3GatewayEndpointPolicy(partition: string, region: string, trustedAccounts: readonly string[], principalAccounts: readonly string[]): PolicyDocument {
    const principals = { "aws:PrincipalAccount": [...principalAccounts] };
    return policy([
        {
            Sid: "TrustedBucketsOnly",
            Effect: "Allow",
            Principal: "*",
            Action: S3_DATA_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceAccount": [...trustedAccounts], ...principals } },
        },
        {
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            // Layers are fetched with URLs ECR presigns, so the principal is ECR's, not ours (ECR user guide).
            Resource: arn.objects(partition, `prod-${region}-starport-layer-bucket`),
        },
    ]);
}
