/**
 * Which input changes make the AWS provider replace a resource rather than update it, for the
 * resource types the programs declare (`npm run plan`'s resources; proof/runtime/awsModel.ts). The
 * AWS provider (pulumi-aws 7.x) is Terraform's AWS provider (6.x) bridged: a property marked
 * ForceNew (plugin SDK) or RequiresReplace (plugin framework) in its schema replaces the resource,
 * under its Pulumi (camelCase) name. Sources are hashicorp/terraform-provider-aws files, each
 * resource's schema in internal/service/<service>/, and its page in website/docs/r/.
 *
 * `region`: every Regional resource has it since 6.0, and "changing the value of region will force
 * resource replacement" (Terraform AWS provider, Enhanced Region Support guide); IAM and
 * Organizations are global and have none.
 */

interface Replacement {
    /** Inputs whose change replaces the resource. */
    readonly replaceOn: readonly string[];
    /** The provider updates nothing but tags: every other input replaces (its Update is tags only). */
    readonly tagsOnlyUpdate?: boolean;
    /**
     * The input that names the resource where the provider would name it itself. Given explicitly,
     * a replacement must delete first, or the new resource's name would collide
     * (nameRequiresDeleteBeforeReplace, pulumi/pulumi-terraform-bridge pkg/tfbridge/schema.go).
     */
    readonly nameInput?: string;
    readonly source: string;
}

const REGIONAL = "region";

