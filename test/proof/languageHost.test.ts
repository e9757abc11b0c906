/**
 * The Node.js language host the real Pulumi CLI runs here (proof/engine/languageHost): the 3.68 Go
 * host behind a forwarder that adds RunPlugin. Started as the engine starts a plugin, it answers
 * GetPluginInfo from the Go host (v3.68.0) with the Go host's errors as they are, and RunPlugin for
 * an analyzer starts the policy pack: the stream's first stdout is the port the pack prints, and the
 * analyzer there is cross-account-guard.
 *
 * The command line RunPlugin builds is checked everywhere; the host itself is skipped where the Go
 * host has not been built (.engine/pulumi-language-nodejs-v3.68.0 is made by
 * `npm run engine`, which needs Go): npm test runs on machines without Go.
 */
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PROJECT_DIR } from "../../ops/project";
import { pluginCommand, splitWords } from "../../proof/engine/languageHost/runPlugin";

const languageProto = require("@pulumi/pulumi/proto/language_pb.js");
const languageRpc = require("@pulumi/pulumi/proto/language_grpc_pb.js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");

const LAUNCHER = path.join(PROJECT_DIR, "proof/engine/plugins/pulumi-language-nodejs");
const GO_HOST = path.join(PROJECT_DIR, ".engine/pulumi-language-nodejs-v3.68.0/bin/pulumi-language-nodejs");
const PACK_DIR = path.join(PROJECT_DIR, "policypacks/cross-account-guard");
/** An engine address nothing listens on: the Go host dials it lazily and checks its health only every 5 minutes. */
const ENGINE = "127.0.0.1:1";

function unary(client: any, method: string, request: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
        client[method](request, (err: grpc.ServiceError | null, response: any) => (err ? reject(err) : resolve(response))),
    );
}

