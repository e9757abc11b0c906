import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EncryptionKey } from "./encryptionKey";
import { subnetCidrs } from "../lib/cidr";
import { INTERFACE_ENDPOINTS } from "../lib/endpoints";
import { toJson } from "../lib/policies/document";
import { logGroupKeyPolicy } from "../lib/policies/kms";
import { flowLogsPermissions, flowLogsTrustPolicy, interfaceEndpointPolicy, s3GatewayEndpointPolicy } from "../lib/policies/network";

export interface SecureVpcArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** IPv4 block of the VPC, /16 to /28. */
    readonly cidr: string;
    /** One private subnet is created in each zone; at least two. */
    readonly availabilityZones: readonly string[];
    /** Interface endpoint short names, from `lib/endpoints.ts`. */
    readonly interfaceEndpoints: readonly string[];
    /**
     * Accounts whose principals may use the endpoints, and whose buckets the S3 endpoint reaches:
     * this account and the accounts it consumes from (the research account).
     */
    readonly trustedAccounts: readonly string[];
    /** Buckets of other accounts (research's) and the prefixes shared with this account; empty prefixes: the whole bucket. */
    readonly s3Shared: readonly { readonly bucket: string; readonly prefixes: readonly string[] }[];
    /** Buckets of this account workloads may write to through the S3 endpoint (default none). */
    readonly writableBuckets?: readonly string[];
    readonly flowLogRetentionInDays: number;
    readonly keyDeletionWindowInDays: number;
    /** Names the flow log group, so it is unique per stack. */
    readonly logGroupName: string;
    readonly tags?: Record<string, string>;
    /** The permissions boundary of the roles it creates (the account's workload boundary, when deployed through its deployment role). */
    readonly permissionsBoundary?: string;
}

/**
 * A VPC with no route to the internet (the network SageMaker hosting prescribes, used by every
 * workload of a hosting account): private subnets across zones, no internet or NAT gateway, S3
 * through a gateway endpoint and AWS APIs through interface endpoints with private DNS, each
 * endpoint limited by policy to the actions workloads call, by principals of the trusted accounts,
 * on resources of the trusted accounts (S3: the shared prefixes only); a workload security group that
 * admits only itself, an endpoint security group that admits HTTPS from the VPC only, encrypted
 * flow logs of all traffic, and the default security group stripped of its rules.
 */