export const REPLACEMENTS: Readonly<Record<string, Replacement>> = {
    "aws:cloudwatch/logGroup:LogGroup": {
        replaceOn: ["name", "namePrefix", "logGroupClass", REGIONAL],
        source: "internal/service/logs/group.go; website/docs/r/cloudwatch_log_group.html.markdown",
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        replaceOn: ["vpcId", REGIONAL],
        source: "internal/service/ec2/vpc_default_security_group.go",
    },
    "aws:ec2/flowLog:FlowLog": {
        replaceOn: [REGIONAL],
        tagsOnlyUpdate: true,
        source: "internal/service/ec2/vpc_flow_log.go (every argument ForceNew; resourceLogFlowUpdate: tags only)",
    },
    "aws:ec2/routeTable:RouteTable": { replaceOn: ["vpcId", REGIONAL], source: "internal/service/ec2/vpc_route_table.go" },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        // routeTableId is updated in place (ReplaceRouteTableAssociation).
        replaceOn: ["subnetId", "gatewayId", REGIONAL],
        source: "internal/service/ec2/vpc_route_table_association.go",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        replaceOn: ["name", "namePrefix", "description", "vpcId", REGIONAL],
        source: "internal/service/ec2/vpc_security_group.go",
    },
    "aws:ec2/subnet:Subnet": {
        replaceOn: [
            ...["availabilityZone", "availabilityZoneId", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
            ...["ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn", "vpcId", REGIONAL],
        ],
        source: "internal/service/ec2/vpc_subnet.go",
    },
    "aws:ec2/vpc:Vpc": {
        // instanceTenancy is updated in place (ModifyVpcTenancy).
        replaceOn: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", REGIONAL],
        source: "internal/service/ec2/vpc_.go",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        replaceOn: ["vpcId", "serviceName", "vpcEndpointType", "serviceRegion", "resourceConfigurationArn", "serviceNetworkArn", REGIONAL],
        source: "internal/service/ec2/vpc_endpoint.go",
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        replaceOn: ["repository", REGIONAL],
        source: "internal/service/ecr/repository_policy.go",
    },
    "aws:iam/policy:Policy": {
        replaceOn: ["name", "namePrefix", "path", "description"],
        nameInput: "name",
        source: "internal/service/iam/policy.go",
    },
    "aws:iam/role:Role": {
        replaceOn: ["name", "namePrefix", "path"],
        nameInput: "name",
        source: "internal/service/iam/role.go; website/docs/r/iam_role.html.markdown",
    },
    "aws:iam/rolePolicy:RolePolicy": {
        replaceOn: ["name", "namePrefix", "role"],
        nameInput: "name",
        source: "internal/service/iam/role_policy.go",
    },
    "aws:kms/alias:Alias": { replaceOn: ["name", "namePrefix", REGIONAL], source: "internal/service/kms/alias.go" },
    "aws:kms/key:Key": {
        replaceOn: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", REGIONAL],
        source: "internal/service/kms/key.go",
    },
    "aws:organizations/policy:Policy": { replaceOn: ["type"], source: "internal/service/organizations/policy.go" },
    "aws:organizations/policyAttachment:PolicyAttachment": {
        replaceOn: ["policyId", "targetId"],
        source: "internal/service/organizations/policy_attachment.go",
    },
    "aws:rekognition/project:Project": {
        replaceOn: ["name", "feature", "autoUpdate", REGIONAL],
        source: "internal/service/rekognition/project.go (RequiresReplace)",
    },
    "aws:s3/bucket:Bucket": {
        replaceOn: ["bucket", "bucketPrefix", "objectLockEnabled", REGIONAL],
        nameInput: "bucket",
        source: "internal/service/s3/bucket.go; website/docs/r/s3_bucket.html.markdown",
    },
    "aws:s3/bucketLogging:BucketLogging": {
        replaceOn: ["bucket", "expectedBucketOwner", REGIONAL],
        source: "internal/service/s3/bucket_logging.go",
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        replaceOn: ["bucket", REGIONAL],
        source: "internal/service/s3/bucket_ownership_controls.go",
    },
    "aws:s3/bucketPolicy:BucketPolicy": { replaceOn: ["bucket", REGIONAL], source: "internal/service/s3/bucket_policy.go" },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        replaceOn: ["bucket", REGIONAL],
        source: "internal/service/s3/bucket_public_access_block.go",
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        replaceOn: ["bucket", "expectedBucketOwner", REGIONAL],
        source: "internal/service/s3/bucket_server_side_encryption_configuration.go",
    },
    "aws:s3/bucketVersioning:BucketVersioning": {
        replaceOn: ["bucket", "expectedBucketOwner", REGIONAL],
        source: "internal/service/s3/bucket_versioning.go",
    },
    "aws:sagemaker/endpoint:Endpoint": {
        // endpointConfigName and deploymentConfig are updated in place (UpdateEndpoint).
        replaceOn: ["name", REGIONAL],
        nameInput: "name",
        source: "internal/service/sagemaker/endpoint.go",
    },
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
        replaceOn: [REGIONAL],
        tagsOnlyUpdate: true,
        nameInput: "name",
        source: "internal/service/sagemaker/endpoint_configuration.go (update: tags only)",
    },
    "aws:sagemaker/model:Model": {
        replaceOn: [REGIONAL],
        tagsOnlyUpdate: true,
        nameInput: "name",
        source: "internal/service/sagemaker/model.go (every argument or its fields ForceNew; update: tags only)",
    },
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": {
        replaceOn: ["modelPackageGroupName", "modelPackageGroupDescription", REGIONAL],
        source: "internal/service/sagemaker/model_package_group.go",
    },
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": {
        replaceOn: ["modelPackageGroupName", REGIONAL],
        source: "internal/service/sagemaker/model_package_group_policy.go",
    },
    "aws:ssm/parameter:Parameter": {
        // tier replaces only from Advanced to Standard (CustomizeDiff); not modelled.
        replaceOn: ["name", "dataType", REGIONAL],
        source: "internal/service/ssm/parameter.go",
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        replaceOn: ["securityGroupId", REGIONAL],
        source: "internal/service/ec2/vpc_security_group_egress_rule.go (RequiresReplace)",
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        replaceOn: ["securityGroupId", REGIONAL],
        source: "internal/service/ec2/vpc_security_group_ingress_rule.go (RequiresReplace)",
    },
};

/** Tags are the one thing every taggable resource updates in place. */
const TAGS = new Set(["tags", "tagsAll"]);

/** Whether a change of this input replaces a resource of this type. */
export function replacesOn(type: string, input: string): boolean {
    const replacement = REPLACEMENTS[type];
    if (!replacement) return false;
    return replacement.replaceOn.includes(input) || (!!replacement.tagsOnlyUpdate && !TAGS.has(input));
}

/** Whether a replacement must delete the old resource first: its name was given, not generated. */
export function deletesBeforeReplace(type: string, news: Record<string, unknown>): boolean {
    const nameInput = REPLACEMENTS[type]?.nameInput;
    return nameInput !== undefined && news[nameInput] !== undefined;
}
