/**
 * What AWS computes for the resources and data sources this project declares: deterministic IDs,
 * ARNs and attributes per account and Region, in the shapes `@pulumi/aws` declares. One model for
 * every place that stands in for AWS (the mock runtime's simulated AWS, and any provider speaking
 * the engine's protocol), so they cannot drift apart. Nothing here talks to AWS.
 */
import { createHash } from "crypto";

export type State = Record<string, unknown>;

/** Where a resource lives. */
export interface AccountScope {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
}

/** A resource as AWS is asked to create it. */
export interface ResourceRequest {
    readonly type: string;
    /** The logical name: where AWS names a resource itself, the name derives from it. */
    readonly name: string;
    readonly inputs: Record<string, any>;
}

/** A deterministic hex digest of the parts, for IDs that are stable across runs. */
function digest(...parts: string[]): string {
    return createHash("sha256").update(parts.join("/")).digest("hex");
}

function uuid(hex: string): string {
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface Derivation {
    readonly scope: AccountScope;
    readonly request: ResourceRequest;
    readonly inputs: Record<string, any>;
    /** A digest of account, Region, type and logical name: stable IDs. */
    readonly hex: string;
    /** The resource's name: the one given, else the logical name with a suffix (Pulumi's auto-naming). */
    readonly name: string;
}

type Created = { id: string; state: State };

const ec2 = (d: Derivation, prefix: string, type: string): Created => {
    const id = `${prefix}-${d.hex.slice(0, 17)}`;
    return {
        id,
        state: { arn: `arn:${d.scope.partition}:ec2:${d.scope.region}:${d.scope.accountId}:${type}/${id}`, ownerId: d.scope.accountId },
    };
};

const sagemaker =
    (kind: string) =>
    (d: Derivation): Created => ({
        id: d.name,
        state: { name: d.name, arn: `arn:${d.scope.partition}:sagemaker:${d.scope.region}:${d.scope.accountId}:${kind}/${d.name}` },
    });

/** The attributes AWS computes, by resource type. */
const DERIVATIONS: Readonly<Record<string, (d: Derivation) => Created>> = {
    "aws:s3/bucket:Bucket": ({ scope, inputs, request, hex }) => {
        const name = inputs.bucket ?? `${request.name}-${hex.slice(0, 7)}`;
        return {
            id: name,
            state: {
                bucket: name,
                arn: `arn:${scope.partition}:s3:::${name}`,
                region: scope.region,
                bucketDomainName: `${name}.s3.amazonaws.com`,
            },
        };
    },
    "aws:kms/key:Key": ({ scope, hex }) => {
        const keyId = uuid(hex);
        return { id: keyId, state: { keyId, arn: `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:key/${keyId}` } };
    },
    "aws:kms/alias:Alias": ({ scope, inputs }) => ({
        id: inputs.name,
        state: { arn: `arn:${scope.partition}:kms:${scope.region}:${scope.accountId}:${inputs.name}` },
    }),
    "aws:iam/role:Role": ({ scope, inputs, name, hex }) => ({
        id: name,
        state: {
            name,
            arn: `arn:${scope.partition}:iam::${scope.accountId}:role/${inputs.path ?? ""}${name}`,
            uniqueId: `AROA${hex.slice(0, 17).toUpperCase()}`,
        },
    }),
    // A managed policy's ARN: arn:<partition>:iam::<account>:policy/<path><name> (IAM API, Policy).
    "aws:iam/policy:Policy": ({ scope, inputs, name, hex }) => {
        const arn = `arn:${scope.partition}:iam::${scope.accountId}:policy/${inputs.path ?? ""}${name}`;
        return { id: arn, state: { name, arn, policyId: `ANPA${hex.slice(0, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": ({ inputs, name }) => ({ id: `${inputs.role}:${name}`, state: { name } }),
    "aws:cloudwatch/logGroup:LogGroup": ({ scope, inputs }) => ({
        id: inputs.name,
        state: { arn: `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${inputs.name}` },
    }),
    "aws:ec2/vpc:Vpc": (d) => {
        const vpc = ec2(d, "vpc", "vpc");
        return {
            id: vpc.id,
            state: { ...vpc.state, defaultSecurityGroupId: `sg-${d.hex.slice(17, 34)}`, mainRouteTableId: `rtb-${d.hex.slice(17, 34)}` },
        };
    },
    "aws:ec2/subnet:Subnet": (d) => ec2(d, "subnet", "subnet"),
    "aws:ec2/securityGroup:SecurityGroup": (d) => ec2(d, "sg", "security-group"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (d) => ec2(d, "sg", "security-group"),
    "aws:ec2/routeTable:RouteTable": (d) => ec2(d, "rtb", "route-table"),
    "aws:ec2/flowLog:FlowLog": (d) => ec2(d, "fl", "vpc-flow-log"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (d) => {
        const endpoint = ec2(d, "vpce", "vpc-endpoint");
        const gateway = d.inputs.vpcEndpointType === "Gateway";
        return { id: endpoint.id, state: { ...endpoint.state, prefixListId: gateway ? `pl-${d.hex.slice(0, 8)}` : undefined } };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ({ hex }) => ({ id: `sgr-${hex.slice(0, 17)}`, state: {} }),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ({ hex }) => ({ id: `sgr-${hex.slice(0, 17)}`, state: {} }),
    "aws:organizations/policy:Policy": ({ scope, hex }) => ({
        id: `p-${hex.slice(0, 8)}`,
        state: {
            arn: `arn:${scope.partition}:organizations::${scope.accountId}:policy/o-simulated/service_control_policy/p-${hex.slice(0, 8)}`,
        },
    }),
    "aws:organizations/policyAttachment:PolicyAttachment": ({ inputs }) => ({ id: `${inputs.targetId}:${inputs.policyId}`, state: {} }),
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": ({ scope, inputs }) => ({
        id: inputs.modelPackageGroupName,
        state: {
            arn: `arn:${scope.partition}:sagemaker:${scope.region}:${scope.accountId}:model-package-group/${inputs.modelPackageGroupName}`,
        },
    }),
    "aws:sagemaker/model:Model": sagemaker("model"),
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": sagemaker("endpoint-config"),
    "aws:sagemaker/endpoint:Endpoint": sagemaker("endpoint"),
    "aws:rekognition/project:Project": ({ scope, inputs }) => ({
        id: inputs.name,
        state: { arn: `arn:${scope.partition}:rekognition:${scope.region}:${scope.accountId}:project/${inputs.name}/1700000000000` },
    }),
    "aws:ssm/parameter:Parameter": ({ scope, inputs }) => ({
        id: inputs.name,
        state: { arn: `arn:${scope.partition}:ssm:${scope.region}:${scope.accountId}:parameter${inputs.name}`, version: 1 },
    }),
    "pulumi-nodejs:dynamic/bedrock:ModelImportJob": ({ scope, inputs, hex }) => {
        const bedrock = `arn:${scope.partition}:bedrock:${scope.region}:${scope.accountId}`;
        return {
            id: `${bedrock}:model-import-job/${hex.slice(0, 12)}`,
            state: {
                jobArn: `${bedrock}:model-import-job/${hex.slice(0, 12)}`,
                fullJobName: `${inputs.jobName}-${hex.slice(12, 20)}`,
                modelName: `${inputs.importedModelName}-${hex.slice(12, 20)}`,
                importedModelArn: `${bedrock}:imported-model/${hex.slice(20, 32)}`,
            },
        };
    },
};

/**
 * The ID AWS gives a resource and the attributes it computes (the inputs not included). A type
 * not modelled gets a stable ID and no attributes.
 */
export function awsAttributes(scope: AccountScope, request: ResourceRequest): Created {
    const hex = digest(scope.accountId, scope.region, request.type, request.name);
    const inputs = request.inputs;
    const derive = DERIVATIONS[request.type];
    if (!derive) return { id: `${request.name}-${hex.slice(0, 8)}`, state: {} };
    return derive({ scope, request, inputs, hex, name: inputs.name ?? `${request.name}-${hex.slice(0, 7)}` });
}

/** What the data sources this project calls return, by invoke token. */
export function awsInvoke(scope: AccountScope, token: string): State {
    const { accountId, region, partition } = scope;
    switch (token) {
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
            throw new Error(`The simulated AWS does not answer the invoke ${token}`);
    }
}
