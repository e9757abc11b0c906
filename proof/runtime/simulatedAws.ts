/**
 * A simulated AWS for Pulumi's mock runtime: deterministic IDs and ARNs per account and Region,
 * the invokes this project makes, and StackReferences answered from upstream stacks' exports.
 * Used by the tests and by the offline plan; nothing here talks to AWS.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

type State = Record<string, unknown>;

/** A deterministic hex digest of the parts, for IDs that are stable across runs. */
function digest(...parts: string[]): string {
    return createHash("sha256").update(parts.join("/")).digest("hex");
}

function uuid(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface SimulatedAwsOptions {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    /** Exports of other stacks, by fully qualified stack name, for StackReferences. */
    readonly stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Stacks that exist but were never deployed (fully qualified): references to them have no outputs. */
    readonly createdStacks?: ReadonlySet<string>;
    /** Answer references to stacks not run yet with no outputs, to discover what a program references. */
    readonly discovery?: boolean;
}

export class SimulatedAws implements pulumi.runtime.Mocks {
    constructor(private readonly opts: SimulatedAwsOptions) {}

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const { accountId, region, partition } = this.opts;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId, arn: `arn:${partition}:iam::${accountId}:user/deployer`, userId: "AIDASIMULATED", id: accountId };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:index/getPartition:getPartition":
                return { partition, dnsSuffix: "amazonaws.com", id: partition, reverseDnsPrefix: "com.amazonaws" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d", "e", "f"];
                return {
                    id: region,
                    names: letters.map((l) => `${region}${l}`),
                    zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                };
            }
            default:
                throw new Error(`The simulated AWS does not answer the invoke ${args.token}`);
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        if (args.type === "pulumi:pulumi:StackReference") {
            return {
                id: args.inputs.name,
                state: { name: args.inputs.name, outputs: this.stackReferenceOutputs(args.inputs.name), secretOutputNames: [] },
            };
        }
        const { id, state } = this.attributes(args);
        return { id, state: { ...args.inputs, ...state } };
    }

    /**
     * What the engine answers for a StackReference: the stack's outputs; none for a stack that
     * exists but was never deployed; an error for a stack that was never created (pulumi/pulumi
     * pkg/backend/backend.go, GetStackOutputs: `unknown stack %q`; pkg/backend/diy/state.go gives an
     * empty snapshot for a stack never updated).
     */
    private stackReferenceOutputs(name: string): Record<string, unknown> {
        const outputs = this.opts.stackOutputs.get(name);
        if (outputs) return outputs;
        if (this.opts.discovery || this.opts.createdStacks?.has(name)) return {};
        throw new Error(`unknown stack "${name}"`);
    }

    /** The attributes AWS would compute for a resource, in the shapes `@pulumi/aws` declares. */
    private attributes(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        const { accountId, region, partition } = this.opts;
        const hex = digest(accountId, region, args.type, args.name);
        const inputs = args.inputs;
        const ec2 = (prefix: string, type: string) => {
            const id = `${prefix}-${hex.slice(0, 17)}`;
            return { id, state: { arn: `arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`, ownerId: accountId } };
        };
        switch (args.type) {
            case "aws:s3/bucket:Bucket": {
                const name = inputs.bucket ?? `${args.name}-${hex.slice(0, 7)}`;
                return {
                    id: name,
                    state: { bucket: name, arn: `arn:${partition}:s3:::${name}`, region, bucketDomainName: `${name}.s3.amazonaws.com` },
                };
            }
            case "aws:kms/key:Key": {
                const keyId = uuid(hex);
                return { id: keyId, state: { keyId, arn: `arn:${partition}:kms:${region}:${accountId}:key/${keyId}` } };
            }
            case "aws:kms/alias:Alias":
                return { id: inputs.name, state: { arn: `arn:${partition}:kms:${region}:${accountId}:${inputs.name}` } };
            case "aws:iam/role:Role": {
                const name = inputs.name ?? `${args.name}-${hex.slice(0, 7)}`;
                return {
                    id: name,
                    state: {
                        name,
                        arn: `arn:${partition}:iam::${accountId}:role/${inputs.path ?? ""}${name}`,
                        uniqueId: `AROA${hex.slice(0, 17).toUpperCase()}`,
                    },
                };
            }
            case "aws:iam/policy:Policy": {
                // A managed policy's ARN: arn:<partition>:iam::<account>:policy/<path><name> (IAM API, Policy).
                const name = inputs.name ?? `${args.name}-${hex.slice(0, 7)}`;
                const arn = `arn:${partition}:iam::${accountId}:policy/${inputs.path ?? ""}${name}`;
                return { id: arn, state: { name, arn, policyId: `ANPA${hex.slice(0, 17).toUpperCase()}` } };
            }
            case "aws:iam/rolePolicy:RolePolicy": {
                const name = inputs.name ?? `${args.name}-${hex.slice(0, 7)}`;
                return { id: `${inputs.role}:${name}`, state: { name } };
            }
            case "aws:cloudwatch/logGroup:LogGroup":
                return { id: inputs.name, state: { arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${inputs.name}` } };
            case "aws:ec2/vpc:Vpc": {
                const vpc = ec2("vpc", "vpc");
                return {
                    id: vpc.id,
                    state: {
                        ...vpc.state,
                        defaultSecurityGroupId: `sg-${hex.slice(17, 34)}`,
                        mainRouteTableId: `rtb-${hex.slice(17, 34)}`,
                    },
                };
            }
            case "aws:ec2/subnet:Subnet":
                return ec2("subnet", "subnet");
            case "aws:ec2/securityGroup:SecurityGroup":
            case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
                return ec2("sg", "security-group");
            case "aws:ec2/routeTable:RouteTable":
                return ec2("rtb", "route-table");
            case "aws:ec2/flowLog:FlowLog":
                return ec2("fl", "vpc-flow-log");
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                const endpoint = ec2("vpce", "vpc-endpoint");
                const gateway = inputs.vpcEndpointType === "Gateway";
                return { id: endpoint.id, state: { ...endpoint.state, prefixListId: gateway ? `pl-${hex.slice(0, 8)}` : undefined } };
            }
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
                return { id: `sgr-${hex.slice(0, 17)}`, state: {} };
            case "aws:organizations/policy:Policy":
                return {
                    id: `p-${hex.slice(0, 8)}`,
                    state: {
                        arn: `arn:${partition}:organizations::${accountId}:policy/o-simulated/service_control_policy/p-${hex.slice(0, 8)}`,
                    },
                };
            case "aws:organizations/policyAttachment:PolicyAttachment":
                return { id: `${inputs.targetId}:${inputs.policyId}`, state: {} };
            case "aws:sagemaker/modelPackageGroup:ModelPackageGroup":
                return {
                    id: inputs.modelPackageGroupName,
                    state: { arn: `arn:${partition}:sagemaker:${region}:${accountId}:model-package-group/${inputs.modelPackageGroupName}` },
                };
            case "aws:sagemaker/model:Model":
            case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
            case "aws:sagemaker/endpoint:Endpoint": {
                const kind = {
                    "aws:sagemaker/model:Model": "model",
                    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": "endpoint-config",
                    "aws:sagemaker/endpoint:Endpoint": "endpoint",
                }[args.type]!;
                const name = inputs.name ?? `${args.name}-${hex.slice(0, 7)}`;
                return { id: name, state: { name, arn: `arn:${partition}:sagemaker:${region}:${accountId}:${kind}/${name}` } };
            }
            case "aws:rekognition/project:Project":
                return {
                    id: inputs.name,
                    state: { arn: `arn:${partition}:rekognition:${region}:${accountId}:project/${inputs.name}/1700000000000` },
                };
            case "aws:ssm/parameter:Parameter":
                return {
                    id: inputs.name,
                    state: { arn: `arn:${partition}:ssm:${region}:${accountId}:parameter${inputs.name}`, version: 1 },
                };
            case "pulumi-nodejs:dynamic/bedrock:ModelImportJob": {
                const bedrock = `arn:${partition}:bedrock:${region}:${accountId}`;
                return {
                    id: `${bedrock}:model-import-job/${hex.slice(0, 12)}`,
                    state: {
                        jobArn: `${bedrock}:model-import-job/${hex.slice(0, 12)}`,
                        fullJobName: `${inputs.jobName}-${hex.slice(12, 20)}`,
                        modelName: `${inputs.importedModelName}-${hex.slice(12, 20)}`,
                        importedModelArn: `${bedrock}:imported-model/${hex.slice(20, 32)}`,
                    },
                };
            }
            default:
                return { id: `${args.name}-${hex.slice(0, 8)}`, state: {} };
        }
    }
}
