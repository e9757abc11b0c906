/**
 * The import job's provider as the engine runs it: the dev stack's serialized `__provider`, loaded
 * by `@pulumi/pulumi/cmd/dynamic-provider` (sdk/nodejs/cmd/dynamic-provider/index.ts), called over
 * gRPC in the engine's order, against a Bedrock stub on 127.0.0.1.
 */
import { strict as assert } from "assert";
import { BedrockStub } from "../proof/engine/bedrockStub";
import { DynamicProviderProcess, ProviderCallError, Props, secret } from "./support/providerEngine";
import { pluginDiagnostics } from "../proof/pack/plugin";
import { progressOf } from "../ops/stacks/automation";
import { ProgressBoard } from "../ops/stacks/progress";
import { UNKNOWN } from "../components/modelImport/inputs";
import { resource, shippedStack } from "./helpers";

const TYPE = "pulumi-nodejs:dynamic/bedrock:ModelImportJob";
const URN = `urn:pulumi:dev::cross-account-models::${TYPE}::model-import`;

/** Expects a rejected call and returns its error. */
async function failure(call: Promise<unknown>): Promise<ProviderCallError> {
    try {
        await call;
    } catch (err) {
        assert.ok(err instanceof ProviderCallError, String(err));
        return err;
    }
    assert.fail("the call succeeded");
}

