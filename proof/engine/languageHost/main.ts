/**
 * `pulumi-language-nodejs` for CLI 3.276: the real 3.68 Go language host for everything, with
 * RunPlugin added as the v3.248 host does it, because no newer host can be built here (the host's own
 * Go module is not on the module proxy; the one inside sdk/v3 v3.68.0 is the only one that builds).
 * From v3.221.0 on, the CLI starts Node.js policy packs through RunPlugin, which 3.68 answers "not supported".
 *
 * The launcher proof/engine/plugins/pulumi-language-nodejs runs this file; the CLI finds it on PATH
 * and starts it as any plugin: with the engine's address (and flags) as arguments, reading the port
 * from the first line it prints (newPlugin, sdk/go/common/resource/plugin/plugin.go). This starts the
 * Go host (.engine/pulumi-language-nodejs-v3.68.0/bin/pulumi-language-nodejs, or the path in
 * CROSS_ACCOUNT_MODELS_LANGUAGE_HOST) with the same arguments, reads its port, and serves
 * LanguageRuntime on its own port: every method is forwarded to the Go host unchanged (forward.ts)
 * except RunPlugin (runPlugin.ts). When either ends, the other is stopped.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { GRPC_OPTIONS, RAW_LANGUAGE_RUNTIME, forwardingService } from "./forward";
import { runPlugin } from "./runPlugin";

const ROOT = path.resolve(__dirname, "../../..");
export const GO_HOST =
    process.env.CROSS_ACCOUNT_MODELS_LANGUAGE_HOST || path.join(ROOT, ".engine/pulumi-language-nodejs-v3.68.0/bin/pulumi-language-nodejs");

/** Starts the Go host with `args`; resolves to its port, the first line it prints (anything after goes to stderr). */
function startGoHost(args: string[]): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(GO_HOST, args, { stdio: ["inherit", "pipe", "inherit"] });
    return new Promise((resolve, reject) => {
        const lines = readline.createInterface({ input: child.stdout! });
        let port: number | undefined;
        lines.on("line", (line) => {
            if (port !== undefined) return void process.stderr.write(line + "\n");
            port = Number(line.trim());
            if (Number.isInteger(port) && port > 0) resolve({ child, port });
            else reject(new Error(`${GO_HOST} printed ${JSON.stringify(line)} where its port belongs`));
        });
        child.on("error", (err) => reject(new Error(`could not start ${GO_HOST}: ${err.message}`)));
        child.on("exit", (code, signal) =>
            reject(new Error(`${GO_HOST} ended (${signal ?? `exit code ${code}`}) before printing its port`)),
        );
    });
}

async function main(): Promise<void> {
    const { child, port: goPort } = await startGoHost(process.argv.slice(2));
    // The Go host goes when this process goes, however it ends.
    process.on("exit", () => child.kill());
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => process.exit(0));
    // ... and this process goes when the Go host does (its engine health check failed, or it was killed).
    child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

    const { service } = forwardingService(`127.0.0.1:${goPort}`, { runPlugin });
    const server = new grpc.Server(GRPC_OPTIONS);
    server.addService(RAW_LANGUAGE_RUNTIME, service);
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    // The port alone, as a string, so that nothing colours it.
    console.log(String(port));
}

main().catch((err) => {
    console.error(`pulumi-language-nodejs: ${err.message}`);
    process.exit(1);
});
