/**
 * The mutation check: each security property the components set is flipped on the resources a
 * stack registered, and the policy pack must report a mandatory violation of the named rule.
 */
import { AnalyzedResource } from "../../proof/pack/policyEngine";

export interface Mutation {
    readonly name: string;
    readonly stack: "research" | "dev" | "prod" | "bootstrap-dev";
    /** The rule expected to report it. */
    readonly policy: string;
    readonly mutate: (resources: AnalyzedResource[]) => AnalyzedResource[];
}

type Props = Record<string, any>;

/** Replaces the props of the resources of `type` (and optional `name`) with `change(props)`. */
function edit(type: string, name: string | undefined, change: (props: Props) => Props): Mutation["mutate"] {
    return (resources) => {
        let hit = false;
        const result = resources.map((r) => {
            if (r.type !== type || (name !== undefined && r.name !== name)) return r;
            hit = true;
            return { ...r, props: change(structuredClone(r.props)) };
        });
        if (!hit) throw new Error(`mutation found no ${type} ${name ?? ""}`);
        return result;
    };
}

/** Edits a JSON policy document held in `field`. */
function editDocument(type: string, name: string, field: string, change: (doc: any) => void): Mutation["mutate"] {
    return edit(type, name, (props) => {
        const doc = JSON.parse(props[field]);
        change(doc);
        return { ...props, [field]: JSON.stringify(doc) };
    });
}

function add(type: string, name: string, props: Props): Mutation["mutate"] {
    return (resources) => [...resources, { type, name, urn: `urn:pulumi:mutant::cross-account-models::${type}::${name}`, props }];
}

function remove(type: string, name: string): Mutation["mutate"] {
    return (resources) => {
        const kept = resources.filter((r) => !(r.type === type && r.name === name));
        if (kept.length === resources.length) throw new Error(`mutation found no ${type} ${name}`);
        return kept;
    };
}

const KEY = "aws:kms/key:Key";
const ROLE = "aws:iam/role:Role";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const dropConditions = (doc: any, sid: string) => {
    delete doc.Statement.find((s: any) => s.Sid === sid).Condition;
};

