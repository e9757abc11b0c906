/**
 * The inputs the rules read, by resource type, as the engine sends them to the analyzer: plain
 * values, any of them possibly absent (and, during preview, unknown: reading one raises the
 * framework's "can't run during preview" notice). Only the fields some rule reads are listed.
 *
 * Local types rather than @pulumi/aws's `*Args`: the engine's values are not the SDK's inputs (a
 * provider's lists arrive as JSON strings, documents as strings or objects), the pack gates stacks
 * whatever their @pulumi/aws version, and the pack is type-checked at every start, where
 * `import * as aws from "@pulumi/aws"` costs about 3 s and 350 MB more (measured with tsc).
 */

/** An IAM policy document: a JSON string, or an object where the program passed one. */
export type PolicyDocumentValue = string | object;

/** Inputs of a type no rule reads beyond its type (gateways, VPCs). */
type NoneRead = Readonly<Record<never, never>>;

/** The ARN, known once the resource exists (AnalyzeStack after an update, imported resources). */
interface Arn {
    readonly arn?: string;
}

/** A settings resource that points at its bucket by name (or, in the engine, by dependency). */
interface OfBucket {
    readonly bucket?: string;
}

/** One rule of an S3 default encryption configuration. */
export interface EncryptionRule {
    readonly applyServerSideEncryptionByDefault?: { readonly sseAlgorithm?: string; readonly kmsMasterKeyId?: string };
}

/** A security group's inline rule, or a SecurityGroupRule: the CIDR blocks it admits. */
interface CidrBlocks {
    readonly cidrBlocks?: readonly string[];
    readonly ipv6CidrBlocks?: readonly string[];
}

export interface BucketProps extends OfBucket, Arn {
    readonly acl?: string;
}
export interface BucketEncryptionProps extends OfBucket {
    readonly rules?: readonly EncryptionRule[];
}
export interface PublicAccessBlockProps extends OfBucket {
    readonly blockPublicAcls?: boolean;
    readonly blockPublicPolicy?: boolean;
    readonly ignorePublicAcls?: boolean;
    readonly restrictPublicBuckets?: boolean;
}
export interface PolicyProps extends Arn {
    readonly policy?: PolicyDocumentValue;
}

/** The AWS provider's inputs: `allowedAccountIds` arrives as a JSON string (lists on providers do). */
export interface ProviderProps {
    readonly allowedAccountIds?: string | readonly string[];
    /** JSON text of `[{roleArn, ...}]` (lists and objects on providers arrive as JSON). */
    readonly assumeRoles?: string | readonly { readonly roleArn?: string }[];
    readonly assumeRole?: string | { readonly roleArn?: string };
}

export interface PropsByType {
    "aws:s3/bucket:Bucket": BucketProps;
    "aws:s3/bucketV2:BucketV2": BucketProps;
    "aws:s3/bucketPolicy:BucketPolicy": PolicyProps & OfBucket;
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": BucketEncryptionProps;
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": BucketEncryptionProps;
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": PublicAccessBlockProps;
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": OfBucket & { readonly rule?: { readonly objectOwnership?: string } };
    "aws:s3/bucketAcl:BucketAcl": OfBucket;
    "aws:s3/bucketAclV2:BucketAclV2": OfBucket;
    "aws:s3/bucketVersioning:BucketVersioning": OfBucket & { readonly versioningConfiguration?: { readonly status?: string } };
    "aws:s3/bucketVersioningV2:BucketVersioningV2": OfBucket & { readonly versioningConfiguration?: { readonly status?: string } };
    "aws:s3/bucketLogging:BucketLogging": OfBucket & { readonly targetBucket?: string };
    "aws:s3/bucketLoggingV2:BucketLoggingV2": OfBucket & { readonly targetBucket?: string };

    "aws:kms/key:Key": PolicyProps & {
        readonly customerMasterKeySpec?: string;
        readonly enableKeyRotation?: boolean;
        readonly deletionWindowInDays?: number;
    };

    "aws:iam/role:Role": Arn & {
        readonly assumeRolePolicy?: PolicyDocumentValue;
        readonly inlinePolicies?: readonly { readonly policy?: PolicyDocumentValue }[];
    };
    "aws:iam/rolePolicy:RolePolicy": PolicyProps;
    "aws:iam/policy:Policy": PolicyProps;
    "aws:iam/userPolicy:UserPolicy": PolicyProps;
    "aws:iam/groupPolicy:GroupPolicy": PolicyProps;

