/**
 * The Bedrock calls behind {@link ModelImportProvider}: start a generation's job (or adopt it after
 * a conflict), wait for it, check that its model exists, and keep the model's tags in step.
 */
import { createHash } from "crypto";
import {
    BedrockClient,
    CreateModelImportJobCommand,
    GetImportedModelCommand,
    GetImportedModelCommandOutput,
    GetModelImportJobCommand,
    GetModelImportJobCommandOutput,
    ListTagsForResourceCommand,
    TagResourceCommand,
    UntagResourceCommand,
} from "@aws-sdk/client-bedrock";
import { ModelImportJobOutputs, normalizeVpc, REPLACING_INPUTS } from "./inputs";

export interface Clock {
    readonly sleep: (ms: number) => Promise<void>;
    readonly now: () => number;
    readonly log: (message: string) => void;
}

export function isNotFound(err: unknown): boolean {
    return (err as { name?: string })?.name === "ResourceNotFoundException";
}

/**
 * The idempotency token: the generation and what defines the model, so a retried call of this
 * generation returns its job while a re-created resource (a new generation) starts a new one.
 */
function clientToken(state: ModelImportJobOutputs): string {
    const defining = Object.fromEntries(
        REPLACING_INPUTS.map((k) => [k, k === "vpcConfig" ? (normalizeVpc(state.vpcConfig) ?? null) : state[k]]),
    );
    return createHash("sha256")
        .update(JSON.stringify({ generation: state.generation, defining, tags: state.tags }))
        .digest("hex");
}

const toTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

/** What differs between an existing job and the one this generation would start, by input name. */
function mismatches(job: GetModelImportJobCommandOutput, state: ModelImportJobOutputs): string[] {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const observed: [string, unknown, unknown][] = [
        ["importedModelName", job.importedModelName, state.modelName],
        ["roleArn", job.roleArn, state.roleArn],
        ["s3Uri", job.modelDataSource?.s3DataSource?.s3Uri, state.s3Uri],
        ["importedModelKmsKeyArn", job.importedModelKmsKeyArn, state.importedModelKmsKeyArn],
        ["vpcConfig", normalizeVpc(job.vpcConfig as never), normalizeVpc(state.vpcConfig)],
    ];
    return observed.filter(([, a, b]) => !same(a, b)).map(([name]) => name);
}

/**
 * Starts this generation's job and returns its ARN. A job of the same name (ConflictException:
 * a call of this generation whose answer was lost, after the token expired) is adopted when it
 * imports the same model, and refused with what to change otherwise.
 */
export async function startJob(client: BedrockClient, state: ModelImportJobOutputs, clock: Clock): Promise<string> {
    try {
        const { jobArn } = await client.send(
            new CreateModelImportJobCommand({
                jobName: state.fullJobName,
                importedModelName: state.modelName,
                roleArn: state.roleArn,
                modelDataSource: { s3DataSource: { s3Uri: state.s3Uri } },
                importedModelKmsKeyId: state.importedModelKmsKeyArn,
                vpcConfig: state.vpcConfig,
                jobTags: toTags(state.tags),
                importedModelTags: toTags(state.tags),
                clientRequestToken: clientToken(state),
            }),
        );
        if (!jobArn) throw new Error(`CreateModelImportJob returned no job ARN for ${state.fullJobName}`);
        clock.log(`Model import job ${state.fullJobName} started: ${jobArn}`);
        return jobArn;
    } catch (err) {
        if ((err as { name?: string }).name !== "ConflictException") throw err;
        const job = await client.send(new GetModelImportJobCommand({ jobIdentifier: state.fullJobName }));
        const differs = mismatches(job, state);
        if (differs.length > 0) {
            throw new Error(
                `Model import job ${state.fullJobName} (${job.jobArn}) already exists and imports a different model (${differs.join(", ")} differ). ` +
                    `Change modelImport.jobName in the stack file so this import gets a job name of its own.`,
            );
        }
        clock.log(`Model import job ${state.fullJobName} already exists with these inputs; waiting for it: ${job.jobArn}`);
        return job.jobArn!;
    }
}

/** The answer, or undefined when Bedrock has no such job or model. */
async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
    try {
        return await call;
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}

/** The job's state now, found by ARN or name. */
export function findJob(client: BedrockClient, identifier: string): Promise<GetModelImportJobCommandOutput | undefined> {
    return unlessNotFound(client.send(new GetModelImportJobCommand({ jobIdentifier: identifier })));
}

/** The imported model, by ARN or name. */
export function findModel(client: BedrockClient, identifier: string): Promise<GetImportedModelCommandOutput | undefined> {
    return unlessNotFound(client.send(new GetImportedModelCommand({ modelIdentifier: identifier })));
}

export interface Finished {
    readonly status: "Completed" | "Failed" | "Waiting";
    readonly job: GetModelImportJobCommandOutput;
}

/**
 * Polls until the job completes or fails, or until `timeoutMinutes` pass (`Waiting`), logging
 * each status. Errors of the calls themselves (throttling after the SDK's retries) are thrown.
 */
export async function waitForJob(client: BedrockClient, jobArn: string, state: ModelImportJobOutputs, clock: Clock): Promise<Finished> {
    const started = clock.now();
    const deadline = started + state.timeoutMinutes * 60_000;
    for (;;) {
        const job = await client.send(new GetModelImportJobCommand({ jobIdentifier: jobArn }));
        clock.log(`Model import job ${job.jobName ?? jobArn}: ${job.status} after ${Math.round((clock.now() - started) / 1000)}s`);
        if (job.status === "Completed" || job.status === "Failed") return { status: job.status, job };
        if (clock.now() + state.pollSeconds * 1000 > deadline) return { status: "Waiting", job };
        await clock.sleep(state.pollSeconds * 1000);
    }
}

/** Sets the model's tags to `wanted`: untags keys no longer wanted, tags new and changed ones. */
export async function syncTags(
    client: BedrockClient,
    modelArn: string,
    had: Record<string, string>,
    wanted: Record<string, string>,
): Promise<void> {
    const removed = Object.keys(had).filter((k) => !(k in wanted));
    const changed = Object.entries(wanted).filter(([k, v]) => had[k] !== v);
    if (removed.length > 0) await client.send(new UntagResourceCommand({ resourceARN: modelArn, tagKeys: removed }));
    if (changed.length > 0) await client.send(new TagResourceCommand({ resourceARN: modelArn, tags: toTags(Object.fromEntries(changed)) }));
}

export async function tagsOf(client: BedrockClient, arn: string): Promise<Record<string, string>> {
    const { tags } = await client.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    return Object.fromEntries((tags ?? []).map((t) => [t.key!, t.value!]));
}
