/**
 * `doctor`: the manual troubleshooting of AWS's cross-account Custom Model Import guide, automated
 * for a deployed environment. As the operator: who am I; assume the CMI execution role; as the
 * role: list the model prefix, read config.json, check the files Bedrock needs, describe both keys.
 * Each step is reported, and a failure says which policy to look at.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";

/** Temporary credentials of the assumed role. */
interface Credentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
}

export interface DoctorTarget {
    readonly hostingStack: string;
    readonly region: string;
    readonly hostingAccountId: string;
    readonly cmiRoleArn: string;
    readonly importedModelKeyArn: string;
    readonly bucket: string;
    /** The model prefix, ending in `/`. */
    readonly prefix: string;
    readonly artifactKeyArn: string;
}

export interface DoctorStep {
    readonly step: string;
    readonly ok: boolean;
    readonly detail: string;
}

/** Creates the SDK clients, with the given credentials when acting as the assumed role. */
export interface ClientFactory {
    sts(region: string): STSClient;
    s3(region: string, credentials?: Credentials): S3Client;
    kms(region: string, credentials?: Credentials): KMSClient;
}

export const sdkClients: ClientFactory = {
    sts: (region) => new STSClient({ region }),
    s3: (region, credentials) => new S3Client({ region, credentials }),
    kms: (region, credentials) => new KMSClient({ region, credentials }),
};

/** Files Bedrock Custom Model Import needs in the model prefix (Hugging Face weights format). */
const REQUIRED_FILES: readonly { readonly what: string; readonly matches: (key: string) => boolean }[] = [
    { what: "config.json", matches: (k) => k === "config.json" },
    {
        what: "a tokenizer file (tokenizer.json, tokenizer.model or tokenizer_config.json)",
        matches: (k) => /^tokenizer(\.json|\.model|_config\.json)$/.test(k),
    },
    { what: "weights in safetensors format (*.safetensors)", matches: (k) => k.endsWith(".safetensors") },
];

const errorText = (err: unknown) => `${(err as { name?: string }).name ?? "Error"}: ${(err as Error).message}`;
const isAccessDenied = (err: unknown) => /AccessDenied/.test((err as { name?: string }).name ?? "");

/** Records one step's result. */
type Recorder = (step: string, ok: boolean, detail: string) => void;

export async function runDoctor(target: DoctorTarget, clients: ClientFactory = sdkClients): Promise<DoctorStep[]> {
    const steps: DoctorStep[] = [];
    const record: Recorder = (step, ok, detail) => steps.push({ step, ok, detail });
    if (!(await checkCaller(target, clients, record))) return steps;
    const credentials = await assumeCmiRole(target, clients, record);
    if (!credentials) return steps;
    await checkModelArtifacts(target, clients.s3(target.region, credentials), record);
    await describeKeys(target, clients.kms(target.region, credentials), record);
    return steps;
}

/** Who am I: true if the caller is in the hosting account, where the CMI role trusts its troubleshooters. */
async function checkCaller(target: DoctorTarget, clients: ClientFactory, record: Recorder): Promise<boolean> {
    try {
        const me = await clients.sts(target.region).send(new GetCallerIdentityCommand({}));
        const sameAccount = me.Account === target.hostingAccountId;
        record(
            "caller identity",
            sameAccount,
            sameAccount
                ? `${me.Arn} in ${target.hostingStack}'s account ${me.Account}`
                : `${me.Arn} is in account ${me.Account}, not ${target.hostingStack}'s account ${target.hostingAccountId}; use that account's credentials`,
        );
        return sameAccount;
    } catch (err) {
        record("caller identity", false, `${errorText(err)}; no usable AWS credentials`);
        return false;
    }
}

/** Assumes the CMI execution role, as AWS's troubleshooting does; its credentials, or undefined if refused. */
async function assumeCmiRole(target: DoctorTarget, clients: ClientFactory, record: Recorder): Promise<Credentials | undefined> {
    try {
        const assumed = await clients
            .sts(target.region)
            .send(new AssumeRoleCommand({ RoleArn: target.cmiRoleArn, RoleSessionName: "cross-account-models-doctor" }));
        const c = assumed.Credentials!;
        const credentials: Credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
        record("assume the CMI execution role", true, target.cmiRoleArn);
        return credentials;
    } catch (err) {
        record(
            "assume the CMI execution role",
            false,
            `${errorText(err)}. The role trusts Bedrock only; add your role to cross-account-models:troubleshooterArns in Pulumi.${target.hostingStack}.yaml and run pulumi up -s ${target.hostingStack}`,
        );
        return undefined;
    }
}

/** As the role: lists the model prefix, reads config.json (decrypting through S3) and checks the files Bedrock needs are there. */
async function checkModelArtifacts(target: DoctorTarget, s3: S3Client, record: Recorder): Promise<void> {
    const location = `s3://${target.bucket}/${target.prefix}`;
    let keys: string[] = [];
    try {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix }));
        keys = (listed.Contents ?? []).map((o) => o.Key!.slice(target.prefix.length));
        record("list the model prefix", true, `${keys.length} object(s) under ${location}`);
    } catch (err) {
        const hint = isAccessDenied(err)
            ? " Check the artifact bucket policy in the research stack (grant to this role, and whether it requires the hosting VPC's S3 endpoint: then run doctor from inside that VPC) and the role's BedrockCMIExecutionPolicy."
            : "";
        record("list the model prefix", false, `${errorText(err)} for ${location}.${hint}`);
    }

    try {
        const object = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: `${target.prefix}config.json` }));
        const config = JSON.parse(await object.Body!.transformToString());
        const architecture = config.architectures?.[0] ?? config.model_type ?? "unknown";
        record("read config.json", true, `model architecture ${architecture}`);
    } catch (err) {
        const hint = isAccessDenied(err)
            ? " Check the artifact key policy (kms:Decrypt for this role through S3) as well as the bucket policy."
            : "";
        record("read config.json", false, `${errorText(err)}.${hint}`);
    }

    if (keys.length > 0) {
        for (const file of REQUIRED_FILES) {
            const found = keys.filter(file.matches);
            record(`model files: ${file.what}`, found.length > 0, found.length > 0 ? found.join(", ") : `missing under ${location}`);
        }
    }
}

/** As the role: both keys exist, are enabled and answer DescribeKey. */
async function describeKeys(target: DoctorTarget, kms: KMSClient, record: Recorder): Promise<void> {
    for (const [name, keyArn] of [
        ["artifact key", target.artifactKeyArn],
        ["imported-model key", target.importedModelKeyArn],
    ]) {
        try {
            const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
            const usable = KeyMetadata?.Enabled === true && KeyMetadata.KeyState === "Enabled";
            record(
                `describe the ${name}`,
                usable,
                `${keyArn}: ${KeyMetadata?.KeyState}${KeyMetadata?.KeyManager ? `, ${KeyMetadata.KeyManager} managed` : ""}`,
            );
        } catch (err) {
            record(`describe the ${name}`, false, `${errorText(err)} for ${keyArn}; check its key policy grants this role kms:DescribeKey`);
        }
    }
}
