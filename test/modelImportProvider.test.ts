/** The import job's dynamic provider against the Bedrock SDK's own middleware stack, mocked with aws-sdk-client-mock. */
import { strict as assert } from "assert";
import { mockClient } from "aws-sdk-client-mock";
import {
    BedrockClient,
    CreateModelImportJobCommand,
    DeleteImportedModelCommand,
    GetImportedModelCommand,
    GetModelImportJobCommand,
    ResourceNotFoundException,
    ListTagsForResourceCommand,
    TagResourceCommand,
    UntagResourceCommand,
} from "@aws-sdk/client-bedrock";
import { ModelImportJobInputs, ModelImportJobOutputs, ModelImportProvider } from "../components/modelImport/provider";

const JOB_ARN = "arn:aws:bedrock:us-east-1:777788889999:model-import-job/abcdefabcdef";
const MODEL_ARN = "arn:aws:bedrock:us-east-1:777788889999:imported-model/123456abcdef";
const INPUTS: ModelImportJobInputs = {
    region: "us-east-1",
    jobName: "cmi-job-777788889999-01",
    importedModelName: "mistral-777788889999-01",
    roleArn: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
    s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
    importedModelKmsKeyArn: "arn:aws:kms:us-east-1:777788889999:key/6cd5d3bf-3d9b-4d1c-83d5-8df6284435a1",
    vpcConfig: { subnetIds: ["subnet-0a", "subnet-0b"], securityGroupIds: ["sg-0c"] },
    tags: { project: "cross-account-models" },
    timeoutMinutes: 10,
    pollSeconds: 30,
};
const COMPLETED: ModelImportJobOutputs = {
    ...INPUTS,
    generation: "0123abcd",
    fullJobName: "x",
    modelName: "m",
    jobArn: JOB_ARN,
    importedModelArn: MODEL_ARN,
    jobStatus: "Completed",
};

