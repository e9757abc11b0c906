/**
 * The requests that create what the programs declare: for each resource type, the create or put
 * call the AWS provider (or the import job) makes, and the further calls some resources need. The
 * deployment-scope paths ask each of them of the account's deployment role.
 */
import { arn } from "../../lib/naming";
import type { DeclaredResource, DeclaredStack } from "./inventory";

/** One request: an action on a resource, with the context keys its authorization depends on. */
export type Request = { action: string; resource: string; context?: Record<string, string | string[]> };

/** Where a resource is created: its stack (and account), partition and region. */
interface Site {
    readonly stack: DeclaredStack;
    readonly partition: string;
    readonly region: string;
}

type Creation = (r: DeclaredResource, site: Site) => Request;

const bucketOf = (r: DeclaredResource, { partition }: Site) => arn.bucket(partition, r.inputs.bucket);
const ec2 = ({ stack, partition, region }: Site, type: string, id: string) =>
    `arn:${partition}:ec2:${region}:${stack.accountId}:${type}/${id}`;
// The deployment role writes roles only with the workload boundary (iam:PermissionsBoundary).
const boundaryContext = (role: DeclaredResource | undefined): Record<string, string> =>
    role?.inputs.permissionsBoundary ? { "iam:PermissionsBoundary": role.inputs.permissionsBoundary } : {};

/** IAM and KMS: roles under the workload boundary, keys with their policies. */
const IDENTITY_AND_KEYS: Record<string, Creation> = {
    "aws:iam/role:Role": (r) => ({ action: "iam:CreateRole", resource: r.state.arn, context: boundaryContext(r) }),
    "aws:iam/rolePolicy:RolePolicy": (r, { stack, partition }) => {
        const role = stack.resources.find((x) => x.type === "aws:iam/role:Role" && x.state.name === r.inputs.role);
        return {
            action: "iam:PutRolePolicy",
            resource: arn.role(partition, stack.accountId, r.inputs.role),
            context: boundaryContext(role),
        };
    },
    "aws:kms/key:Key": (r) => ({ action: "kms:PutKeyPolicy", resource: r.state.arn }),
    "aws:kms/alias:Alias": (r) => ({ action: "kms:CreateAlias", resource: r.state.arn }),
};

