/**
 * The Pulumi dynamic provider behind {@link ModelImportJob}: creates a Bedrock Custom Model Import
 * job, waits for it, and deletes the imported model on destroy. There is no Bedrock import
 * resource in `@pulumi/aws`, so this talks to `@aws-sdk/client-bedrock` directly.
 *
 * Everything AWS-facing goes through `this.deps`, so tests drive it against the SDK's own
 * middleware with aws-sdk-client-mock and a fake clock.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import {
    BedrockClient,
    CreateModelImportJobCommand,
    DeleteImportedModelCommand,
    GetImportedModelCommand,
    GetModelImportJobCommand,
    GetModelImportJobCommandOutput,
} from "@aws-sdk/client-bedrock";
import { checkCustomModelImportRegion, checkImportedModelName, checkJobName, CMI_JOB_NAME_MAX } from "../../lib/config/rules";

/** The provider's inputs: everything `CreateModelImportJob` needs, plus how long to wait. */
export interface ModelImportJobInputs {
    readonly region: string;
    /** Base job name; a hash of the job's inputs is appended so a changed job gets a fresh name. */
    readonly jobName: string;
    readonly importedModelName: string;
    readonly roleArn: string;
    /** `s3://bucket/prefix/` of the model files. */
    readonly s3Uri: string;
    readonly importedModelKmsKeyArn: string;
    readonly vpcConfig?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
    readonly tags: Record<string, string>;
    readonly timeoutMinutes: number;
    readonly pollSeconds: number;
    /** AWS shared-config profile for the hosting account, when the stack sets `aws:profile`. */
    readonly profile?: string;
}

export interface ModelImportJobOutputs extends ModelImportJobInputs {
    /** The job name actually used: `<jobName>-<hash>`. */
    readonly fullJobName: string;
    readonly jobArn: string;
    readonly importedModelArn: string;
}

/** Inputs whose change means a different model: a new job and a new imported model. */
const REPLACING_INPUTS: readonly (keyof ModelImportJobInputs)[] = [
    "region", "jobName", "importedModelName", "roleArn", "s3Uri", "importedModelKmsKeyArn", "vpcConfig", "tags",
];
/** Inputs about how to reach and wait for the job, which change nothing in AWS. */
const IN_PLACE_INPUTS = ["timeoutMinutes", "pollSeconds", "profile"] as const;
const HASH_LENGTH = 8;

export interface ProviderDeps {
    readonly client: (region: string, profile?: string) => BedrockClient;
    readonly sleep: (ms: number) => Promise<void>;
    readonly now: () => number;
    readonly log: (message: string) => void;
}

const defaultDeps: ProviderDeps = {
    client: (region, profile) => new BedrockClient({ region, ...(profile ? { profile } : {}) }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: (message) => pulumi.log.info(message),
};

/** Problems with the inputs, found without calling AWS. */
export function validateInputs(inputs: ModelImportJobInputs): pulumi.dynamic.CheckFailure[] {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const add = (property: string, reason: string | undefined) => reason && failures.push({ property, reason });
    add("region", checkCustomModelImportRegion(inputs.region));
    add("jobName", checkJobName(inputs.jobName, CMI_JOB_NAME_MAX - HASH_LENGTH - 1));
    add("importedModelName", checkImportedModelName(inputs.importedModelName));
    add("roleArn", /^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/.test(inputs.roleArn) ? undefined : `"${inputs.roleArn}" is not an IAM role ARN`);
    add("s3Uri", /^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]\/.+\/$/.test(inputs.s3Uri) ? undefined : `"${inputs.s3Uri}" is not an s3://bucket/prefix/ URI`);
    add("importedModelKmsKeyArn", /^arn:aws(-[^:]+)?:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]{36}$/.test(inputs.importedModelKmsKeyArn) ? undefined : `"${inputs.importedModelKmsKeyArn}" is not a KMS key ARN`);
    if (inputs.vpcConfig && (inputs.vpcConfig.subnetIds.length < 1 || inputs.vpcConfig.subnetIds.length > 16 || inputs.vpcConfig.securityGroupIds.length < 1 || inputs.vpcConfig.securityGroupIds.length > 5)) {
        add("vpcConfig", "expected 1-16 subnets and 1-5 security groups");
    }
    return failures;
}

/** A stable digest of what defines the job, for its name suffix and idempotency token. */
function jobDigest(inputs: ModelImportJobInputs): string {
    const defining = Object.fromEntries(REPLACING_INPUTS.map((k) => [k, inputs[k] ?? null]));
    return createHash("sha256").update(JSON.stringify(defining)).digest("hex");
}

/** Where to look when Bedrock cannot read the artifacts (seed 001, "Troubleshooting"). */
function s3AccessHint(inputs: ModelImportJobInputs): string {
    const vpc = inputs.vpcConfig ? " (4) the S3 gateway endpoint policy of the hosting VPC (SecureVpc) allows the bucket's account;" : "";
    return (
        ` Check, in this order: (1) the artifact bucket policy in the research stack (ArtifactShare) grants ${inputs.roleArn} ` +
        `s3:ListBucket and s3:GetObject under ${inputs.s3Uri}; (2) the role's BedrockCMIExecutionPolicy allows the same with ` +
        `aws:ResourceAccount of the research account; (3) the artifact key policy allows the role kms:Decrypt;${vpc} ` +
        `then assume the role and run aws s3 ls ${inputs.s3Uri} as the seed's troubleshooting describes.`
    );
}

