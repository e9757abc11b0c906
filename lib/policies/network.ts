/** Policies of the VPC-only network: flow logs role and VPC endpoint policies (the VPC-only network SageMaker hosting prescribes). */
import { PolicyDocument, Statement, policy, serviceTrustPolicy } from "./document";
import { readStatements } from "./s3";
import { EndpointService } from "../endpoints";
import { arn } from "../naming";

/**
 * What a service needs to place network interfaces in a VPC it is given (a Bedrock import job, a
 * SageMaker model): describe the VPC, its subnets and groups. The EC2 Describe actions support no
 * resource-level permissions, hence `*`.
 */
export function describeNetworkStatement(): Statement {
    return {
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: [
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeVpcs",
            "ec2:DescribeDhcpOptions",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
        ],
        Resource: "*",
    };
}

/** Trust of the flow logs role: the flow logs service, only for flow logs of this account (confused-deputy guard). */
export function flowLogsTrustPolicy(partition: string, region: string, accountId: string): PolicyDocument {
    return serviceTrustPolicy(
        "FlowLogsServiceForThisAccount",
        "vpc-flow-logs.amazonaws.com",
        accountId,
        arn.flowLogs(partition, region, accountId),
    );
}

/** What the flow logs role may do: write streams of one log group. */
export function flowLogsPermissions(logGroupArn: string): PolicyDocument {
    return policy([
        {
            Sid: "WriteFlowLogStreams",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroupArn, `${logGroupArn}:*`],
        },
    ]);
}

/**
 * Policy of an interface endpoint: the actions the workloads call through it (`lib/endpoints.ts`),
 * only by principals of the trusted accounts, so stolen credentials of another account cannot use
 * this network path, and only on resources of the trusted accounts, so the VPC's own principals
 * cannot carry data to another account's resources either.
 */
export function interfaceEndpointPolicy(
    service: EndpointService,
    principalAccounts: readonly string[],
    resourceAccounts: readonly string[],
): PolicyDocument {
    const principals = { "aws:PrincipalAccount": [...principalAccounts] };
    const onResources: Statement[] =
        service.actions.length === 0
            ? []
            : [
                  {
                      Sid: "TrustedPrincipalsOnTrustedResources",
                      Effect: "Allow",
                      Principal: "*",
                      Action: [...service.actions],
                      Resource: "*",
                      Condition: { StringEquals: { ...principals, "aws:ResourceAccount": [...resourceAccounts] } },
                  },
              ];
    // These actions name no resource, so there is no resource account to match (lib/endpoints.ts).
    const withoutResource: Statement[] =
        (service.actionsWithoutResource ?? []).length === 0
            ? []
            : [
                  {
                      Sid: "TrustedPrincipalsActionsWithoutResource",
                      Effect: "Allow",
                      Principal: "*",
                      Action: [...service.actionsWithoutResource!],
                      Resource: "*",
                      Condition: { StringEquals: principals },
                  },
              ];
    return policy([...onResources, ...withoutResource]);
}

/** What the hosting VPC may reach in S3: read prefixes of another account's bucket, and buckets of its own. */
export interface S3Reach {
    /** The hosting account: its principals use the endpoint, its buckets may be read. */
    readonly accountId: string;
    /** Principals' accounts admitted besides the hosting account's own. */
    readonly principalAccounts: readonly string[];
    /** Buckets of other accounts and the prefixes shared with this account (empty: the whole bucket). */
    readonly shared: readonly { readonly bucket: string; readonly prefixes: readonly string[] }[];
    /** Buckets of this account the workloads write to; none by default (no workload here writes). */
    readonly writableBuckets: readonly string[];
}

/**
 * Policy of the S3 gateway endpoint: reads of the shared prefixes of the research bucket, reads of
 * this account's buckets, writes only to the named buckets of this account, all by principals of
 * the trusted accounts; plus reading the ECR layer bucket so images can be pulled without internet
 * access. A principal in the VPC cannot copy data to any other bucket through this path.
 */
export function s3GatewayEndpointPolicy(partition: string, region: string, reach: S3Reach): PolicyDocument {
    const principals = { "aws:PrincipalAccount": [...new Set([reach.accountId, ...reach.principalAccounts])] };
    const sharedReads: Statement[] = reach.shared.flatMap(({ bucket, prefixes }, i) =>
        readStatements(partition, bucket, prefixes).map((read, j) => ({
            Sid: `${j === 0 ? "List" : "Read"}SharedPrefixes${i + 1}`,
            Effect: "Allow" as const,
            Principal: "*" as const,
            ...read,
            Condition: { ...read.Condition, StringEquals: principals },
        })),
    );
    const writes: Statement[] =
        reach.writableBuckets.length === 0
            ? []
            : [
                  {
                      Sid: "WriteNamedBucketsOfThisAccount",
                      Effect: "Allow",
                      Principal: "*",
                      Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                      Resource: reach.writableBuckets.map((b) => arn.objects(partition, b)),
                      Condition: { StringEquals: { ...principals, "aws:ResourceAccount": reach.accountId } },
                  },
              ];
    return policy([
        ...sharedReads,
        {
            Sid: "ReadBucketsOfThisAccount",
            Effect: "Allow",
            Principal: "*",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
            Resource: "*",
            Condition: { StringEquals: { ...principals, "aws:ResourceAccount": reach.accountId } },
        },
        ...writes,
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