describe("ModelImportJob over the engine's provider protocol", function () {
    this.timeout(20_000);
    let stub: BedrockStub;
    let provider: DynamicProviderProcess;
    /** The dev stack's registered inputs, `__provider` included, waiting briefly so timeouts come fast. */
    let inputs: Props;

    before(async () => {
        stub = await BedrockStub.start();
        provider = await DynamicProviderProcess.start({
            AWS_ENDPOINT_URL_BEDROCK: stub.endpoint,
            // The dev stack assumes its deployment role (aws:assumeRoles): the job's calls do too.
            AWS_ENDPOINT_URL_STS: stub.endpoint,
            AWS_REGION: "us-east-1",
            AWS_MAX_ATTEMPTS: "1",
            AWS_ACCESS_KEY_ID: "AKIDSTUBSTUBSTUB",
            AWS_SECRET_ACCESS_KEY: "stub-secret-key",
            AWS_CONFIG_FILE: "/nonexistent",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
            AWS_EC2_METADATA_DISABLED: "true",
        });
        await provider.configure();
        const registered = resource(await shippedStack("dev"), TYPE, "model-import").inputs;
        assert.equal(typeof registered.__provider, "string");
        inputs = { ...registered, timeoutMinutes: 0.004, pollSeconds: 0.04 };
    });
    after(async () => {
        provider?.stop();
        await stub?.stop();
    });
    beforeEach(() => stub.reset());

    /** Check then Create, as the engine does for a new resource. */
    async function created(props: Props = inputs) {
        const { inputs: checked, failures } = await provider.check(URN, {}, props);
        assert.deepEqual(failures, []);
        return provider.create(URN, checked);
    }

    /** A create that timed out: the init failure the engine saves as a partial resource. */
    async function timedOut() {
        stub.script.pollsBeforeDone = 1000;
        const err = await failure(created());
        assert.ok(err.initFailed, `no ErrorResourceInitFailed: ${err.message}`);
        return { err, partial: err.initFailed };
    }

    it("Check during a preview (unknowns arrive as the sdk/nodejs/runtime/rpc.ts placeholder) passes unknown role, key and VPC, and rejects known bad values", async () => {
        for (const vpcConfig of [UNKNOWN, { subnetIds: UNKNOWN, securityGroupIds: [UNKNOWN] }]) {
            const preview = { ...inputs, roleArn: UNKNOWN, importedModelKmsKeyArn: UNKNOWN, vpcConfig };
            assert.deepEqual((await provider.check(URN, {}, preview)).failures, [], JSON.stringify(vpcConfig));
        }
        const bad = await provider.check(
            URN,
            {},
            { ...inputs, roleArn: "role", vpcConfig: { subnetIds: [], securityGroupIds: [UNKNOWN] } },
        );
        assert.deepEqual(bad.failures.map((f) => f.property).sort(), ["roleArn", "vpcConfig"]);
    });

    it("starts the job as the dev stack's deployment role: STS AssumeRole (aws:assumeRoles of Pulumi.dev.yaml) before the first Bedrock call", async () => {
        await created();
        const [first, ...rest] = stub.calls.map((c) => c.op);
        assert.equal(first, "AssumeRole", stub.calls.map((c) => c.op).join(", "));
        assert.ok(rest.includes("CreateModelImportJob"));
        const [assumed] = stub.callsOf("AssumeRole");
        assert.deepEqual(
            [assumed.RoleArn, assumed.RoleSessionName],
            ["arn:aws:iam::777788889999:role/CrossAccountModelsDeployment-777788889999", "cross-account-models-dev"],
        );
    });

    it("Diff: tags and subnet order do not replace; a new model source replaces without deleteBeforeReplace, so the engine creates the replacement first (pkg/resource/deploy/step_generator.go)", async () => {
        const { id, properties: olds } = await created();
        const vpc = inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
        const reordered = { ...inputs, vpcConfig: { ...vpc, subnetIds: [...vpc.subnetIds].reverse() } };
        assert.deepEqual(await provider.diff(URN, id, olds, reordered), { changes: "none", replaces: [], deleteBeforeReplace: false });
        const retagged = { ...inputs, tags: { ...(inputs.tags as object), owner: "ml-platform" } };
        assert.deepEqual(await provider.diff(URN, id, olds, retagged), { changes: "some", replaces: [], deleteBeforeReplace: false });
        const moved = { ...inputs, s3Uri: "s3://model-artifacts-111122223333/mistral-v2/" };
        assert.deepEqual(await provider.diff(URN, id, olds, moved), { changes: "some", replaces: ["s3Uri"], deleteBeforeReplace: false });
        const previewed = { ...inputs, vpcConfig: UNKNOWN };
        assert.deepEqual((await provider.diff(URN, id, olds, previewed)).replaces, ["vpcConfig"]);
    });

    it("a replacement imports a new generation beside the old model, which serves until the engine deletes it after the new create completed", async () => {
        const old = await created();
        const moved = { ...inputs, s3Uri: "s3://model-artifacts-111122223333/mistral-v2/" };
        // The engine re-checks a replacement with no olds, then creates it while the old resource still exists.
        const replacement = await created(moved);
        assert.notEqual(replacement.properties.modelName, old.properties.modelName);
        assert.ok(stub.model(old.properties.importedModelArn as string), "the old model was deleted before the replacement completed");
        assert.equal(stub.job(replacement.id)?.status, "Completed");
        await provider.delete(URN, old.id, old.properties);
        assert.equal(stub.model(old.properties.importedModelArn as string), undefined);
        assert.ok(stub.model(replacement.properties.importedModelArn as string));
        assert.equal(stub.callsOf("DeleteImportedModel").length, 1);
    });

    it("Update with changed tags tags the imported model in place (TagResource/UntagResource), keeping the job and model", async () => {
        const { id, properties } = await created();
        const tags = { project: "cross-account-models", owner: "ml-platform" };
        const outs = await provider.update(URN, id, properties, { ...inputs, tags });
        assert.equal(outs.importedModelArn, properties.importedModelArn);
        assert.deepEqual(Object.fromEntries(stub.model(outs.importedModelArn as string)!.tags), tags);
        assert.deepEqual(
            stub.callsOf("UntagResource").map((c) => c.tagKeys),
            [["pulumi-stack"]],
        );
        assert.equal(stub.callsOf("CreateModelImportJob").length, 1);
    });

    it("destroy and re-create with the same inputs start a new job: a new generation's job name, model name and token", async () => {
        const first = await created();
        await provider.delete(URN, first.id, first.properties);
        const second = await created();
        assert.notEqual(second.id, first.id);
        assert.notEqual(second.properties.modelName, first.properties.modelName);
        const [a, b] = stub.callsOf("CreateModelImportJob");
        assert.notEqual(a.clientRequestToken, b.clientRequestToken);
        assert.ok(stub.model(second.properties.importedModelArn as string));
    });

    it("a timed-out Create is kept as a partial resource (ErrorResourceInitFailed with id and properties), and the engine's next Update with the same inputs resumes the same job (initErrors in step_generator.go)", async () => {
        const { err, partial } = await timedOut();
        assert.match(err.message, /model-import-job\/\S+ is still InProgress.*next pulumi up resumes waiting/s);
        assert.equal(partial.id, partial.properties.jobArn);
        assert.ok(err.message.includes(partial.id));
        // A refresh in between keeps it, still in progress.
        const refreshed = await provider.read(URN, partial.id, partial.properties, undefined);
        assert.deepEqual([refreshed.id, refreshed.properties.jobStatus], [partial.id, "InProgress"]);
        stub.job(partial.id)!.pollsLeft = 1;
        const outs = await provider.update(URN, partial.id, refreshed.properties, inputs);
        assert.deepEqual([outs.jobArn, outs.jobStatus], [partial.id, "Completed"]);
        assert.ok(stub.model(outs.importedModelArn as string));
        assert.equal(stub.callsOf("CreateModelImportJob").length, 1);
    });

    it("a throttled poll keeps the resource with the job ARN and says the next up resumes", async () => {
        stub.script.throttleGets = 1;
        const err = await failure(created());
        assert.ok(err.initFailed?.id.includes("model-import-job/"), err.message);
        assert.match(err.message, /Rate exceeded.*resumes waiting/s);
        const outs = await provider.update(URN, err.initFailed!.id, err.initFailed!.properties, inputs);
        assert.equal(outs.jobStatus, "Completed");
    });

    it("a lost CreateModelImportJob answer keeps the resource by job name; on ConflictException the next Update adopts the job when it imports the same model, and names what differs otherwise", async () => {
        stub.script.loseCreateAnswers = 1;
        const err = await failure(created());
        const partial = err.initFailed!;
        assert.equal(partial.id, partial.properties.fullJobName);
        stub.forgetTokens();
        const outs = await provider.update(URN, partial.id, partial.properties, inputs);
        assert.equal(outs.jobArn, stub.job(partial.id)!.jobArn);
        assert.equal(stub.jobs.size, 1);

        stub.reset();
        stub.script.loseCreateAnswers = 1;
        const other = (await failure(created())).initFailed!;
        stub.forgetTokens();
        stub.job(other.id)!.modelDataSource.s3DataSource.s3Uri = "s3://someone-else/model/";
        const refused = await failure(provider.update(URN, other.id, other.properties, inputs));
        assert.match(refused.message, new RegExp(`${other.id} .*already exists.*s3Uri differ.*modelImport.jobName`));
    });

    it("a resumed job that completed but whose model is gone is not accepted", async () => {
        const { partial } = await timedOut();
        stub.job(partial.id)!.pollsLeft = 0;
        const { importedModelArn } = (await provider.read(URN, partial.id, partial.properties, undefined)).properties;
        stub.models.delete(importedModelArn as string);
        const err = await failure(provider.update(URN, partial.id, partial.properties, inputs));
        assert.match(err.message, /completed, but its imported model .* does not exist/);
    });

    it("a failed job fails Create with Bedrock's message and keeps nothing in state", async () => {
        stub.script.failWith =
            "Amazon Bedrock does not have access to the S3 location (s3://model-artifacts-111122223333/mistral-model-weights).";
        const err = await failure(created());
        assert.equal(err.initFailed, undefined);
        assert.match(err.message, /does not have access.*bucket policy/s);
    });

    it("Delete of a partial resource waits for the running job and deletes its model; while it still runs, it fails naming the job and the model it will create", async () => {
        const { partial } = await timedOut();
        const err = await failure(provider.delete(URN, partial.id, partial.properties));
        assert.match(
            err.message,
            new RegExp(`${partial.id} is still InProgress.*no API to stop.*${partial.properties.modelName}.*destroy again`, "s"),
        );
        stub.job(partial.id)!.pollsLeft = 1;
        await provider.delete(URN, partial.id, partial.properties);
        assert.equal(stub.models.size, 0);
        assert.equal(stub.callsOf("DeleteImportedModel").length, 1);
    });

    it("Read reports drift: a model deleted out of band returns no id (the engine drops the resource); a changed key comes back as a different property", async () => {
        const { id, properties } = await created();
        const model = stub.model(properties.importedModelArn as string)!;
        model.modelKmsKeyArn = "arn:aws:kms:us-east-1:777788889999:key/00000000-0000-0000-0000-000000000000";
        const drifted = await provider.read(URN, id, properties, undefined);
        assert.equal(drifted.properties.importedModelKmsKeyArn, model.modelKmsKeyArn);
        assert.deepEqual((await provider.diff(URN, id, drifted.properties, inputs)).replaces, ["importedModelKmsKeyArn"]);
        stub.models.clear();
        assert.equal((await provider.read(URN, id, properties, undefined)).id, "");
    });

    it("Read with an id and the declared inputs as state and inputs (a get: ReadStep in pkg/resource/deploy/step.go sends both) reads an existing model by ARN or name; with only an id, as ImportStep sends, __provider cannot be found", async () => {
        const { id, properties } = await created();
        for (const identifier of [properties.importedModelArn as string, properties.modelName as string]) {
            const got = await provider.read(URN, identifier, inputs, inputs);
            assert.equal(got.id, id);
            assert.equal(got.properties.generation, properties.generation);
            assert.deepEqual(await provider.diff(URN, got.id, got.properties, inputs), {
                changes: "none",
                replaces: [],
                deleteBeforeReplace: false,
            });
        }
        await failure(provider.read(URN, properties.importedModelArn as string, undefined, undefined));
    });

    it("the job's progress reaches the engine: one stdout line per poll, each an info diagnostic (runtrace in pkg/resource/plugin/plugin.go), shown with its stack", async () => {
        const before = provider.stdout.length;
        stub.script.pollsBeforeDone = 2;
        await created();
        // The lines and the call's answer travel separately: wait for the last line.
        for (let i = 0; i < 100 && !provider.stdout.slice(before).includes("Completed"); i++) await new Promise((r) => setTimeout(r, 20));
        const lines: string[] = [];
        const board = new ProgressBoard(
            (l) => lines.push(l),
            () => 0,
        );
        for (const diagnosticEvent of pluginDiagnostics(provider.stdout.slice(before), "stdout")) {
            const progress = progressOf("dev", { sequence: 0, timestamp: 0, diagnosticEvent });
            if (progress) board.onProgress(progress);
        }
        const job =
            /^\[dev\] +0s info +Model import job cmi-job-\S+?(: InProgress after \d+s| started: arn:aws:bedrock:\S+|: Completed after \d+s)$/;
        assert.ok(lines.length >= 4 && lines.every((l) => job.test(l)), lines.join("\n"));
        assert.equal(lines.filter((l) => l.includes("InProgress")).length, 2, lines.join("\n"));
        assert.match(lines.at(-1)!, /Completed/);
    });

    it("secrets: Configure answers acceptSecrets false, so secret inputs arrive plain (provider_plugin.go KeepSecrets), and the provider's output never shows them", async () => {
        const hidden = "tag-value-that-is-secret";
        const props = { ...inputs, tags: { ...(inputs.tags as object), costCentre: secret(hidden) } };
        assert.deepEqual(await provider.configure(), { acceptSecrets: false });
        const { id, properties } = await created(props);
        // A failing tag update: the error and the log name the model, not the tag values.
        const retagged = { ...props, tags: { ...props.tags, costCentre: secret(`${hidden}-2`) } };
        const err = await failure(
            provider.update(
                URN,
                id,
                { ...properties, importedModelArn: "arn:aws:bedrock:us-east-1:777788889999:imported-model/gone" },
                retagged,
            ),
        );
        assert.ok(!err.message.includes(hidden), err.message);
        await provider.delete(URN, id, properties);
        assert.ok(!provider.log.includes(hidden), provider.log);
        assert.ok(provider.log.includes("started"), "the provider logs nothing at all");
    });
});
