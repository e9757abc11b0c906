/**
 * The access paths an architecture requires and forbids, as data: who may do what on which
 * resource, through which network path, and who must not. Derived from the stacks' configuration
 * and exports, so adding a hosting account adds its paths.
 */
import { HostingConfig, StackConfig, parseStackConfig } from "../config/stackConfig";
import { RawConfig } from "../config/reader";
import { partitionOf } from "../naming";

export interface AccessPath {
    readonly id: string;
    readonly architecture: string;
    readonly expect: "allowed" | "denied";
    /** Why this path must (or must not) exist, in the words of the seed. */
    readonly why: string;
    /** The stack whose deployment needs (or must not grant) the access. */
    readonly stack: string;
    /** An IAM role ARN or a service principal. */
    readonly principal: string;
    /**
     * Where the principal's identity policies come from: the declared role, or, for a principal
     * the stacks do not declare, an administrator policy (so only the resource side can refuse).
     */
    readonly identity: "declared" | "administrator" | "none";
    readonly action: string;
    readonly resource: string;
    readonly resourceAccount: string;
    readonly context: Record<string, string>;
    /** The VPC endpoint the request goes through, if any. */
    readonly endpointId?: string;
}

/** A stack as the path builders see it: its parsed configuration and its exports. */
export interface StackFacts {
    readonly stack: string;
    readonly config: RawConfig;
    readonly outputs: Record<string, any>;
}

/** An account no stack declares, standing for everyone outside the environment. */
export const OUTSIDER_ACCOUNT = "999999999999";

/**
 * Seed 001 paths for each hosting stack that imports from the research stack: Bedrock assumes the
 * CMI role for this account's jobs only; the role lists and reads the model prefix over TLS (through
 * the hosting VPC's S3 endpoint when the job runs in the VPC) and decrypts through S3; it uses the
 * hosting key; nobody else reads the artifacts or uses the keys, and the role writes nothing.
 */