    "aws:ec2/vpc:Vpc": NoneRead;
    "aws:ec2/internetGateway:InternetGateway": NoneRead;
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": NoneRead;
    "aws:ec2/natGateway:NatGateway": NoneRead;
    "aws:ec2/subnet:Subnet": { readonly mapPublicIpOnLaunch?: boolean };
    "aws:ec2/securityGroup:SecurityGroup": { readonly ingress?: readonly CidrBlocks[] };
    "aws:ec2/securityGroupRule:SecurityGroupRule": CidrBlocks & { readonly type?: string };
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { readonly cidrIpv4?: string; readonly cidrIpv6?: string };
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        readonly vpcId?: string;
        readonly ingress?: readonly unknown[];
        readonly egress?: readonly unknown[];
    };
    "aws:ec2/flowLog:FlowLog": { readonly vpcId?: string; readonly trafficType?: string };
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        readonly serviceName?: string;
        readonly policy?: PolicyDocumentValue;
        readonly vpcEndpointType?: string;
        readonly privateDnsEnabled?: boolean;
    };
    "aws:cloudwatch/logGroup:LogGroup": { readonly kmsKeyId?: string };

    "aws:sagemaker/model:Model": {
        readonly vpcConfig?: { readonly subnets?: readonly string[]; readonly securityGroupIds?: readonly string[] };
        readonly enableNetworkIsolation?: boolean;
    };
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": { readonly kmsKeyArn?: string };
    "aws:sagemaker/notebookInstance:NotebookInstance": {
        readonly subnetId?: string;
        readonly directInternetAccess?: string;
        readonly kmsKeyId?: string;
    };
    "pulumi-nodejs:dynamic/bedrock:ModelImportJob": { readonly importedModelKmsKeyArn?: string };
    "aws:bedrock/customModel:CustomModel": { readonly customModelKmsKeyId?: string };
    "aws:ecr/repositoryPolicy:RepositoryPolicy": PolicyProps;
    "pulumi:providers:aws": ProviderProps;
    "aws:organizations/policy:Policy": { readonly type?: string; readonly content?: PolicyDocumentValue };

    // Resource-input rules (issue 21: ML network paths, egress, evidence, credentials), read
    // through lib/values.ts whatever the spelling, hence `Spelled`. aws-native types are the
    // CloudFormation resources @pulumi/aws lacks (model quality, bias and explainability jobs) or
    // whose defaults differ (a security group without egress keeps AWS's allow-all rule).
    "aws:sagemaker/domain:Domain": Spelled<"appNetworkAccessType">;
    "aws:sagemaker/trainingJob:TrainingJob": Spelled<"vpcConfig" | "enableNetworkIsolation">;
    "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob": Spelled<"trainingJobDefinition" | "trainingJobDefinitions">;
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition": Spelled<"networkConfig">;
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule": Spelled<"monitoringScheduleConfig">;
    "aws-native:sagemaker:DataQualityJobDefinition": Spelled<"networkConfig">;
    "aws-native:sagemaker:ModelQualityJobDefinition": Spelled<"networkConfig">;
    "aws-native:sagemaker:ModelBiasJobDefinition": Spelled<"networkConfig">;
    "aws-native:sagemaker:ModelExplainabilityJobDefinition": Spelled<"networkConfig">;
    "aws-native:sagemaker:MonitoringSchedule": Spelled<"monitoringScheduleConfig">;
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Spelled<"cidrIpv4" | "cidrIpv6">;
    "aws-native:ec2:SecurityGroup": Spelled<"securityGroupEgress">;
    "aws-native:ec2:SecurityGroupEgress": Spelled<"cidrIp" | "cidrIpv6">;
    "aws:cloudtrail/trail:Trail": Spelled<"enableLogging" | "enableLogFileValidation" | "isMultiRegionTrail">;
    "aws:ecr/repository:Repository": Spelled<"name" | "imageTagMutability" | "imageScanningConfiguration">;
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": Spelled<"scanType" | "rules">;
    "aws:iam/user:User": Spelled<"name">;
    "aws:iam/accessKey:AccessKey": Spelled<"user" | "status">;
    "aws:iam/userLoginProfile:UserLoginProfile": Spelled<"user">;
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": Spelled<"userName" | "serviceName" | "status">;
    "aws:iam/signingCertificate:SigningCertificate": Spelled<"userName" | "status">;
    "aws:iam/sshKey:SshKey": Spelled<"username" | "status">;
}

export type ResourceType = keyof PropsByType;

/** Inputs whose spelling varies (`"true"`, JSON lists, any case): declared, read through lib/values.ts. */
type Spelled<K extends string> = { readonly [P in K]?: unknown };