export class ModelImportProvider implements pulumi.dynamic.ResourceProvider {
    private readonly deps: ProviderDeps;

    constructor(deps: Partial<ProviderDeps> = {}) {
        this.deps = { ...defaultDeps, ...deps };
    }

    async check(_olds: ModelImportJobInputs, news: ModelImportJobInputs): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: validateInputs(news) };
    }

    async diff(_id: string, olds: ModelImportJobOutputs, news: ModelImportJobInputs): Promise<pulumi.dynamic.DiffResult> {
        const differs = (k: keyof ModelImportJobInputs) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null);
        const replaces = REPLACING_INPUTS.filter(differs);
        const updates = IN_PLACE_INPUTS.filter(differs);
        return {
            changes: replaces.length + updates.length > 0,
            replaces,
            // The imported model name is unique per account: the old model must go before the new one is created.
            deleteBeforeReplace: true,
        };
    }

    async create(inputs: ModelImportJobInputs): Promise<pulumi.dynamic.CreateResult<ModelImportJobOutputs>> {
        const failures = validateInputs(inputs);
        if (failures.length > 0) {
            throw new Error(`Invalid model import job: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        }
        const digest = jobDigest(inputs);
        const fullJobName = `${inputs.jobName}-${digest.slice(0, HASH_LENGTH)}`;
        const client = this.deps.client(inputs.region, inputs.profile);
        const toTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));
        // The token makes a retried or re-run create return the same job instead of starting another.
        const { jobArn } = await client.send(new CreateModelImportJobCommand({
            jobName: fullJobName,
            importedModelName: inputs.importedModelName,
            roleArn: inputs.roleArn,
            modelDataSource: { s3DataSource: { s3Uri: inputs.s3Uri } },
            importedModelKmsKeyId: inputs.importedModelKmsKeyArn,
            vpcConfig: inputs.vpcConfig,
            jobTags: toTags(inputs.tags),
            importedModelTags: toTags(inputs.tags),
            clientRequestToken: digest,
        }));
        if (!jobArn) throw new Error(`CreateModelImportJob returned no job ARN for ${fullJobName}`);
        this.deps.log(`Model import job ${fullJobName} started: ${jobArn}`);
        const job = await this.waitForJob(client, jobArn, inputs);
        return { id: jobArn, outs: { ...inputs, fullJobName, jobArn, importedModelArn: job.importedModelArn! } };
    }

    async update(_id: string, olds: ModelImportJobOutputs, news: ModelImportJobInputs): Promise<pulumi.dynamic.UpdateResult<ModelImportJobOutputs>> {
        // Only how the job is reached and waited for changes; the job itself is unchanged.
        return { outs: { ...olds, timeoutMinutes: news.timeoutMinutes, pollSeconds: news.pollSeconds, profile: news.profile } };
    }

    async read(id: string, props: ModelImportJobOutputs): Promise<pulumi.dynamic.ReadResult<ModelImportJobOutputs>> {
        const client = this.deps.client(props.region, props.profile);
        try {
            await client.send(new GetImportedModelCommand({ modelIdentifier: props.importedModelArn }));
            return { id, props };
        } catch (err) {
            if (isNotFound(err)) return {};
            throw err;
        }
    }

    async delete(_id: string, props: ModelImportJobOutputs): Promise<void> {
        const client = this.deps.client(props.region, props.profile);
        try {
            await client.send(new DeleteImportedModelCommand({ modelIdentifier: props.importedModelArn }));
            this.deps.log(`Deleted imported model ${props.importedModelName} (${props.importedModelArn})`);
        } catch (err) {
            if (!isNotFound(err)) throw err;
            this.deps.log(`Imported model ${props.importedModelArn} was already deleted`);
        }
    }

    /** Polls until the job completes, fails, or the timeout passes, reporting each change of status. */
    private async waitForJob(client: BedrockClient, jobArn: string, inputs: ModelImportJobInputs): Promise<GetModelImportJobCommandOutput> {
        const started = this.deps.now();
        const deadline = started + inputs.timeoutMinutes * 60_000;
        for (;;) {
            const job = await client.send(new GetModelImportJobCommand({ jobIdentifier: jobArn }));
            const elapsed = Math.round((this.deps.now() - started) / 1000);
            this.deps.log(`Model import job ${job.jobName ?? jobArn}: ${job.status} after ${elapsed}s`);
            if (job.status === "Completed") {
                if (!job.importedModelArn) throw new Error(`Model import job ${jobArn} completed without an imported model ARN`);
                return job;
            }
            if (job.status === "Failed") {
                const message = job.failureMessage ?? "no failure message";
                const hint = /does not have access to the S3 location/i.test(message) ? s3AccessHint(inputs) : "";
                throw new Error(
                    `Model import job ${jobArn} failed: ${message}.${hint} ` +
                        `After fixing the cause, change modelImport.jobName (e.g. bump its number) so a new job starts.`,
                );
            }
            if (this.deps.now() + inputs.pollSeconds * 1000 > deadline) {
                throw new Error(
                    `Model import job ${jobArn} is still ${job.status} after ${inputs.timeoutMinutes} minutes (modelImport.timeoutMinutes). ` +
                        `It keeps running in Bedrock; run pulumi up again to resume waiting for the same job.`,
                );
            }
            await this.deps.sleep(inputs.pollSeconds * 1000);
        }
    }
}

function isNotFound(err: unknown): boolean {
    return (err as { name?: string })?.name === "ResourceNotFoundException";
}