export const MUTATIONS: readonly Mutation[] = [
    {
        name: "artifact key rotation off",
        stack: "research",
        policy: "kms-key-rotation",
        mutate: edit(KEY, "artifacts-key-key", (p) => ({ ...p, enableKeyRotation: false })),
    },
    {
        name: "artifact key policy removed",
        stack: "research",
        policy: "kms-explicit-key-policy",
        mutate: edit(KEY, "artifacts-key-key", ({ policy, ...p }) => p),
    },
    {
        name: "artifact key opened to everyone",
        stack: "research",
        policy: "kms-policy-no-open-grants",
        mutate: editDocument(KEY, "artifacts-key-key", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "DecryptBedrockCMIExecutionRole");
            s.Principal = "*";
            delete s.Condition;
        }),
    },
    {
        name: "artifact key granted to an unknown account",
        stack: "research",
        policy: "kms-policy-no-open-grants",
        mutate: editDocument(KEY, "artifacts-key-key", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "DecryptBedrockCMIExecutionRole");
            s.Principal = { AWS: "arn:aws:iam::999999999999:root" };
            delete s.Condition;
        }),
    },
    {
        name: "artifact bucket SSE-S3 instead of KMS",
        stack: "research",
        policy: "s3-bucket-encryption-cmk",
        mutate: edit(SSE, "artifacts-artifacts-encryption", (p) => ({
            ...p,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        })),
    },
    {
        name: "artifact bucket AWS managed key",
        stack: "research",
        policy: "s3-bucket-encryption-cmk",
        mutate: edit(SSE, "artifacts-artifacts-encryption", (p) => ({
            ...p,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
        })),
    },
    {
        name: "artifact bucket encryption removed",
        stack: "research",
        policy: "s3-bucket-encryption-cmk",
        mutate: remove(SSE, "artifacts-artifacts-encryption"),
    },
    ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map(
        (flag): Mutation => ({
            name: `artifact bucket ${flag} off`,
            stack: "research",
            policy: "s3-public-access-block",
            mutate: edit(PAB, "artifacts-artifacts-public-access", (p) => ({ ...p, [flag]: false })),
        }),
    ),
    {
        name: "log bucket public access block removed",
        stack: "research",
        policy: "s3-public-access-block",
        mutate: remove(PAB, "artifacts-logs-public-access"),
    },
    {
        name: "artifact bucket ACLs enabled",
        stack: "research",
        policy: "s3-acls-disabled",
        mutate: edit("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "artifacts-artifacts-ownership", (p) => ({
            ...p,
            rule: { objectOwnership: "ObjectWriter" },
        })),
    },
    {
        name: "artifact bucket TLS deny removed",
        stack: "research",
        policy: "s3-tls-only",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            d.Statement = d.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport");
        }),
    },
    {
        name: "artifact bucket grant opened to everyone",
        stack: "research",
        policy: "s3-policy-no-open-grants",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "ReadBedrockCMIExecutionRole");
            s.Principal = "*";
            delete s.Condition;
        }),
    },
    {
        name: "CMI trust without source conditions",
        stack: "dev",
        policy: "iam-service-trust-confused-deputy",
        mutate: editDocument(ROLE, "cmi-role", "assumeRolePolicy", (d) => dropConditions(d, "BedrockModelImportJobsOfThisAccount")),
    },
    {
        name: "flow logs trust without source conditions",
        stack: "dev",
        policy: "iam-service-trust-confused-deputy",
        mutate: editDocument(ROLE, "network-flow-logs-role", "assumeRolePolicy", (d) => dropConditions(d, "FlowLogsServiceForThisAccount")),
    },
    {
        name: "CMI trust opened to everyone",
        stack: "dev",
        policy: "iam-trust-not-public",
        mutate: editDocument(ROLE, "cmi-role", "assumeRolePolicy", (d) => {
            d.Statement[0].Principal = { AWS: "*" };
            delete d.Statement[0].Condition;
        }),
    },
    {
        name: "CMI trust to an unknown account",
        stack: "dev",
        policy: "iam-cross-account-trust-allowed",
        mutate: editDocument(ROLE, "cmi-role", "assumeRolePolicy", (d) => {
            d.Statement[0].Principal = { AWS: "arn:aws:iam::999999999999:root" };
        }),
    },
    {
        name: "CMI role allowed every action",
        stack: "dev",
        policy: "iam-no-wildcard-action",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "cmi-permissions", "policy", (d) => {
            d.Statement[0].Action = "*";
        }),
    },
    {
        name: "imported-model key rotation off",
        stack: "dev",
        policy: "kms-key-rotation",
        mutate: edit(KEY, "imported-model-key", (p) => ({ ...p, enableKeyRotation: false })),
    },
    {
        name: "flow logs key rotation off",
        stack: "prod",
        policy: "kms-key-rotation",
        mutate: edit(KEY, "network-flow-logs-key-key", (p) => ({ ...p, enableKeyRotation: false })),
    },
    {
        name: "import job without customer managed key",
        stack: "dev",
        policy: "bedrock-import-cmk",
        mutate: edit("pulumi-nodejs:dynamic/bedrock:ModelImportJob", "model-import", ({ importedModelKmsKeyArn, ...p }) => p),
    },
    {
        name: "subnet maps public IPs",
        stack: "dev",
        policy: "vpc-no-public-ip-subnet",
        mutate: edit("aws:ec2/subnet:Subnet", "network-private-us-east-1a", (p) => ({ ...p, mapPublicIpOnLaunch: true })),
    },
    {
        name: "endpoint group open to the internet",
        stack: "dev",
        policy: "vpc-no-open-ingress",
        mutate: edit(INGRESS, "network-endpoints-https-from-vpc", (p) => ({ ...p, cidrIpv4: "0.0.0.0/0" })),
    },
    {
        name: "workload group open over IPv6",
        stack: "prod",
        policy: "vpc-no-open-ingress",
        mutate: edit(INGRESS, "network-workload-from-self", ({ referencedSecurityGroupId, ...p }) => ({ ...p, cidrIpv6: "::/0" })),
    },
    {
        name: "internet gateway added",
        stack: "dev",
        policy: "vpc-no-internet-gateway",
        mutate: add("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "vpc-1" }),
    },
    {
        name: "NAT gateway added",
        stack: "prod",
        policy: "vpc-no-nat-gateway",
        mutate: add("aws:ec2/natGateway:NatGateway", "nat", { subnetId: "subnet-1" }),
    },
    { name: "flow log removed", stack: "dev", policy: "vpc-flow-logs", mutate: remove("aws:ec2/flowLog:FlowLog", "network-flow-log") },
    {
        name: "flow log of rejected traffic only",
        stack: "prod",
        policy: "vpc-flow-logs",
        mutate: edit("aws:ec2/flowLog:FlowLog", "network-flow-log", (p) => ({ ...p, trafficType: "REJECT" })),
    },
    {
        name: "default security group left open",
        stack: "dev",
        policy: "vpc-default-sg-closed",
        mutate: edit("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg", (p) => ({
            ...p,
            ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
        })),
    },
    {
        name: "default security group not managed",
        stack: "prod",
        policy: "vpc-default-sg-closed",
        mutate: remove("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg"),
    },
    {
        name: "artifact bucket grant without its role condition",
        stack: "research",
        policy: "s3-policy-no-open-grants",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            delete d.Statement.find((s: any) => s.Sid === "ReadBedrockCMIExecutionRole").Condition;
        }),
    },
    {
        name: "artifact key decrypt without its role condition",
        stack: "research",
        policy: "kms-policy-no-open-grants",
        mutate: editDocument(KEY, "artifacts-key-key", "policy", (d) => {
            delete d.Statement.find((s: any) => s.Sid === "DecryptBedrockCMIExecutionRole").Condition;
        }),
    },
    {
        name: "artifact bucket versioning suspended",
        stack: "research",
        policy: "s3-versioning",
        mutate: edit("aws:s3/bucketVersioning:BucketVersioning", "artifacts-artifacts-versioning", (p) => ({
            ...p,
            versioningConfiguration: { status: "Suspended" },
        })),
    },
    {
        name: "artifact bucket access logging removed",
        stack: "research",
        policy: "s3-access-logging",
        mutate: remove("aws:s3/bucketLogging:BucketLogging", "artifacts-artifacts-logging"),
    },
    {
        name: "artifact key deletion window 7 days",
        stack: "research",
        policy: "kms-deletion-window",
        mutate: edit(KEY, "artifacts-key-key", (p) => ({ ...p, deletionWindowInDays: 7 })),
    },
    {
        name: "artifact bucket without its VPC endpoint denies",
        stack: "research",
        policy: "data-vpc-endpoint-only",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            d.Statement = d.Statement.filter((s: any) => s.Effect !== "Deny" || s.Sid === "DenyInsecureTransport");
        }),
    },
    {
        name: "artifact key without its VPC endpoint deny",
        stack: "research",
        policy: "data-vpc-endpoint-only",
        mutate: editDocument(KEY, "artifacts-key-key", "policy", (d) => {
            d.Statement = d.Statement.filter((s: any) => s.Effect !== "Deny");
        }),
    },
    {
        name: "S3 gateway endpoint without policy",
        stack: "dev",
        policy: "vpc-endpoint-policy",
        mutate: edit("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3", ({ policy, ...p }) => p),
    },
    {
        name: "KMS endpoint without private DNS",
        stack: "prod",
        policy: "vpc-endpoint-policy",
        mutate: edit("aws:ec2/vpcEndpoint:VpcEndpoint", "network-kms", (p) => ({ ...p, privateDnsEnabled: false })),
    },
    {
        name: "flow log group unencrypted",
        stack: "dev",
        policy: "logs-group-kms",
        mutate: edit("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs", ({ kmsKeyId, ...p }) => p),
    },
    {
        name: "Rekognition access role trusts the whole consumer account",
        stack: "research",
        policy: "iam-cross-account-trust-allowed",
        mutate: editDocument(ROLE, "rekognition-prod-role", "assumeRolePolicy", (d) => dropConditions(d, "ConsumerApplicationRole")),
    },
    {
        name: "SageMaker deployment role trusts the whole development account",
        stack: "dev",
        policy: "iam-cross-account-trust-allowed",
        mutate: editDocument(ROLE, "sagemaker-deployment-role", "assumeRolePolicy", (d) =>
            dropConditions(d, "DeploymentPipelineRolesOf111122223333"),
        ),
    },
    {
        name: "SageMaker deployment role trusts the development account's root, limited by account only",
        stack: "prod",
        policy: "iam-cross-account-trust-allowed",
        mutate: editDocument(ROLE, "sagemaker-deployment-role", "assumeRolePolicy", (d) => {
            d.Statement.find((s: any) => s.Sid === "DeploymentPipelineRolesOf111122223333").Condition = {
                StringEquals: { "aws:PrincipalAccount": "111122223333" },
            };
        }),
    },
    {
        name: "Rekognition application role trust without source conditions",
        stack: "prod",
        policy: "iam-service-trust-confused-deputy",
        mutate: editDocument(ROLE, "rekognition-app-role", "assumeRolePolicy", (d) => dropConditions(d, "ApplicationServiceOfThisAccount")),
    },
    {
        name: "Rekognition access role allowed every action",
        stack: "research",
        policy: "iam-no-wildcard-action",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "rekognition-dev-detect", "policy", (d) => {
            d.Statement[0].Action = "*";
        }),
    },
    {
        name: "SageMaker model without network isolation",
        stack: "prod",
        policy: "sagemaker-model-vpc-isolation",
        mutate: edit("aws:sagemaker/model:Model", "sagemaker-model", (p) => ({ ...p, enableNetworkIsolation: false })),
    },
    {
        name: "SageMaker model outside the VPC",
        stack: "dev",
        policy: "sagemaker-model-vpc-isolation",
        mutate: edit("aws:sagemaker/model:Model", "sagemaker-model", ({ vpcConfig, ...p }) => p),
    },
    {
        name: "SageMaker endpoint configuration unencrypted",
        stack: "prod",
        policy: "sagemaker-endpoint-config-kms",
        mutate: edit("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "sagemaker-config", ({ kmsKeyArn, ...p }) => p),
    },
    {
        name: "SageMaker execution role trust without source conditions",
        stack: "dev",
        policy: "iam-service-trust-confused-deputy",
        mutate: editDocument(ROLE, "sagemaker-execution-role", "assumeRolePolicy", (d) => dropConditions(d, "SageMakerOfThisAccount")),
    },
    {
        name: "SageMaker endpoint logs unencrypted",
        stack: "prod",
        policy: "logs-group-kms",
        mutate: edit("aws:cloudwatch/logGroup:LogGroup", "sagemaker-logs", ({ kmsKeyId, ...p }) => p),
    },
    // A principal-restricting condition narrows principals within an account; it never admits an unlisted account.
    {
        name: "artifact key decrypt moved to an unknown account, role condition kept",
        stack: "research",
        policy: "kms-policy-no-open-grants",
        mutate: editDocument(KEY, "artifacts-key-key", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "DecryptBedrockCMIExecutionRole");
            s.Principal = { AWS: "arn:aws:iam::999999999999:root" };
        }),
    },
    {
        name: "artifact bucket read moved to an unknown account, role condition kept",
        stack: "research",
        policy: "s3-policy-no-open-grants",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "ReadBedrockCMIExecutionRole");
            s.Principal = { AWS: "arn:aws:iam::999999999999:root" };
        }),
    },
    {
        name: "Rekognition access role trusts an unknown account, role condition kept",
        stack: "research",
        policy: "iam-cross-account-trust-allowed",
        mutate: editDocument(ROLE, "rekognition-prod-role", "assumeRolePolicy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "ConsumerApplicationRole");
            s.Principal = { AWS: "arn:aws:iam::999999999999:root" };
            s.Condition.ArnEquals["aws:PrincipalArn"] = "arn:aws:iam::999999999999:role/RekognitionModelConsumer-999999999999";
        }),
    },
    // The own-account delegation is exempt only for the key's own account: the same statement for another account is reported.
    {
        name: "imported-model key delegates kms:* to another account's root",
        stack: "dev",
        policy: "kms-policy-no-open-grants",
        mutate: editDocument(KEY, "imported-model-key", "policy", (d) => {
            d.Statement.push({
                Sid: "EnableIamPolicies",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::444455556666:root" },
                Action: "kms:*",
                Resource: "*",
            });
        }),
    },
    // Settings of a bucket another stack owns (named by a string): no bucket here to join them to.
    {
        name: "public access block of an outside bucket with a flag off",
        stack: "dev",
        policy: "s3-public-access-block",
        mutate: add(PAB, "shared-public-access", {
            bucket: "shared-data-777788889999",
            blockPublicAcls: true,
            blockPublicPolicy: false,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
    },
    {
        name: "SSE-S3 on an outside bucket that is no log target",
        stack: "prod",
        policy: "s3-bucket-encryption-cmk",
        mutate: add(SSE, "shared-encryption", {
            bucket: "shared-data-444455556666",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }),
    },
    {
        name: "bucket policy of an outside bucket without the TLS deny",
        stack: "dev",
        policy: "s3-tls-only",
        mutate: add(BUCKET_POLICY, "shared-policy", {
            bucket: "shared-data-777788889999",
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "Read",
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::777788889999:root" },
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::shared-data-777788889999/*",
                        Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::777788889999:role/Reader" } },
                    },
                ],
            }),
        }),
    },
    {
        name: "KMS endpoint reopened to kms:* on every account's keys",
        stack: "dev",
        policy: "vpc-endpoint-policy",
        mutate: editDocument("aws:ec2/vpcEndpoint:VpcEndpoint", "network-kms", "policy", (d) => {
            d.Statement[0].Action = "kms:*";
            delete d.Statement[0].Condition.StringEquals["aws:ResourceAccount"];
        }),
    },
    {
        name: "S3 gateway endpoint lets s3:* through to any bucket",
        stack: "prod",
        policy: "vpc-endpoint-policy",
        mutate: editDocument("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3", "policy", (d) => {
            d.Statement.push({
                Sid: "AnyBucket",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:*",
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalAccount": ["444455556666"] } },
            });
        }),
    },
    {
        name: "inference image repository open to the whole target account",
        stack: "research",
        policy: "ecr-policy-no-open-grants",
        mutate: editDocument("aws:ecr/repositoryPolicy:RepositoryPolicy", "inference-image-policy", "policy", (d) => {
            delete d.Statement[0].Condition;
        }),
    },
    {
        name: "deployment role passes its roles to any service",
        stack: "bootstrap-dev",
        policy: "iam-passrole-to-service",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "deployment-permissions", "policy", (d) => {
            for (const s of d.Statement) if (s.Action === "iam:PassRole") delete s.Condition;
        }),
    },
    {
        name: "deployment role allowed every action",
        stack: "bootstrap-dev",
        policy: "iam-no-wildcard-action",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "deployment-permissions", "policy", (d) => {
            d.Statement.push({ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" });
        }),
    },
    {
        name: "provider without allowedAccountIds",
        stack: "dev",
        policy: "aws-provider-allowed-accounts",
        mutate: edit("pulumi:providers:aws", "default", ({ allowedAccountIds, ...p }) => p),
    },
    // What a policy means, not how it is spelled (issue 21).
    {
        name: "artifact bucket read narrowed only by ForAllValues on aws:PrincipalOrgID",
        stack: "research",
        policy: "s3-policy-no-open-grants",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "ReadBedrockCMIExecutionRole");
            s.Principal = "*";
            s.Condition = { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } };
        }),
    },
    {
        name: "CMI trust's source account a wildcard",
        stack: "dev",
        policy: "iam-service-trust-confused-deputy",
        mutate: editDocument(ROLE, "cmi-role", "assumeRolePolicy", (d) => {
            d.Statement[0].Condition = { StringLike: { "aws:SourceAccount": "*" } };
        }),
    },
    {
        name: "artifact bucket read granted with NotPrincipal",
        stack: "research",
        policy: "policy-no-allow-with-not",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            const s = d.Statement.find((x: any) => x.Sid === "ReadBedrockCMIExecutionRole");
            s.NotPrincipal = s.Principal;
            delete s.Principal;
        }),
    },
    {
        name: "artifact bucket lets the consumer's CMI role put objects",
        stack: "research",
        policy: "shared-artifacts-read-only",
        mutate: editDocument(BUCKET_POLICY, "artifacts-artifacts-policy", "policy", (d) => {
            d.Statement.find((x: any) => x.Sid === "ReadBedrockCMIExecutionRole").Action = ["s3:GetObject", "s3:PutObject"];
        }),
    },
    {
        name: "CMI role may put objects into the research bucket",
        stack: "dev",
        policy: "shared-artifacts-no-foreign-writes",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "cmi-permissions", "policy", (d) => {
            d.Statement.find((x: any) => x.Sid === "ReadArtifacts").Action = "s3:*Object";
        }),
    },
    {
        name: "SageMaker execution role may rewrite role policies",
        stack: "dev",
        policy: "iam-admin-power-to-administrators",
        mutate: editDocument("aws:iam/rolePolicy:RolePolicy", "sagemaker-execution-permissions", "policy", (d) => {
            d.Statement.push({ Sid: "Escalate", Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" });
        }),
    },
    {
        name: "SageMaker execution role given AdministratorAccess",
        stack: "dev",
        policy: "iam-admin-power-to-administrators",
        mutate: edit(ROLE, "sagemaker-execution-role", (p) => ({
            ...p,
            managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
        })),
    },
    {
        name: "imported-model key granted to an unknown account through a KMS grant",
        stack: "dev",
        policy: "grant-resources-trusted",
        mutate: add("aws:kms/grant:Grant", "outsider-grant", {
            keyId: "alias/imported-models",
            granteePrincipal: "arn:aws:iam::999999999999:role/reader",
            operations: ["Decrypt"],
        }),
    },
    {
        name: "model registry opened to everyone",
        stack: "research",
        policy: "resource-policy-no-open-grants",
        mutate: editDocument(
            "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy",
            "model-registry-policy",
            "resourcePolicy",
            (d) => {
                d.Statement[0].Principal = "*";
                delete d.Statement[0].Condition;
            },
        ),
    },
    {
        // The org stack's guardrail, with a misspelt action, added to a stack the engine test runs.
        name: "Rekognition guardrail with a misspelt action",
        stack: "dev",
        policy: "scp-effective",
        mutate: add("aws:organizations/policy:Policy", "deny-rekognition-project-changes", {
            type: "SERVICE_CONTROL_POLICY",
            content: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "DenyModifyingRekognitionProjects", Effect: "Deny", Action: ["rekognition:CreateProjekt*"], Resource: "*" },
                ],
            }),
        }),
    },
    {
        name: "GitHub Actions role trusting every repository",
        stack: "dev",
        policy: "iam-federated-trust-pins-subject",
        mutate: add(ROLE, "github-deployer", {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::777788889999:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
                    },
                ],
            }),
        }),
    },
    // Resource inputs outside policy documents (issue 21).
    {
        name: "model version parameter tagged with a Hugging Face token",
        stack: "dev",
        policy: "secrets-no-plaintext",
        mutate: edit("aws:ssm/parameter:Parameter", "rekognition-version", (p) => ({
            ...p,
            tags: { ...p.tags, hfToken: "hf_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" },
        })),
    },
    {
        name: "workload group's S3 egress opened to the internet beside a NAT gateway",
        stack: "dev",
        policy: "vpc-open-egress-with-gateway",
        mutate: (resources) =>
            add("aws:ec2/natGateway:NatGateway", "egress-nat", { subnetId: "subnet-61a7099c177437112" })(
                edit("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "network-workload-to-s3", ({ prefixListId, ...p }) => ({
                    ...p,
                    cidrIpv4: "0.0.0.0/0",
                }))(resources),
            ),
    },
    {
        name: "an access key for a new IAM user",
        stack: "dev",
        policy: "iam-no-long-lived-credentials",
        mutate: add("aws:iam/accessKey:AccessKey", "ci-key", { user: "ci" }),
    },
    {
        name: "SageMaker model's package moved to an unknown account",
        stack: "dev",
        policy: "data-perimeter-accounts",
        mutate: edit("aws:sagemaker/model:Model", "sagemaker-model", (p) => ({
            ...p,
            primaryContainer: { modelPackageName: "arn:aws:sagemaker:us-east-1:999999999999:model-package/abalone-models/4" },
        })),
    },
    {
        name: "SageMaker model's network isolation spelled off as a string",
        stack: "dev",
        policy: "sagemaker-model-vpc-isolation",
        mutate: edit("aws:sagemaker/model:Model", "sagemaker-model", (p) => ({ ...p, enableNetworkIsolation: "false" })),
    },
];
