/**
 * The Pulumi dynamic provider behind {@link ModelImportJob}: imports a model with a Bedrock Custom
 * Model Import job, waits for it, and deletes the imported model on destroy. There is no Bedrock
 * import resource in `@pulumi/aws`, so this talks to `@aws-sdk/client-bedrock` directly.
 *
 * The engine runs it in `@pulumi/pulumi/cmd/dynamic-provider` (sdk/nodejs/cmd/dynamic-provider/
 * index.ts), which deserializes this object from the resource's `__provider` input. Everything
 * AWS-facing goes through `this.deps`, so tests drive it against the SDK's own middleware with
 * aws-sdk-client-mock and a fake clock, or over the engine's protocol against a Bedrock stub.
 */
import * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "crypto";
import { BedrockClient, DeleteImportedModelCommand } from "@aws-sdk/client-bedrock";
import { credentialsOf } from "../../lib/awsCredentials";
import {
    DeploymentIdentity,
    changedInputs,
    GENERATION_HEX_DIGITS,
    inputsOf,
    isCompleted,
    ModelImportJobInputs,
    ModelImportJobOutputs,
    normalizeVpc,
    validateInputs,
} from "./inputs";
import { Clock, findJob, findModel, isNotFound, startJob, syncTags, tagsOf, waitForJob } from "./bedrockJob";

export { ModelImportJobInputs, ModelImportJobOutputs, validateInputs } from "./inputs";

export interface ProviderDeps extends Clock {
    /** A Bedrock client acting as the stack's identity: its profile, or the deployment role it assumes. */
    readonly client: (region: string, identity: { profile?: string; assumeRole?: DeploymentIdentity }) => BedrockClient;
    /** A new resource generation: the suffix of its job and model names. */
    readonly generation: () => string;
}