export function bedrockImportPaths(stacks: readonly StackFacts[]): AccessPath[] {
    const parsed = stacks.map((s) => ({ facts: s, config: parseStackConfig(s.stack, s.config) as StackConfig }));
    const research = parsed.find((p) => p.config.program === "research");
    if (!research) return [];
    const shared = research.facts.outputs;
    return parsed.filter((p): p is { facts: StackFacts; config: HostingConfig } => p.config.program === "hosting").flatMap(({ facts, config }) => {
        const out = facts.outputs;
        const { partition, region, accountId, stack } = { ...config, partition: partitionOf(config.region) };
        const consumer = (shared.consumers as { accountId: string; prefixes: string[]; requireVpcEndpoint?: boolean }[]).find((c) => c.accountId === accountId);
        const prefix = config.modelImport?.modelPrefix ?? consumer?.prefixes[0] ?? "";
        const object = `${shared.artifactBucketArn}/${prefix}config.json`;
        const tls = { "aws:SecureTransport": "true" };
        const viaEndpoint = config.modelImport?.runInVpc ? { endpointId: out.s3EndpointId as string, context: { ...tls, "aws:sourceVpce": out.s3EndpointId as string, "aws:SourceVpc": out.vpcId as string } } : { context: tls };
        const viaS3 = { ...tls, "kms:ViaService": `s3.${shared.region}.amazonaws.com` };
        const job = (account: string) => `arn:${partition}:bedrock:${region}:${account}:model-import-job/a1b2c3d4e5f6`;
        const admin = `arn:${partition}:iam::${accountId}:role/platform-administrator`;
        const outsider = `arn:${partition}:iam::${OUTSIDER_ACCOUNT}:role/${out.cmiRoleArn.split("/").pop()}`;
        const base = { architecture: "bedrock-cmi", stack };
        const research = { resourceAccount: shared.accountId as string };
        const paths: Omit<AccessPath, "id">[] = [
            { ...base, expect: "allowed", why: "Bedrock assumes the CMI role for this account's import jobs", principal: "bedrock.amazonaws.com", identity: "none", action: "sts:AssumeRole", resource: out.cmiRoleArn, resourceAccount: accountId, context: { "aws:SourceAccount": accountId, "aws:SourceArn": job(accountId) } },
            { ...base, expect: "allowed", why: "the CMI role lists the model prefix", principal: out.cmiRoleArn, identity: "declared", action: "s3:ListBucket", resource: shared.artifactBucketArn, ...research, ...viaEndpoint, context: { ...viaEndpoint.context, "s3:prefix": prefix } },
            { ...base, expect: "allowed", why: "the CMI role reads the model files", principal: out.cmiRoleArn, identity: "declared", action: "s3:GetObject", resource: object, ...research, ...viaEndpoint },
            { ...base, expect: "allowed", why: "the CMI role decrypts the artifacts through S3", principal: out.cmiRoleArn, identity: "declared", action: "kms:Decrypt", resource: shared.artifactKeyArn, ...research, context: viaS3 },
            ...["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"].map((action): Omit<AccessPath, "id"> => (
                { ...base, expect: "allowed", why: "the CMI role encrypts the imported model with the hosting key", principal: out.cmiRoleArn, identity: "declared", action, resource: out.importedModelKeyArn, resourceAccount: accountId, context: tls })),
            { ...base, expect: "allowed", why: "Bedrock keeps the imported model under a grant for AWS resources", principal: out.cmiRoleArn, identity: "declared", action: "kms:CreateGrant", resource: out.importedModelKeyArn, resourceAccount: accountId, context: { ...tls, "kms:GrantIsForAWSResource": "true" } },
            ...(config.troubleshooterArns.includes(admin) ? [] : [{ ...base, expect: "denied" as const, why: "another role of the hosting account assumes the CMI role", principal: admin, identity: "administrator" as const, action: "sts:AssumeRole", resource: out.cmiRoleArn, resourceAccount: accountId, context: {} }]),
            ...config.troubleshooterArns.map((troubleshooter): Omit<AccessPath, "id"> => (
                { ...base, expect: "allowed", why: "a configured troubleshooter assumes the CMI role (doctor)", principal: troubleshooter, identity: "administrator", action: "sts:AssumeRole", resource: out.cmiRoleArn, resourceAccount: accountId, context: {} })),
            { ...base, expect: "denied", why: "Bedrock acting for another account's job (confused deputy)", principal: "bedrock.amazonaws.com", identity: "none", action: "sts:AssumeRole", resource: out.cmiRoleArn, resourceAccount: accountId, context: { "aws:SourceAccount": OUTSIDER_ACCOUNT, "aws:SourceArn": job(OUTSIDER_ACCOUNT) } },
            ...["s3:PutObject", "s3:DeleteObject"].map((action): Omit<AccessPath, "id"> => (
                { ...base, expect: "denied", why: "the CMI role changes the artifacts", principal: out.cmiRoleArn, identity: "administrator", action, resource: object, ...research, ...viaEndpoint })),
            { ...base, expect: "denied", why: "the CMI role reads without TLS", principal: out.cmiRoleArn, identity: "declared", action: "s3:GetObject", resource: object, ...research, context: { ...viaEndpoint.context, "aws:SecureTransport": "false" }, endpointId: viaEndpoint.endpointId },
            ...(consumer?.requireVpcEndpoint ? [{ ...base, expect: "denied" as const, why: "the CMI role reads from outside its VPC endpoint", principal: out.cmiRoleArn, identity: "declared" as const, action: "s3:GetObject", resource: object, ...research, context: tls }] : []),
            { ...base, expect: "denied", why: "another role of the hosting account reads the artifacts", principal: admin, identity: "administrator", action: "s3:GetObject", resource: object, ...research, ...viaEndpoint },
            { ...base, expect: "denied", why: "another role of the hosting account decrypts with the artifact key", principal: admin, identity: "administrator", action: "kms:Decrypt", resource: shared.artifactKeyArn, ...research, context: viaS3 },
            { ...base, expect: "denied", why: "another role of the hosting account uses the imported-model key", principal: admin, identity: "administrator", action: "kms:Decrypt", resource: out.importedModelKeyArn, resourceAccount: accountId, context: tls },
            { ...base, expect: "denied", why: "a same-named role of an outside account reads the artifacts", principal: outsider, identity: "administrator", action: "s3:GetObject", resource: object, ...research, context: tls },
        ];
        return paths.map((p, i) => ({ ...p, id: `${stack}-cmi-${String(i + 1).padStart(2, "0")}` }));
    });
}
