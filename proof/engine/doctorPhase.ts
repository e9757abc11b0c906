/**
 * The doctor against a deployed stack, its SDK calls answered by moto: AWS's cross-account Custom
 * Model Import troubleshooting (STS, S3, KMS) with the outputs the real engine recorded. moto is
 * given what the doctor reads in S3 (the model files research holds); the keys exist only in the
 * local provider's state, so moto answers their DescribeKey with NotFound, and the doctor must
 * name each of them.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { PhaseContext } from "./phases";
import { outputsOf } from "./engineState";
import { MotoCaller, assumedAs, motoCaller } from "./moto";

const MODEL_FILES: Record<string, string> = {
    "config.json": JSON.stringify({ architectures: ["MistralForCausalLM"], model_type: "mistral" }),
    "tokenizer.json": "{}",
    "model-00001-of-00001.safetensors": "weights",
};

async function seedModelFiles(caller: MotoCaller, roleArn: string, bucket: string, prefix: string): Promise<void> {
    const s3 = new S3Client({
        region: caller.region,
        endpoint: caller.endpoint,
        forcePathStyle: true,
        credentials: await assumedAs(caller, roleArn),
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [name, body] of Object.entries(MODEL_FILES))
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body }));
}

export async function doctorPhase({ cli, sandbox, judge }: PhaseContext): Promise<boolean> {
    const caller = motoCaller(sandbox);
    const [research, dev] = [await outputsOf(sandbox, "research"), await outputsOf(sandbox, "dev")];
    const prefix = "mistral-model-weights/";
    await seedModelFiles(
        caller,
        "arn:aws:iam::111122223333:role/CrossAccountModelsDeployment-111122223333",
        research.artifactBucketName,
        prefix,
    );
    // The doctor runs as a troubleshooter of the hosting account (troubleshooterArns of Pulumi.dev.yaml).
    const operator = await assumedAs(caller, "arn:aws:iam::777788889999:role/ml-platform-operator");
    const ran = await sandbox.script("doctor.ts", ["dev", "--backend", sandbox.backendUrl], {
        AWS_ACCESS_KEY_ID: operator.accessKeyId,
        AWS_SECRET_ACCESS_KEY: operator.secretAccessKey,
        AWS_SESSION_TOKEN: operator.sessionToken,
    });
    const text = `${ran.stdout}\n${ran.stderr}`;
    const passed = (step: string) => new RegExp(`^ok   ${step}`, "m").test(text);
    judge.check(
        cli,
        "doctor",
        ["caller identity", "assume the CMI execution role", "list the model prefix", "read config.json", "model files"].every(passed),
        "npm run doctor -- dev: who am I, the CMI role assumed, the model prefix listed and read as the role, the files Bedrock needs found",
        "ops/doctor/doctor.ts, against moto's STS and S3",
        text,
    );
    judge.check(
        cli,
        "doctor",
        ran.code === 1 &&
            text.includes(`FAIL describe the imported-model key: NotFoundException`) &&
            text.includes(dev.importedModelKeyArn),
        "the keys the local provider made are unknown to moto: the doctor fails naming each (exit 1)",
        undefined,
        text,
    );
    return true;
}