const defaultDeps: ProviderDeps = {
    client: (region, identity) => new BedrockClient({ region, credentials: credentialsOf({ region, ...identity }) }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    // Progress reaches the engine as this process's stdout: the engine makes each non-blank line of
    // the dynamic provider plugin an info diagnostic (runtrace, isDynamicPluginBinary in
    // pkg/resource/plugin/plugin.go), which `pulumi up` and the orchestrator show. pulumi.log.info
    // would end up there too, but behind "info: [runtime] ": the dynamic provider process has no
    // engine connection (sdk/nodejs/cmd/dynamic-provider/index.ts sets none; log/index.ts falls back).
    log: (message) => console.log(message),
    generation: () => randomBytes(GENERATION_HEX_DIGITS / 2).toString("hex"),
};

/** The state as the dynamic provider can encode it (a protobuf Struct takes no undefined). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/**
 * An error that keeps the resource in the stack: the dynamic provider packs `id` and `properties`
 * as ErrorResourceInitFailed, and the engine saves them with the error as a partially created
 * resource; the next update calls `update` on it, even with unchanged inputs (initErrors in
 * pkg/resource/deploy/step_generator.go).
 */
function keptInState(id: string, state: ModelImportJobOutputs, message: string): Error {
    return Object.assign(new Error(message), { id, properties: plain(state), reasons: [message] });
}

const resumeHint = (job: string) =>
    `The job keeps running in Bedrock and the resource stays in the stack: the next pulumi up resumes waiting for ${job}, and pulumi destroy waits for it and deletes its model.`;

/** A call that failed without Bedrock's answer (no HTTP status, or a server error) may have started the job. */
function mayHaveStarted(err: unknown): boolean {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return status === undefined || status >= 500;
}

/** Where to look when Bedrock cannot read the artifacts (AWS's cross-account Custom Model Import guide, "Troubleshooting"). */
function s3AccessHint(state: ModelImportJobOutputs): string {
    const vpc = state.vpcConfig ? " (4) the S3 gateway endpoint policy of the hosting VPC (SecureVpc) allows the bucket's account;" : "";
    return (
        ` Check, in this order: (1) the artifact bucket policy in the research stack (ArtifactShare) grants ${state.roleArn} ` +
        `s3:ListBucket and s3:GetObject under ${state.s3Uri}; (2) the role's BedrockCMIExecutionPolicy allows the same with ` +
        `aws:ResourceAccount of the research account; (3) the artifact key policy allows the role kms:Decrypt;${vpc} ` +
        `then assume the role and run aws s3 ls ${state.s3Uri} as AWS's Custom Model Import troubleshooting describes.`
    );
}

/** Strips one generation's suffix from a name when it extends the declared base name. */
const baseName = (full: string, declared: string) => (full.startsWith(`${declared}-`) ? declared : full);

export class ModelImportProvider implements pulumi.dynamic.ResourceProvider {
    private readonly deps: ProviderDeps;

    constructor(deps: Partial<ProviderDeps> = {}) {
        this.deps = { ...defaultDeps, ...deps };
    }

    /** Validates known values only: during a preview, unknown ones pass and are checked when known. */
    async check(_olds: ModelImportJobInputs, news: ModelImportJobInputs): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: validateInputs(news) };
    }

    /**
     * Replaces only when the model changes; tags and waiting settings update in place. No
     * delete-before-replace: the replacement imports under its own generation's model name, and
     * the engine deletes the old model only after the replacement's create (Completed) succeeds.
     */
    async diff(_id: string, olds: ModelImportJobOutputs, news: ModelImportJobInputs): Promise<pulumi.dynamic.DiffResult> {
        const { replaces, updates } = changedInputs(olds, news);
        return { changes: replaces.length + updates.length > 0, replaces: [...replaces], deleteBeforeReplace: false };
    }

    async create(inputs: ModelImportJobInputs): Promise<pulumi.dynamic.CreateResult<ModelImportJobOutputs>> {
        const failures = validateInputs(inputs);
        if (failures.length > 0) {
            throw new Error(`Invalid model import job: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        }
        const generation = this.deps.generation();
        const state: ModelImportJobOutputs = {
            ...inputs,
            vpcConfig: normalizeVpc(inputs.vpcConfig),
            generation,
            fullJobName: `${inputs.jobName}-${generation}`,
            modelName: `${inputs.importedModelName}-${generation}`,
            jobArn: "",
            importedModelArn: "",
            jobStatus: "Starting",
        };
        const outs = await this.complete(state);
        return { id: outs.jobArn, outs: plain(outs) };
    }

    /** Resumes a partially created import (same job), then applies tag changes to the model. */
    async update(
        id: string,
        olds: ModelImportJobOutputs,
        news: ModelImportJobInputs,
    ): Promise<pulumi.dynamic.UpdateResult<ModelImportJobOutputs>> {
        const waiting = {
            timeoutMinutes: news.timeoutMinutes,
            pollSeconds: news.pollSeconds,
            profile: news.profile,
            assumeRole: news.assumeRole,
        };
        const state = isCompleted(olds) ? olds : await this.complete({ ...olds, ...waiting }, id);
        await syncTags(this.client(state), state.importedModelArn, state.tags ?? {}, news.tags);
        return { outs: plain({ ...state, ...waiting, tags: news.tags }) };
    }

    /**
     * Refresh: a model deleted outside Pulumi, or a job that failed or never started, removes the
     * resource; the model's key, source and tags are reported as they are. With only an id (a get
     * by model ARN or name), reads the existing model and the job that imported it.
     */
    async read(id: string, props: ModelImportJobOutputs): Promise<pulumi.dynamic.ReadResult<ModelImportJobOutputs>> {
        const client = this.client(props);
        if (!props.jobArn && !props.fullJobName) return this.readExisting(client, id, props);
        let state = props;
        if (!isCompleted(props)) {
            const job = await findJob(client, props.jobArn || props.fullJobName);
            if (!job || job.status === "Failed") return {};
            if (job.status !== "Completed") return { id, props: plain({ ...props, jobArn: job.jobArn!, jobStatus: "InProgress" }) };
            state = { ...props, jobArn: job.jobArn!, importedModelArn: job.importedModelArn ?? "", jobStatus: "Completed" };
        }
        const model = await findModel(client, state.importedModelArn);
        if (!model) return {};
        return {
            id,
            props: plain({
                ...state,
                importedModelKmsKeyArn: model.modelKmsKeyArn ?? state.importedModelKmsKeyArn,
                s3Uri: model.modelDataSource?.s3DataSource?.s3Uri ?? state.s3Uri,
                tags: await tagsOf(client, model.modelArn!),
            }),
        };
    }

    /** Deletes the model; a job still running is waited for first, since Bedrock cannot stop one. */
    async delete(id: string, props: ModelImportJobOutputs): Promise<void> {
        const client = this.client(props);
        const modelArn = isCompleted(props) ? props.importedModelArn : await this.settle(client, id, props);
        if (!modelArn) return;
        try {
            await client.send(new DeleteImportedModelCommand({ modelIdentifier: modelArn }));
            this.deps.log(`Deleted imported model ${props.modelName ?? props.importedModelName} (${modelArn})`);
        } catch (err) {
            if (!isNotFound(err)) throw err;
            this.deps.log(`Imported model ${modelArn} was already deleted`);
        }
    }

    private client(state: ModelImportJobInputs): BedrockClient {
        return this.deps.client(state.region, { profile: state.profile, assumeRole: state.assumeRole });
    }

    /** Starts this generation's job unless it has, and waits for it and its model. */
    private async complete(state: ModelImportJobOutputs, id?: string): Promise<ModelImportJobOutputs> {
        const client = this.client(state);
        let jobArn = state.jobArn;
        if (!jobArn) {
            try {
                jobArn = await startJob(client, state, this.deps);
            } catch (err) {
                if (!mayHaveStarted(err)) throw err;
                throw keptInState(
                    id ?? state.fullJobName,
                    state,
                    `Starting model import job ${state.fullJobName} got no answer: ${(err as Error).message}. ${resumeHint(state.fullJobName)}`,
                );
            }
        }
        const started: ModelImportJobOutputs = { ...state, jobArn, jobStatus: "InProgress" };
        const finished = await waitForJob(client, jobArn, started, this.deps).catch((err: Error) => {
            throw keptInState(
                id ?? jobArn,
                started,
                `Waiting for model import job ${jobArn} failed: ${err.message}. ${resumeHint(jobArn)}`,
            );
        });
        if (finished.status === "Waiting") {
            throw keptInState(
                id ?? jobArn,
                started,
                `Model import job ${jobArn} is still ${finished.job.status} after ${state.timeoutMinutes} minutes (modelImport.timeoutMinutes). ${resumeHint(jobArn)}`,
            );
        }
        if (finished.status === "Failed") {
            const message = finished.job.failureMessage ?? "no failure message";
            const hint = /does not have access to the S3 location/i.test(message) ? s3AccessHint(state) : "";
            throw new Error(
                `Model import job ${jobArn} failed: ${message}.${hint} After fixing the cause, run pulumi up again: a new job starts ` +
                    `(if this up was resuming the job, run pulumi refresh first so the stack forgets the failed import).`,
            );
        }
        // A completed job's model may have been deleted since (e.g. an old generation's): check before accepting it.
        const modelArn = finished.job.importedModelArn;
        if (!modelArn || !(await findModel(client, modelArn))) {
            throw new Error(
                `Model import job ${jobArn} completed, but its imported model ${modelArn ?? state.modelName} does not exist; run pulumi refresh, then pulumi up to import anew.`,
            );
        }
        return { ...started, importedModelArn: modelArn, jobStatus: "Completed" };
    }

    /** For a partial resource: the model its job made, once the job is done; undefined when it made none. */
    private async settle(client: BedrockClient, id: string, props: ModelImportJobOutputs): Promise<string | undefined> {
        const identifier = props.jobArn || props.fullJobName || id;
        const job = await findJob(client, identifier);
        const finished =
            job?.status === "InProgress" ? await waitForJob(client, job.jobArn!, props, this.deps) : job && { status: job.status, job };
        if (finished?.status === "Completed") return finished.job.importedModelArn;
        if (!finished || finished.status === "Failed") {
            this.deps.log(
                `Model import job ${identifier} ${finished ? "failed" : "was never started"}; it imported no model, nothing to delete`,
            );
            return undefined;
        }
        throw new Error(
            `Model import job ${finished.job.jobArn} is still ${finished.job.status} after ${props.timeoutMinutes} minutes. Bedrock has no API to stop ` +
                `a model import job; when it completes it creates imported model ${props.modelName}. The resource stays in the stack: ` +
                `run pulumi destroy again to wait for the job and delete that model.`,
        );
    }

    /** A get by model ARN or name: the model as it is, its job's inputs, and the declared names' generation. */
    private async readExisting(
        client: BedrockClient,
        id: string,
        declared: ModelImportJobInputs,
    ): Promise<pulumi.dynamic.ReadResult<ModelImportJobOutputs>> {
        const model = await findModel(client, id);
        if (!model) return {};
        const job = model.jobArn ? await findJob(client, model.jobArn) : undefined;
        const modelName = model.modelName!;
        const importedModelName = baseName(modelName, declared.importedModelName);
        const state: ModelImportJobOutputs = {
            ...declared,
            importedModelName,
            jobName: baseName(model.jobName ?? "", declared.jobName),
            roleArn: job?.roleArn ?? declared.roleArn,
            s3Uri: model.modelDataSource?.s3DataSource?.s3Uri ?? declared.s3Uri,
            importedModelKmsKeyArn: model.modelKmsKeyArn ?? "",
            vpcConfig: normalizeVpc(job?.vpcConfig as never),
            tags: await tagsOf(client, model.modelArn!),
            generation: modelName === importedModelName ? "" : modelName.slice(importedModelName.length + 1),
            fullJobName: model.jobName ?? "",
            modelName,
            jobArn: model.jobArn ?? "",
            importedModelArn: model.modelArn!,
            jobStatus: "Completed",
        };
        const clean = plain(state);
        // The engine keeps these as the resource's inputs (a get has none of its own to diff against).
        return { id: state.jobArn || state.importedModelArn, props: clean, inputs: inputsOf(clean) as ModelImportJobOutputs };
    }
}
