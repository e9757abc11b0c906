/**
 * moto's server on 127.0.0.1, for the SDK calls the orchestrator and the doctor make themselves
 * (STS, the SageMaker model registry, SSM, S3, KMS): started by the engine tier, stopped after.
 */
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { MOTO_VENV } from "./build";

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