export class SecureVpc extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly vpcId: pulumi.Output<string>;
    public readonly subnetIds: pulumi.Output<string[]>;
    /** Private subnet IDs by availability zone. */
    public readonly subnetIdsByZone: pulumi.Output<Record<string, string>>;
    public readonly workloadSecurityGroupId: pulumi.Output<string>;
    public readonly endpointSecurityGroupId: pulumi.Output<string>;
    public readonly s3EndpointId: pulumi.Output<string>;
    /** Interface endpoint IDs by service short name (`kms`, `sts`, ...). */
    public readonly interfaceEndpointIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: SecureVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:network:SecureVpc", name, {}, opts);
        this.vpc = this.privateVpc(name, args);
        const vpcId = this.vpc.id;
        const { routeTable, subnets } = this.privateSubnets(name, args, vpcId);
        this.subnetIds = pulumi.all(subnets.map((s) => s.id));
        this.subnetIdsByZone = pulumi
            .all(subnets.map((s) => s.id))
            .apply((ids) => Object.fromEntries(args.availabilityZones.map((zone, i) => [zone, ids[i]])));
        const s3Endpoint = this.s3GatewayEndpoint(name, args, vpcId, routeTable);
        const endpointSg = this.endpointSecurityGroup(name, args, vpcId);
        const workloadSg = this.workloadSecurityGroup(name, args, vpcId, endpointSg, s3Endpoint);
        this.s3EndpointId = s3Endpoint.id;
        this.workloadSecurityGroupId = workloadSg.id;
        this.endpointSecurityGroupId = endpointSg.id;
        this.interfaceEndpointIds = this.interfaceEndpoints(name, args, vpcId, this.subnetIds, endpointSg);
        this.flowLogs(name, args);
        this.vpcId = vpcId;
        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            workloadSecurityGroupId: this.workloadSecurityGroupId,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
            s3EndpointId: this.s3EndpointId,
            interfaceEndpointIds: this.interfaceEndpointIds,
        });
    }

    /** The VPC, with the DNS settings private endpoints need, and its default security group left with no rules. */
    private privateVpc(name: string, args: SecureVpcArgs): aws.ec2.Vpc {
        const { tags } = args;
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidr,
                enableDnsSupport: true,
                enableDnsHostnames: true, // private DNS of interface endpoints needs both
                tags: { ...tags, Name: name },
            },
            { parent: this },
        );
        // The default group is attached to anything launched without one; leave it no rules at all.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags }, { parent: this });
        return vpc;
    }

    /** One private subnet per zone, all on one route table with no route out of the VPC (no internet or NAT gateway). */
    private privateSubnets(name: string, args: SecureVpcArgs, vpcId: pulumi.Output<string>) {
        const { tags } = args;
        const routeTable = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId, tags }, { parent: this });
        const cidrs = subnetCidrs(args.cidr, args.availabilityZones.length);
        const subnets = args.availabilityZones.map((zone, i) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${zone}`,
                {
                    vpcId,
                    availabilityZone: zone,
                    cidrBlock: cidrs[i],
                    mapPublicIpOnLaunch: false,
                    tags: { ...tags, Name: `${name}-private-${zone}` },
                },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${zone}`,
                { subnetId: subnet.id, routeTableId: routeTable.id },
                { parent: this },
            );
            return subnet;
        });
        return { routeTable, subnets };
    }

    /** S3 through a gateway endpoint on the private route table, limited to the trusted accounts and the shared prefixes. */
    private s3GatewayEndpoint(
        name: string,
        args: SecureVpcArgs,
        vpcId: pulumi.Output<string>,
        routeTable: aws.ec2.RouteTable,
    ): aws.ec2.VpcEndpoint {
        const { partition, region, tags } = args;
        return new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId,
                serviceName: `com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [routeTable.id],
                policy: toJson(
                    s3GatewayEndpointPolicy(partition, region, {
                        accountId: args.accountId,
                        principalAccounts: args.trustedAccounts,
                        shared: args.s3Shared,
                        writableBuckets: args.writableBuckets ?? [],
                    }),
                ),
                tags,
            },
            { parent: this },
        );
    }

    /** The interface endpoints' group: HTTPS from inside the VPC, nothing else. */
    private endpointSecurityGroup(name: string, args: SecureVpcArgs, vpcId: pulumi.Output<string>): aws.ec2.SecurityGroup {
        const endpointSg = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId,
                description: "Interface VPC endpoints: HTTPS from inside the VPC only",
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https-from-vpc`,
            {
                securityGroupId: endpointSg.id,
                description: "HTTPS from the VPC",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: args.cidr,
            },
            { parent: this },
        );
        return endpointSg;
    }

    /** The workloads' group: traffic among its members, and out only HTTPS to the interface endpoints and S3. */
    private workloadSecurityGroup(
        name: string,
        args: SecureVpcArgs,
        vpcId: pulumi.Output<string>,
        endpointSg: aws.ec2.SecurityGroup,
        s3Endpoint: aws.ec2.VpcEndpoint,
    ): aws.ec2.SecurityGroup {
        const workloadSg = new aws.ec2.SecurityGroup(
            `${name}-workload-sg`,
            {
                vpcId,
                description: "Model workloads: traffic within the group, HTTPS to endpoints and S3",
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-workload-from-self`,
            {
                securityGroupId: workloadSg.id,
                description: "Only members of this group",
                ipProtocol: "-1",
                referencedSecurityGroupId: workloadSg.id,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-workload-to-self`,
            {
                securityGroupId: workloadSg.id,
                description: "Members of this group",
                ipProtocol: "-1",
                referencedSecurityGroupId: workloadSg.id,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-workload-to-endpoints`,
            {
                securityGroupId: workloadSg.id,
                description: "HTTPS to the interface endpoints",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                referencedSecurityGroupId: endpointSg.id,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-workload-to-s3`,
            {
                securityGroupId: workloadSg.id,
                description: "HTTPS to S3 through the gateway endpoint",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                prefixListId: s3Endpoint.prefixListId,
            },
            { parent: this },
        );
        return workloadSg;
    }

    /**
     * AWS APIs through interface endpoints with private DNS in every subnet, each limited by policy
     * (where the service supports one) to the actions workloads call, by and on the trusted accounts.
     * Returns their IDs by service short name.
     */
    private interfaceEndpoints(
        name: string,
        args: SecureVpcArgs,
        vpcId: pulumi.Output<string>,
        subnetIds: pulumi.Output<string[]>,
        endpointSg: aws.ec2.SecurityGroup,
    ): pulumi.Output<Record<string, string>> {
        const endpointIds: Record<string, pulumi.Output<string>> = {};
        for (const service of args.interfaceEndpoints) {
            const known = INTERFACE_ENDPOINTS[service];
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}`,
                {
                    vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds,
                    securityGroupIds: [endpointSg.id],
                    policy: known.supportsPolicy
                        ? toJson(interfaceEndpointPolicy(known, args.trustedAccounts, args.trustedAccounts))
                        : undefined,
                    tags: args.tags,
                },
                { parent: this },
            );
            endpointIds[service] = endpoint.id;
        }
        return pulumi.output(endpointIds);
    }

    /** Flow logs of all traffic into a KMS-encrypted log group, written by a role only this account's flow logs can assume. */
    private flowLogs(name: string, args: SecureVpcArgs): void {
        const { partition, region, accountId, tags } = args;
        const key = new EncryptionKey(
            `${name}-flow-logs-key`,
            {
                description: `VPC flow logs in ${args.logGroupName}`,
                policy: logGroupKeyPolicy(partition, region, accountId, args.logGroupName),
                deletionWindowInDays: args.keyDeletionWindowInDays,
                alias: `${args.logGroupName.replace(/^\//, "")}`,
                protect: false,
                tags,
            },
            { parent: this },
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: args.logGroupName,
                kmsKeyId: key.arn,
                retentionInDays: args.flowLogRetentionInDays,
                tags,
            },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                assumeRolePolicy: toJson(flowLogsTrustPolicy(partition, region, accountId)),
                description: "Publishes VPC flow logs to CloudWatch Logs",
                tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-write`,
            {
                role: role.name,
                policy: logGroup.arn.apply((arn) => toJson(flowLogsPermissions(arn))),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags,
            },
            { parent: this },
        );
    }
}
