/**
 * moto's server on 127.0.0.1, for the SDK calls the orchestrator and the doctor make themselves
 * (STS, the SageMaker model registry, SSM, S3, KMS): started by the engine tier, stopped after;
 * and what the engine tier seeds it with (the research account's model registry).
 */
import { ChildProcess, spawn } from "child_process";
import {
    CreateModelPackageCommand,
    CreateModelPackageGroupCommand,
    SageMakerClient,
    UpdateModelPackageCommand,
} from "@aws-sdk/client-sagemaker";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import * as net from "net";
import * as path from "path";
import { MOTO_VENV } from "./build";
import type { Sandbox } from "./sandbox";

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

export class MotoServer {
    private constructor(
        private readonly child: ChildProcess,
        readonly endpoint: string,
    ) {}

    static async start(): Promise<MotoServer> {
        const port = await freePort();
        const child = spawn(path.join(MOTO_VENV, "bin", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
            stdio: ["ignore", "ignore", "pipe"],
        });
        // Not left running when the test process exits early (process.exit after an error).
        const stopOnExit = () => child.kill();
        process.once("exit", stopOnExit);
        child.once("exit", () => process.removeListener("exit", stopOnExit));
        let log = "";
        child.stderr!.on("data", (d) => (log = (log + d).slice(-4000)));
        const endpoint = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${log}`);
            try {
                // moto's own API answers once the server is up.
                if ((await fetch(`${endpoint}/moto-api/reset`, { method: "POST" })).ok) return new MotoServer(child, endpoint);
            } catch {
                // Not listening yet.
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        child.kill();
        throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log}`);
    }

    stop(): void {
        this.child.kill();
    }
}

/** The caller the sandbox gives the orchestrator (sandbox.ts), for the test's own calls to moto. */
export interface MotoCaller {
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** The sandbox's own identity toward moto: the fake keys its commands run with. */
export const motoCaller = (sandbox: Sandbox): MotoCaller => ({
    endpoint: sandbox.env.AWS_ENDPOINT_URL!,
    region: sandbox.env.AWS_REGION!,
    accessKeyId: sandbox.env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: sandbox.env.AWS_SECRET_ACCESS_KEY!,
});

/**
 * Credentials of `roleArn`, assumed through moto's STS: moto files the requests signed with an
 * assumed role's credentials under that role's account (its STS creates the access key in the
 * role's account, moto/sts/models.py assume_role; a request's account is its access key's,
 * moto/core/responses.py get_current_account). The role need not exist.
 */
export async function assumedAs(caller: MotoCaller, roleArn: string) {
    const sts = new STSClient({
        region: caller.region,
        endpoint: caller.endpoint,
        credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey },
    });
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "engine-tier" }));
    return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

/** A SageMaker client of the account of `roleArn` (see {@link assumedAs}). */
export async function sagemakerAs(caller: MotoCaller, roleArn: string): Promise<SageMakerClient> {
    return new SageMakerClient({ region: caller.region, endpoint: caller.endpoint, credentials: await assumedAs(caller, roleArn) });
}

/**
 * Registers `count` versions of a model package group in moto's model registry (versions are
 * numbered 1, 2, ... in the order created, as SageMaker does) and approves those listed in
 * `approved` with `approvalDescription`; the others stay PendingManualApproval. Resolves with
 * the ARNs moto answered, in order.
 */
export async function seedModelRegistry(
    sagemaker: SageMakerClient,
    seed: { group: string; count: number; approved: readonly string[]; approvalDescription: string },
): Promise<string[]> {
    await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: seed.group }));
    const arns: string[] = [];
    for (let i = 0; i < seed.count; i++) {
        const created = await sagemaker.send(
            new CreateModelPackageCommand({ ModelPackageGroupName: seed.group, ModelApprovalStatus: "PendingManualApproval" }),
        );
        arns.push(created.ModelPackageArn!);
    }
    for (const arn of arns.filter((a) => seed.approved.includes(a))) {
        await sagemaker.send(
            new UpdateModelPackageCommand({
                ModelPackageArn: arn,
                ModelApprovalStatus: "Approved",
                ApprovalDescription: seed.approvalDescription,
            }),
        );
    }
    return arns;
}