/** The process IDs of `pid`'s children (Linux). */
function childrenOf(pid: number): number[] {
    const file = `/proc/${pid}/task/${pid}/children`;
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

/** Running: a process that ended but is not yet reaped (a zombie, state Z) is not. */
function alive(pid: number): boolean {
    try {
        return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
    } catch {
        return false;
    }
}

describe("language host (proof/engine/languageHost)", function () {
    // A policy pack's start (ts-node on the pack) takes seconds, more on a busy machine.
    this.timeout(60_000);
    let host: ChildProcess | undefined;
    let client: any;

    before(async function () {
        if (!fs.existsSync(GO_HOST)) this.skip();
        // As the engine starts a plugin: the engine's address as argument, the port read from the first line.
        host = spawn(LAUNCHER, [ENGINE], { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        host.stderr!.on("data", (chunk) => (stderr += chunk));
        const ended = once(host, "exit").then(([code]) => Promise.reject(new Error(`${LAUNCHER} exited with ${code}:\n${stderr}`)));
        const [port] = await Promise.race([once(readline.createInterface({ input: host.stdout! }), "line"), ended]);
        const Client = grpc.makeGenericClientConstructor(languageRpc.LanguageRuntimeService, "LanguageRuntime");
        client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        host?.kill();
    });

    it("forwards GetPluginInfo to the 3.68 Go host", async () => {
        const info = await unary(client, "getPluginInfo", new Empty());
        assert.equal(info.getVersion(), "v3.68.0");
    });

    it("forwards the Go host's errors with their status code", async () => {
        // Link is newer than 3.68: the Go host's own gRPC server answers it UNIMPLEMENTED.
        const err: grpc.ServiceError = await unary(client, "link", new languageProto.LinkRequest()).then(
            () => assert.fail("Link answered"),
            (e) => e,
        );
        assert.equal(err.code, grpc.status.UNIMPLEMENTED);
        assert.match(err.details, /Link/);
    });

    it("runs the policy pack for RunPlugin kind analyzer, as the v3.248 host", async () => {
        const info = new languageProto.ProgramInfo();
        info.setRootDirectory(PACK_DIR);
        info.setProgramDirectory(PACK_DIR);
        info.setEntryPoint(".");
        info.setOptions(Struct.fromJavaScript({}));
        const request = new languageProto.RunPluginRequest();
        request.setPwd(os.tmpdir());
        request.setArgsList([ENGINE]);
        request.setEnvList(Object.entries(process.env).map(([k, v]) => `${k}=${v}`));
        request.setInfo(info);
        request.setKind("analyzer");
        request.setName("cross-account-guard");

        const stream = client.runPlugin(request);
        stream.on("error", () => undefined); // the call is cancelled at the end
        try {
            const port = await new Promise<string>((resolve, reject) => {
                let out = "";
                let err = "";
                stream.on("data", (response: any) => {
                    if (response.hasStderr()) err += Buffer.from(response.getStderr_asU8()).toString();
                    if (response.hasExitcode()) reject(new Error(`the pack exited with ${response.getExitcode()}:\n${err}`));
                    if (!response.hasStdout()) return;
                    out += Buffer.from(response.getStdout_asU8()).toString();
                    const port = /^(\d+)\n/.exec(out);
                    if (port) resolve(port[1]);
                });
                stream.on("error", (e: Error) => reject(new Error(`${e.message}\n${err}`)));
            });
            const Analyzer = grpc.makeGenericClientConstructor(analyzerRpc.AnalyzerService, "Analyzer");
            const analyzer: any = new Analyzer(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            try {
                const analyzerInfo = await unary(analyzer, "getAnalyzerInfo", new Empty());
                assert.equal(analyzerInfo.getName(), "cross-account-guard");
                assert.ok(analyzerInfo.getPoliciesList().length > 0);
            } finally {
                analyzer.close();
            }
        } finally {
            stream.cancel();
        }
    });

    it("runs other plugins with run-plugin in the request's folder, ending with their exit code", async () => {
        const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), "language-host-plugin-"));
        const pwd = fs.mkdtempSync(path.join(os.tmpdir(), "language-host-pwd-"));
        try {
            fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(pluginDir, "node_modules"));
            fs.writeFileSync(path.join(pluginDir, "package.json"), JSON.stringify({ name: "plugin", main: "index.js" }));
            fs.writeFileSync(
                path.join(pluginDir, "index.js"),
                'console.log(JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(2) })); console.error("bye"); process.exit(3);',
            );
            const info = new languageProto.ProgramInfo();
            info.setRootDirectory(pluginDir);
            info.setProgramDirectory(pluginDir);
            info.setEntryPoint(".");
            info.setOptions(Struct.fromJavaScript({ typescript: false }));
            const request = new languageProto.RunPluginRequest();
            request.setPwd(pwd);
            request.setArgsList(["a", "b c"]);
            request.setEnvList(Object.entries(process.env).map(([k, v]) => `${k}=${v}`));
            request.setInfo(info);
            request.setKind("tool");

            const messages: any[] = await new Promise((resolve, reject) => {
                const received: any[] = [];
                const stream = client.runPlugin(request);
                stream.on("data", (response: any) => received.push(response));
                stream.on("error", reject);
                stream.on("end", () => resolve(received));
            });
            const text = (has: string, get: string) =>
                messages
                    .filter((m) => m[has]())
                    .map((m) => Buffer.from(m[get]()).toString())
                    .join("");
            assert.deepEqual(JSON.parse(text("hasStdout", "getStdout_asU8")), { cwd: fs.realpathSync(pwd), args: ["a", "b c"] });
            assert.equal(text("hasStderr", "getStderr_asU8"), "bye\n");
            assert.equal(messages.at(-1).getExitcode(), 3);
            assert.equal(messages.filter((m) => m.hasExitcode()).length, 1);

            // Without @pulumi/pulumi where the plugin is, the call fails as the v3.248 host's does.
            fs.unlinkSync(path.join(pluginDir, "node_modules"));
            const err: grpc.ServiceError = await new Promise((resolve, reject) => {
                const stream = client.runPlugin(request);
                stream.on("data", () => undefined);
                stream.on("error", resolve);
                stream.on("end", () => reject(new Error("RunPlugin succeeded without the SDK")));
            });
            assert.equal(err.code, grpc.status.UNKNOWN);
            assert.match(err.details, /Pulumi SDK has not been installed/);
        } finally {
            fs.rmSync(pluginDir, { recursive: true, force: true });
            fs.rmSync(pwd, { recursive: true, force: true });
        }
    });

    it("stops the Go host when it ends", async function () {
        const children = childrenOf(host!.pid!);
        if (children.length === 0) this.skip(); // no /proc
        const exited = new Promise((resolve) => host!.once("exit", resolve));
        host!.kill("SIGTERM");
        await exited;
        for (let i = 0; i < 50 && children.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(children.filter(alive), []);
    });
});

describe("language host RunPlugin command line (proof/engine/languageHost/runPlugin.ts)", () => {
    function request(kind: string, options: Record<string, unknown>): any {
        const info = new languageProto.ProgramInfo();
        info.setRootDirectory(PACK_DIR);
        info.setProgramDirectory(PACK_DIR);
        info.setEntryPoint(".");
        info.setOptions(Struct.fromJavaScript(options as any));
        const req = new languageProto.RunPluginRequest();
        req.setPwd(os.tmpdir());
        req.setArgsList([ENGINE, "--logflow"]);
        req.setEnvList(["PATH=/usr/bin", "A=1", "A=2"]);
        req.setInfo(info);
        req.setKind(kind);
        return req;
    }

    it("runs a policy pack as v3.248: nodeargs, args, the pack's folder last, in the pack's folder", async () => {
        const command = await pluginCommand(request("analyzer", { nodeargs: "--max-old-space-size=512 --x 'a b'", tsconfig: "t.json" }));
        assert.deepEqual(command.args, [
            require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] }),
            "--max-old-space-size=512",
            "--x",
            "a b",
            ENGINE,
            "--logflow",
            PACK_DIR,
        ]);
        assert.equal(command.cwd, PACK_DIR);
        assert.deepEqual(command.env, {
            PATH: "/usr/bin",
            A: "2",
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_TSCONFIG_PATH: "t.json",
        });
    });

    it("runs other plugins with run-plugin: the program's folder first, in the request's folder", async () => {
        const command = await pluginCommand(request("resource", { typescript: false }));
        assert.deepEqual(command.args.slice(1), [PACK_DIR, ENGINE, "--logflow"]);
        assert.match(command.args[0], /run-plugin[/\\]index\.js$/);
        assert.equal(command.cwd, os.tmpdir());
        assert.deepEqual(command.env, { PATH: "/usr/bin", A: "2" });
    });

    it("splits nodeargs as shlex.Split", () => {
        assert.deepEqual(splitWords(` -r  x "a b" 'c "d"' e\\ f g"h i" # comment`), ["-r", "x", "a b", 'c "d"', "e f", "gh i"]);
        assert.deepEqual(splitWords(""), []);
        assert.throws(() => splitWords("'open"), /closing quote/);
    });
});
