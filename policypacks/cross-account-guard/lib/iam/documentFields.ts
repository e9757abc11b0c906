/**
 * Where policy documents live in resource inputs, by resource type, and what kind each is: one
 * table for every rule that reads documents (and for the rules that must skip them). Property
 * names are the `@pulumi/aws` inputs (v7).
 */

export type DocumentKind = "identity" | "resource" | "trust" | "endpoint" | "scp";

export interface DocumentField {
    readonly kind: DocumentKind;
    /** The input holding the document; `inlinePolicies[].policy` for a role's inline policies. */
    readonly field: string;
}

const resource = (field = "policy"): DocumentField => ({ kind: "resource", field });
const identity: DocumentField = { kind: "identity", field: "policy" };

/** Resource policies (who may act on the resource), by the resource that carries them. */
export const RESOURCE_POLICY_FIELDS: Readonly<Record<string, DocumentField>> = {
    "aws:s3/bucketPolicy:BucketPolicy": resource(),
    "aws:kms/key:Key": resource(),
    "aws:kms/replicaKey:ReplicaKey": resource(),
    "aws:kms/replicaExternalKey:ReplicaExternalKey": resource(),
    "aws:kms/externalKey:ExternalKey": resource(),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": resource(),
    "aws:ecr/registryPolicy:RegistryPolicy": resource(),
    "aws:sns/topicPolicy:TopicPolicy": resource(),
    "aws:sns/topic:Topic": resource(),
    "aws:sqs/queuePolicy:QueuePolicy": resource(),
    "aws:sqs/queue:Queue": resource(),
    "aws:secretsmanager/secretPolicy:SecretPolicy": resource(),
    "aws:secretsmanager/secret:Secret": resource(),
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": resource("policyDocument"),
    "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy": resource("accessPolicy"),
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": resource(),
    "aws:backup/vaultPolicy:VaultPolicy": resource(),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": resource(),
    "aws:glacier/vault:Vault": resource("accessPolicy"),
    "aws:s3/accessPoint:AccessPoint": resource(),
    "aws:s3control/accessPointPolicy:AccessPointPolicy": resource(),
    "aws:s3control/bucketPolicy:BucketPolicy": resource(),
    "aws:kinesis/resourcePolicy:ResourcePolicy": resource(),
    "aws:dynamodb/resourcePolicy:ResourcePolicy": resource(),
    "aws:opensearch/domainPolicy:DomainPolicy": resource("accessPolicies"),
    "aws:opensearch/domain:Domain": resource("accessPolicies"),
    "aws:glue/resourcePolicy:ResourcePolicy": resource(),
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": resource("resourcePolicy"),
    "aws:apigateway/restApiPolicy:RestApiPolicy": resource(),
    "aws:apigateway/restApi:RestApi": resource(),
    "aws:codeartifact/domainPermissions:DomainPermissions": resource("policyDocument"),
    "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy": resource("policyDocument"),
    "aws:networkfirewall/resourcePolicy:ResourcePolicy": resource(),
    "aws:vpclattice/authPolicy:AuthPolicy": resource(),
    "aws:vpclattice/resourcePolicy:ResourcePolicy": resource(),
    "aws:xray/resourcePolicy:ResourcePolicy": resource("policyDocument"),
    "aws:schemas/registryPolicy:RegistryPolicy": resource(),
};

/** Every document field of a resource type (several for a role: its trust and its inline policies). */
export function documentFieldsOf(type: string): readonly DocumentField[] {
    switch (type) {
        case "aws:iam/role:Role":
            return [
                { kind: "trust", field: "assumeRolePolicy" },
                { kind: "identity", field: "inlinePolicies[].policy" },
            ];
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/policy:Policy":
        case "aws:iam/userPolicy:UserPolicy":
        case "aws:iam/groupPolicy:GroupPolicy":
            return [identity];
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
        case "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy":
            return [{ kind: "endpoint", field: "policy" }];
        case "aws:organizations/policy:Policy":
            return [{ kind: "scp", field: "content" }];
        default:
            return RESOURCE_POLICY_FIELDS[type] ? [RESOURCE_POLICY_FIELDS[type]] : [];
    }
}

/** The documents of a resource's inputs, each with its kind (a role's inline policies one by one). */
export function documentsOf(type: string, props: Readonly<Record<string, unknown>>): { kind: DocumentKind; document: unknown }[] {
    return documentFieldsOf(type).flatMap(({ kind, field }) => {
        if (field === "inlinePolicies[].policy") {
            const inline = (props.inlinePolicies ?? []) as readonly { readonly policy?: unknown }[];
            return Array.isArray(inline) ? inline.map((p) => ({ kind, document: p?.policy })) : [];
        }
        return field in props ? [{ kind, document: props[field] }] : [];
    });
}
