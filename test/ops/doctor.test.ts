/** The doctor's steps against the STS, S3 and KMS SDKs, mocked with aws-sdk-client-mock. */
import { strict as assert } from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { sdkStreamMixin } from "@smithy/util-stream";
import { Readable } from "stream";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { DoctorTarget, runDoctor } from "../../ops/doctor/doctor";

const TARGET: DoctorTarget = {
    hostingStack: "dev",
    region: "us-east-1",
    hostingAccountId: "777788889999",
    cmiRoleArn: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
    importedModelKeyArn: "arn:aws:kms:us-east-1:777788889999:key/6cd5d3bf-3d9b-4d1c-83d5-8df6284435a1",
    bucket: "model-artifacts-111122223333",
    prefix: "mistral-model-weights/",
    artifactKeyArn: "arn:aws:kms:us-east-1:111122223333:key/b5b6e052-fb27-4dbb-bf0d-daf3375a9fda",
};
const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)]));
const denied = (message: string) => new S3ServiceException({ name: "AccessDenied", $fault: "client", $metadata: {}, message });

describe("doctor", () => {
    const sts = mockClient(STSClient);
    const s3 = mockClient(S3Client);
    const kms = mockClient(KMSClient);

    beforeEach(() => {
        sts.reset();
        s3.reset();
        kms.reset();
        sts.on(GetCallerIdentityCommand).resolves({
            Account: "777788889999",
            Arn: "arn:aws:sts::777788889999:assumed-role/ml-platform-operator/me",
        });
        sts.on(AssumeRoleCommand).resolves({
            Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date() },
        });
        s3.on(ListObjectsV2Command).resolves({
            Contents: ["config.json", "tokenizer.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"].map(
                (k) => ({ Key: `mistral-model-weights/${k}` }),
            ),
        });
        s3.on(GetObjectCommand).resolves({
            Body: body(JSON.stringify({ architectures: ["MistralForCausalLM"], model_type: "mistral" })) as any,
        });
        kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k", Enabled: true, KeyState: "Enabled", KeyManager: "CUSTOMER" } });
    });

    it("reports every step of a healthy environment, acting as the assumed role", async () => {
        const steps = await runDoctor(TARGET);
        assert.deepEqual(
            steps.map((s) => [s.step, s.ok]),
            [
                ["caller identity", true],
                ["assume the CMI execution role", true],
                ["list the model prefix", true],
                ["read config.json", true],
                ["model files: config.json", true],
                ["model files: a tokenizer file (tokenizer.json, tokenizer.model or tokenizer_config.json)", true],
                ["model files: weights in safetensors format (*.safetensors)", true],
                ["describe the artifact key", true],
                ["describe the imported-model key", true],
            ],
        );
        assert.match(steps[3].detail, /MistralForCausalLM/);
        assert.deepEqual(sts.commandCalls(AssumeRoleCommand)[0].args[0].input, {
            RoleArn: TARGET.cmiRoleArn,
            RoleSessionName: "cross-account-models-doctor",
        });
        assert.deepEqual(s3.commandCalls(ListObjectsV2Command)[0].args[0].input, { Bucket: TARGET.bucket, Prefix: TARGET.prefix });
        assert.deepEqual(s3.commandCalls(GetObjectCommand)[0].args[0].input, {
            Bucket: TARGET.bucket,
            Key: "mistral-model-weights/config.json",
        });
    });

    it("stops at the wrong account's credentials", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/x" });
        const steps = await runDoctor(TARGET);
        assert.equal(steps.length, 1);
        assert.match(steps[0].detail, /not dev's account 777788889999/);
    });

    it("says how to be allowed to assume the role", async () => {
        sts.on(AssumeRoleCommand).rejects(Object.assign(new Error("not authorized to perform sts:AssumeRole"), { name: "AccessDenied" }));
        const steps = await runDoctor(TARGET);
        assert.equal(steps.at(-1)!.ok, false);
        assert.match(steps.at(-1)!.detail, /troubleshooterArns in Pulumi\.dev\.yaml/);
    });

    it("names the policies to check when the artifacts are refused (Bedrock's S3 access failure)", async () => {
        s3.on(ListObjectsV2Command).rejects(denied("Access Denied"));
        s3.on(GetObjectCommand).rejects(denied("Access Denied"));
        const steps = await runDoctor(TARGET);
        const list = steps.find((s) => s.step === "list the model prefix")!;
        assert.equal(list.ok, false);
        assert.match(
            list.detail,
            /s3:\/\/model-artifacts-111122223333\/mistral-model-weights\/.*bucket policy.*S3 endpoint.*BedrockCMIExecutionPolicy/s,
        );
        assert.match(steps.find((s) => s.step === "read config.json")!.detail, /kms:Decrypt/);
        assert.ok(!steps.some((s) => s.step.startsWith("model files")), "file checks need a listing");
    });

    it("reports missing model files and unusable keys", async () => {
        s3.on(ListObjectsV2Command).resolves({
            Contents: [{ Key: "mistral-model-weights/config.json" }, { Key: "mistral-model-weights/pytorch_model.bin" }],
        });
        kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k", Enabled: false, KeyState: "PendingDeletion" } });
        const steps = await runDoctor(TARGET);
        const failed = steps.filter((s) => !s.ok).map((s) => s.step);
        assert.deepEqual(failed, [
            "model files: a tokenizer file (tokenizer.json, tokenizer.model or tokenizer_config.json)",
            "model files: weights in safetensors format (*.safetensors)",
            "describe the artifact key",
            "describe the imported-model key",
        ]);
        assert.match(steps.find((s) => s.step === "describe the artifact key")!.detail, /PendingDeletion/);
    });
});