/** S3: the bucket, then each of its settings on the bucket's ARN. */
const BUCKETS: Record<string, Creation> = {
    "aws:s3/bucket:Bucket": (r) => ({ action: "s3:CreateBucket", resource: r.state.arn }),
    "aws:s3/bucketPolicy:BucketPolicy": (r, site) => ({ action: "s3:PutBucketPolicy", resource: bucketOf(r, site) }),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (r, site) => ({
        action: "s3:PutBucketPublicAccessBlock",
        resource: bucketOf(r, site),
    }),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (r, site) => ({
        action: "s3:PutBucketOwnershipControls",
        resource: bucketOf(r, site),
    }),
    "aws:s3/bucketVersioning:BucketVersioning": (r, site) => ({ action: "s3:PutBucketVersioning", resource: bucketOf(r, site) }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (r, site) => ({
        action: "s3:PutEncryptionConfiguration",
        resource: bucketOf(r, site),
    }),
    "aws:s3/bucketLogging:BucketLogging": (r, site) => ({ action: "s3:PutBucketLogging", resource: bucketOf(r, site) }),
};

/** The hosting network: VPC, subnets, routes, security groups and their rules, endpoints, flow logs. */
const NETWORK: Record<string, Creation> = {
    "aws:ec2/vpc:Vpc": (r) => ({ action: "ec2:CreateVpc", resource: r.state.arn }),
    "aws:ec2/subnet:Subnet": (r) => ({ action: "ec2:CreateSubnet", resource: r.state.arn }),
    "aws:ec2/routeTable:RouteTable": (r) => ({ action: "ec2:CreateRouteTable", resource: r.state.arn }),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (r, site) => ({
        action: "ec2:AssociateRouteTable",
        resource: ec2(site, "route-table", r.inputs.routeTableId),
    }),
    "aws:ec2/securityGroup:SecurityGroup": (r) => ({ action: "ec2:CreateSecurityGroup", resource: r.state.arn }),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (r) => ({ action: "ec2:RevokeSecurityGroupIngress", resource: r.state.arn }),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (r, site) => ({
        action: "ec2:AuthorizeSecurityGroupIngress",
        resource: ec2(site, "security-group", r.inputs.securityGroupId),
    }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (r, site) => ({
        action: "ec2:AuthorizeSecurityGroupEgress",
        resource: ec2(site, "security-group", r.inputs.securityGroupId),
    }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => ({ action: "ec2:CreateVpcEndpoint", resource: r.state.arn }),
    "aws:ec2/flowLog:FlowLog": (r) => ({
        action: "iam:PassRole",
        resource: r.inputs.iamRoleArn,
        context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" },
    }),
    "aws:cloudwatch/logGroup:LogGroup": (r) => ({ action: "logs:CreateLogGroup", resource: r.state.arn }),
};

/** The architectures' own resources: the version parameter, SageMaker hosting and registry, Rekognition, SCPs, the import job. */
const MODELS: Record<string, Creation> = {
    "aws:ssm/parameter:Parameter": (r) => ({ action: "ssm:PutParameter", resource: r.state.arn }),
    "aws:sagemaker/model:Model": (r) => ({
        action: "sagemaker:CreateModel",
        resource: r.state.arn,
        context: {
            "sagemaker:VpcSubnets": r.inputs.vpcConfig?.subnets ?? [],
            "sagemaker:VpcSecurityGroupIds": r.inputs.vpcConfig?.securityGroupIds ?? [],
        },
    }),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (r) => ({
        action: "kms:CreateGrant",
        resource: r.inputs.kmsKeyArn,
        context: { "kms:GrantIsForAWSResource": "true" },
    }),
    "aws:sagemaker/endpoint:Endpoint": (r) => ({ action: "sagemaker:CreateEndpoint", resource: r.state.arn }),
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": (r) => ({ action: "sagemaker:CreateModelPackageGroup", resource: r.state.arn }),
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": (r, { stack, partition, region }) => ({
        action: "sagemaker:PutModelPackageGroupPolicy",
        resource: `arn:${partition}:sagemaker:${region}:${stack.accountId}:model-package-group/${r.inputs.modelPackageGroupName}`,
    }),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": (r, { stack, partition, region }) => ({
        action: "ecr:SetRepositoryPolicy",
        resource: `arn:${partition}:ecr:${region}:${stack.accountId}:repository/${r.inputs.repository}`,
    }),
    // CreateProject names no resource (Service Authorization Reference): decided on `*`.
    "aws:rekognition/project:Project": () => ({ action: "rekognition:CreateProject", resource: "*" }),
    "aws:organizations/policy:Policy": (r) => ({ action: "organizations:CreatePolicy", resource: r.state.arn }),
    "aws:organizations/policyAttachment:PolicyAttachment": (r, { stack, partition }) => ({
        action: "organizations:AttachPolicy",
        resource: `arn:${partition}:organizations::${stack.accountId}:account/o-simulated/${r.inputs.targetId}`,
    }),
    "pulumi-nodejs:dynamic/bedrock:ModelImportJob": (r) => ({
        action: "iam:PassRole",
        resource: r.inputs.roleArn,
        context: { "iam:PassedToService": "bedrock.amazonaws.com" },
    }),
};

const CREATIONS = new Map<string, Creation>(Object.entries({ ...IDENTITY_AND_KEYS, ...BUCKETS, ...NETWORK, ...MODELS }));

/**
 * The creating request of a declared resource; "none" for components and references, which AWS
 * never sees; undefined for a type the proof does not know, which fails it by name: add its
 * request here and its actions to lib/policies/deployment.ts.
 */
export function creationRequest(
    r: DeclaredResource,
    stack: DeclaredStack,
    partition: string,
    region: string,
): Request | "none" | undefined {
    const creation = CREATIONS.get(r.type);
    if (creation) return creation(r, { stack, partition, region });
    return r.type.startsWith("pulumi:") || r.type.startsWith("cross-account-models:") ? "none" : undefined;
}

/** Further requests some resources need beyond their creation: the model's package, the import job itself. */
export function followUps(r: DeclaredResource): Request[] {
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