describe("ModelImportJob provider", () => {
    const bedrock = mockClient(BedrockClient);
    let clock: number;
    let slept: number[];
    let logs: string[];
    let provider: ModelImportProvider;

    beforeEach(() => {
        bedrock.reset();
        clock = 0;
        slept = [];
        logs = [];
        provider = new ModelImportProvider({
            sleep: async (ms) => {
                slept.push(ms);
                clock += ms;
            },
            now: () => clock,
            log: (m) => logs.push(m),
            generation: () => "0123abcd",
        });
    });

    it("creates the job, polls until it completes, and returns the imported model", async () => {
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock
            .on(GetModelImportJobCommand)
            .resolvesOnce({ jobArn: JOB_ARN, status: "InProgress" })
            .resolvesOnce({ jobArn: JOB_ARN, status: "InProgress" })
            .resolves({ jobArn: JOB_ARN, status: "Completed", importedModelArn: MODEL_ARN });
        bedrock.on(GetImportedModelCommand).resolves({ modelArn: MODEL_ARN });

        const { id, outs } = (await provider.create(INPUTS)) as { id: string; outs: ModelImportJobOutputs };

        assert.equal(id, JOB_ARN);
        assert.equal(outs.importedModelArn, MODEL_ARN);
        assert.equal(outs.fullJobName, "cmi-job-777788889999-01-0123abcd");
        assert.equal(outs.modelName, "mistral-777788889999-01-0123abcd");
        const [create] = bedrock.commandCalls(CreateModelImportJobCommand);
        assert.deepEqual(create.args[0].input, {
            jobName: outs.fullJobName,
            importedModelName: outs.modelName,
            roleArn: INPUTS.roleArn,
            modelDataSource: { s3DataSource: { s3Uri: INPUTS.s3Uri } },
            importedModelKmsKeyId: INPUTS.importedModelKmsKeyArn,
            vpcConfig: INPUTS.vpcConfig,
            jobTags: [{ key: "project", value: "cross-account-models" }],
            importedModelTags: [{ key: "project", value: "cross-account-models" }],
            clientRequestToken: create.args[0].input.clientRequestToken,
        });
        assert.match(create.args[0].input.clientRequestToken!, /^[0-9a-f]{64}$/);
        assert.equal(bedrock.commandCalls(GetModelImportJobCommand).length, 3);
        assert.deepEqual(slept, [30_000, 30_000]);
        assert.ok(logs.some((m) => m.includes("started")) && logs.filter((m) => m.includes("InProgress")).length === 2, logs.join("\n"));
    });

    it("calls Bedrock as the deployment role the stack's provider assumes, on create, refresh and delete", async () => {
        const identities: unknown[] = [];
        const assumeRole = { roleArn: "arn:aws:iam::777788889999:role/CrossAccountModelsDeployment-777788889999", sessionName: "s" };
        const asDeployer = new ModelImportProvider({
            client: (region, identity) => {
                identities.push({ region, ...identity });
                return new BedrockClient({ region, credentials: { accessKeyId: "x", secretAccessKey: "y" } });
            },
            sleep: async () => {},
            now: () => 0,
            log: () => {},
            generation: () => "0123abcd",
        });
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock.on(GetModelImportJobCommand).resolves({ jobArn: JOB_ARN, status: "Completed", importedModelArn: MODEL_ARN });
        bedrock.on(GetImportedModelCommand).resolves({ modelArn: MODEL_ARN });
        bedrock.on(ListTagsForResourceCommand).resolves({ tags: [] });
        bedrock.on(DeleteImportedModelCommand).resolves({});
        const { outs } = (await asDeployer.create({ ...INPUTS, assumeRole })) as { outs: ModelImportJobOutputs };
        await asDeployer.read(JOB_ARN, outs);
        await asDeployer.delete(JOB_ARN, outs);
        assert.ok(identities.length >= 3);
        for (const identity of identities) assert.deepEqual(identity, { region: "us-east-1", profile: undefined, assumeRole });
    });

    it("gives each creation its own generation: job name, model name and idempotency token", async () => {
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock.on(GetModelImportJobCommand).resolves({ status: "Completed", importedModelArn: MODEL_ARN });
        bedrock.on(GetImportedModelCommand).resolves({ modelArn: MODEL_ARN });
        const generations = ["00000001", "00000002"];
        const fresh = new ModelImportProvider({
            sleep: async () => undefined,
            now: () => 0,
            log: () => undefined,
            generation: () => generations.shift()!,
        });
        await fresh.create(INPUTS);
        await fresh.create(INPUTS);
        const [a, b] = bedrock.commandCalls(CreateModelImportJobCommand).map((call) => call.args[0].input);
        assert.deepEqual([a.jobName, b.jobName], ["cmi-job-777788889999-01-00000001", "cmi-job-777788889999-01-00000002"]);
        assert.notEqual(a.importedModelName, b.importedModelName);
        assert.notEqual(a.clientRequestToken, b.clientRequestToken);
    });

    it("surfaces Bedrock's failure message, and for S3 access failures names the policies to check", async () => {
        const failure =
            "Amazon Bedrock does not have access to the S3 location (s3://model-artifacts-111122223333/mistral-model-weights). Update the permissions and try again.";
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock.on(GetModelImportJobCommand).resolves({ jobArn: JOB_ARN, status: "Failed", failureMessage: failure });
        await assert.rejects(provider.create(INPUTS), (err: Error) => {
            assert.ok(err.message.includes(failure), err.message);
            for (const part of [
                "bucket policy",
                "BedrockCMIExecutionPolicy",
                "key policy",
                "kms:Decrypt",
                "gateway endpoint policy",
                "a new job starts",
            ]) {
                assert.ok(err.message.includes(part), `lacks "${part}": ${err.message}`);
            }
            return true;
        });
    });

    it("reports other failures without the S3 checklist", async () => {
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock.on(GetModelImportJobCommand).resolves({ status: "Failed", failureMessage: "Unsupported model architecture" });
        await assert.rejects(
            provider.create(INPUTS),
            (err: Error) => err.message.includes("Unsupported model architecture") && !err.message.includes("bucket policy"),
        );
    });

    it("gives up after the timeout, saying the job keeps running and how to resume", async () => {
        bedrock.on(CreateModelImportJobCommand).resolves({ jobArn: JOB_ARN });
        bedrock.on(GetModelImportJobCommand).resolves({ status: "InProgress" });
        await assert.rejects(
            provider.create(INPUTS),
            (err: Error & { id?: string }) =>
                /still InProgress after 10 minutes.*timeoutMinutes.*resumes waiting/s.test(err.message) && err.id === JOB_ARN,
        );
        // 10 minutes of 30-second polls: never sleeps past the deadline.
        assert.ok(clock <= 10 * 60_000, `slept until ${clock}`);
        assert.equal(slept.length, 20);
    });

    it("validates names and Region before calling AWS", async () => {
        const bad = { ...INPUTS, region: "eu-west-1", jobName: "-bad", importedModelName: "bad name", roleArn: "role" };
        const { failures } = await provider.check(INPUTS, bad);
        assert.deepEqual(failures!.map((f) => f.property).sort(), ["importedModelName", "jobName", "region", "roleArn"]);
        await assert.rejects(provider.create(bad), /Invalid model import job: region: .*not offered/);
        assert.equal(bedrock.calls().length, 0);
    });

    it("deletes the imported model on destroy, and tolerates one already gone", async () => {
        const outs: ModelImportJobOutputs = COMPLETED;
        bedrock
            .on(DeleteImportedModelCommand)
            .resolvesOnce({})
            .rejects(new ResourceNotFoundException({ message: "gone", $metadata: {} }));
        await provider.delete(JOB_ARN, outs);
        await provider.delete(JOB_ARN, outs);
        assert.deepEqual(
            bedrock.commandCalls(DeleteImportedModelCommand).map((c) => c.args[0].input.modelIdentifier),
            [MODEL_ARN, MODEL_ARN],
        );
        assert.ok(logs.some((m) => m.includes("already deleted")));
    });

    it("does not swallow other delete errors", async () => {
        const outs: ModelImportJobOutputs = COMPLETED;
        bedrock.on(DeleteImportedModelCommand).rejects(new Error("AccessDeniedException"));
        await assert.rejects(provider.delete(JOB_ARN, outs), /AccessDenied/);
    });

    it("replaces only when the model changes, beside the old one; tags and waiting settings update in place", async () => {
        const olds: ModelImportJobOutputs = COMPLETED;
        const changed: Partial<ModelImportJobInputs>[] = [
            { region: "us-west-2" },
            { jobName: "cmi-job-02" },
            { importedModelName: "mistral-02" },
            { roleArn: `${INPUTS.roleArn}2` },
            { s3Uri: "s3://b/other/" },
            { importedModelKmsKeyArn: INPUTS.importedModelKmsKeyArn.replace("6cd5", "7cd5") },
            { vpcConfig: undefined },
        ];
        for (const change of changed) {
            const diff = await provider.diff(JOB_ARN, olds, { ...INPUTS, ...change });
            assert.deepEqual(diff.replaces, Object.keys(change), JSON.stringify(change));
            assert.equal(diff.changes, true);
            assert.equal(diff.deleteBeforeReplace, false);
        }
        const same = await provider.diff(JOB_ARN, olds, INPUTS);
        assert.equal(same.changes, false);
        const timeout = await provider.diff(JOB_ARN, olds, { ...INPUTS, timeoutMinutes: 60 });
        assert.deepEqual([timeout.changes, timeout.replaces], [true, []]);
        const profile = await provider.diff(JOB_ARN, olds, { ...INPUTS, profile: "hosting-dev" });
        assert.deepEqual([profile.changes, profile.replaces], [true, []]);
        const reordered = { subnetIds: ["subnet-0b", "subnet-0a"], securityGroupIds: ["sg-0c"] };
        assert.equal((await provider.diff(JOB_ARN, olds, { ...INPUTS, vpcConfig: reordered })).changes, false);
        const tagged = await provider.diff(JOB_ARN, olds, { ...INPUTS, tags: { project: "other", team: "ml" } });
        assert.deepEqual([tagged.changes, tagged.replaces], [true, []]);
        bedrock.on(TagResourceCommand).resolves({});
        const updated = await provider.update(JOB_ARN, olds, { ...INPUTS, timeoutMinutes: 60, tags: { team: "ml" } });
        assert.equal(updated.outs!.timeoutMinutes, 60);
        assert.equal(updated.outs!.importedModelArn, MODEL_ARN);
        assert.deepEqual(
            bedrock.commandCalls(UntagResourceCommand).map((c) => c.args[0].input),
            [{ resourceARN: MODEL_ARN, tagKeys: ["project"] }],
        );
        assert.deepEqual(
            bedrock.commandCalls(TagResourceCommand).map((c) => c.args[0].input),
            [{ resourceARN: MODEL_ARN, tags: [{ key: "team", value: "ml" }] }],
        );
    });

    it("reads the model back on refresh and reports it gone when deleted outside Pulumi", async () => {
        const outs: ModelImportJobOutputs = COMPLETED;
        bedrock
            .on(GetImportedModelCommand)
            .resolvesOnce({ modelArn: MODEL_ARN })
            .rejects(new ResourceNotFoundException({ message: "gone", $metadata: {} }));
        bedrock.on(ListTagsForResourceCommand).resolves({ tags: [] });
        assert.equal((await provider.read(JOB_ARN, outs)).id, JOB_ARN);
        assert.equal((await provider.read(JOB_ARN, outs)).id, undefined);
    });
});
