/**
 * LanguageRuntime.RunPlugin for Node.js plugins, as the v3.248.0 host does it (nodeLanguageHost.RunPlugin,
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go): the 3.68 host answers it "not supported", and from
 * v3.221.0 on the CLI starts a Node.js policy pack through it whenever it finds the language host
 * (NewPolicyAnalyzer, sdk/go/common/resource/plugin/analyzer_plugin.go; ExecPlugin, plugin.go: a folder
 * with PulumiPolicy.yaml runs through its runtime's RunPlugin). Up to v3.220.0 (CLI 3.212 here) Node.js
 * packs start through pulumi-analyzer-policy instead and never reach this.
 *
 * The plugin is `node <@pulumi/pulumi/cmd/run-policy-pack> <nodeargs> <args> <program directory>` in the
 * program directory for an analyzer (a policy pack), and `node <@pulumi/pulumi/cmd/run-plugin>
 * <nodeargs> <program directory> <args>` in the request's working directory otherwise, the module
 * resolved from the program directory, with the request's environment (plus PULUMI_NODEJS_TYPESCRIPT /
 * PULUMI_NODEJS_TSCONFIG_PATH from the runtime options). Its output streams back as it comes
 * (rpcutil.MakeRunPluginStreams, without a terminal); the last message is its exit code.
 *
 * Not done, and why:
 * - v3.248 starts a policy pack behind a PolicyProxy (sdk/policy_proxy.go) that takes the engine's
 *   ConfigureStack first and passes the stack's configuration, project, stack, organization and dry-run
 *   flag to the pack as PULUMI_CONFIG / PULUMI_NODEJS_* variables. Here the engine talks to the pack
 *   directly (@pulumi/policy answers ConfigureStack itself, keeping the stack tags), so a pack cannot
 *   read stack configuration with pulumi.Config. This project's pack (policypacks/cross-account-guard)
 *   reads only its own pack configuration, which the engine sends through Configure either way.
 * - attach_debugger: refused (UNIMPLEMENTED) rather than ignored; nothing here debugs plugins.
 * - The bun runtime: the 3.68 host has no runtime option; this is Node.js only.
 * - A non-zero exit is an exitcode message, as the Go language host sends it and the proto asks for
 *   (RunPluginResponse.exitcode "should be the last message"), where v3.248's Node host returns the
 *   error "Program exited with non-zero exit code: N"; the CLI (v3.259.0) takes either as the plugin's end
 *   (langhost.RunPlugin, sdk/go/common/resource/plugin/langruntime_plugin.go).
 */
import { execFile, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { RunPluginRequest, RunPluginResponse } from "@pulumi/pulumi/proto/language_pb";

/** The plugin kind of policy packs (apitype.AnalyzerPlugin). */
const ANALYZER = "analyzer";

/** Runtime options as parseOptions reads them (typescript defaults to true). */
interface NodeOptions {
    typescript: boolean;
    tsconfigpath: string;
    nodeargs: string;
}

function parseOptions(options: Record<string, unknown>): NodeOptions {
    const parsed: NodeOptions = { typescript: true, tsconfigpath: "", nodeargs: "" };
    if ("typescript" in options) {
        if (typeof options.typescript !== "boolean") throw new Error("typescript option must be a boolean");
        parsed.typescript = options.typescript;
    }
    if ("tsconfig" in options) {
        if (typeof options.tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
        parsed.tsconfigpath = options.tsconfig;
    }
    if ("nodeargs" in options) {
        if (typeof options.nodeargs !== "string") throw new Error("nodeargs option must be a string");
        parsed.nodeargs = options.nodeargs;
    }
    return parsed;
}

/**
 * Splits nodeargs into words as shlex.Split (github.com/google/shlex) does for the forms they take:
 * blanks separate words, '…' is literal, "…" and a backslash escape, # at a word's start comments out the rest.
 */
export function splitWords(text: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else word += c;
        } else if (c === "\\") {
            if (i + 1 >= text.length) throw new Error("EOF found after escape character");
            word = (word ?? "") + text[++i];
        } else if (quote === '"') {
            if (c === '"') quote = undefined;
            else word += c;
        } else if (c === "'" || c === '"') {
            quote = c;
            word = word ?? "";
        } else if (/\s/.test(c)) {
            if (word !== undefined) words.push(word);
            word = undefined;
        } else if (c === "#" && word === undefined) {
            break;
        } else {
            word = (word ?? "") + c;
        }
    }
    if (quote) throw new Error("EOF found when expecting closing quote");
    if (word !== undefined) words.push(word);
    return words;
}

/**
 * locateModule: the module as `node -e "require.resolve(…)"` run in the program directory finds it, asked
 * afresh each time as there (this process's require caches what it resolved once).
 */
function locateModule(mod: string, programDir: string): Promise<string> {
    const script =
        `try { console.log(require.resolve(${JSON.stringify(mod)})); } catch (error) {` +
        ` if (error.code === "MODULE_NOT_FOUND") {` +
        ` console.error(${JSON.stringify(`It looks like the Pulumi SDK has not been installed. Have you run npm install in ${programDir}?`)});` +
        ` } else { console.error(error.message); } process.exit(1); }`;
    return new Promise((resolve, reject) =>
        execFile(process.execPath, ["-e", script], { cwd: programDir }, (err, stdout, stderr) =>
            err ? reject(new Error(stderr || err.message)) : resolve(stdout.trim()),
        ),
    );
}

/** The environment as exec.Cmd takes it: later entries win; none at all means this process's environment. */
function environment(entries: string[]): NodeJS.ProcessEnv {
    if (entries.length === 0) return process.env;
    const env: NodeJS.ProcessEnv = {};
    for (const entry of entries) {
        const eq = entry.indexOf("=");
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
}

/** The command line and working directory the v3.248 host builds for a RunPlugin request. */
export async function pluginCommand(req: RunPluginRequest): Promise<{ args: string[]; cwd: string; env: NodeJS.ProcessEnv }> {
    const info = req.getInfo();
    const programDir = info?.getProgramDirectory();
    if (!info || !programDir) throw new Error("RunPlugin needs the plugin's program info (info.program_directory)");
    const opts = parseOptions((info.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>);

    const env = [...req.getEnvList()];
    if (opts.typescript) env.push("PULUMI_NODEJS_TYPESCRIPT=true");
    if (opts.tsconfigpath !== "") env.push("PULUMI_NODEJS_TSCONFIG_PATH=" + opts.tsconfigpath);

    const analyzer = req.getKind() === ANALYZER;
    // v3.248's note: policy packs used to start through the pulumi-analyzer-policy script; RunPlugin runs the same module.
    const runPath = analyzer
        ? "@pulumi/pulumi/cmd/run-policy-pack"
        : process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin";
    const args = [await locateModule(runPath, programDir), ...splitWords(opts.nodeargs)];
    // A policy pack takes its program directory last, everything else first.
    if (analyzer) args.push(...req.getArgsList(), programDir);
    else args.push(programDir, ...req.getArgsList());
    // Policy packs have always run in their own folder, other plugins in the request's working directory.
    return { args, cwd: analyzer ? programDir : req.getPwd(), env: environment(env) };
}

function output(set: (r: RunPluginResponse) => void): Buffer {
    const response = new RunPluginResponse();
    set(response);
    return Buffer.from(response.serializeBinary());
}

/** The RunPlugin handler: the request arrives as bytes (forward.ts), and so do the responses. */
export function runPlugin(call: grpc.ServerWritableStream<Buffer, Buffer>): void {
    const fail = (code: grpc.status, message: string): void => void call.emit("error", { code, details: message, message });
    let req: RunPluginRequest;
    try {
        req = RunPluginRequest.deserializeBinary(call.request);
    } catch (err) {
        return fail(grpc.status.INVALID_ARGUMENT, (err as Error).message);
    }
    if (req.getAttachDebugger()) {
        return fail(grpc.status.UNIMPLEMENTED, "this language host cannot start a plugin under a debugger (proof/engine/languageHost)");
    }
    pluginCommand(req).then(
        (command) => {
            if (!call.cancelled) start(call, command);
        },
        (err: Error) => fail(grpc.status.UNKNOWN, err.message),
    );
}

function start(call: grpc.ServerWritableStream<Buffer, Buffer>, command: Awaited<ReturnType<typeof pluginCommand>>): void {
    // The v3.248 host runs the `node` on its PATH, which is the one that runs this host (the launcher's `exec node`).
    const child = spawn(process.execPath, command.args, { cwd: command.cwd, env: command.env, stdio: ["ignore", "pipe", "pipe"] });
    let finished = false;
    // exec.CommandContext: the call's end (the engine closing the plugin) kills the plugin.
    call.on("cancelled", () => {
        finished = true;
        child.kill("SIGKILL");
    });
    const send = (message: Buffer) => {
        if (finished) return;
        if (!call.write(message)) {
            child.stdout.pause();
            child.stderr.pause();
            call.once("drain", () => {
                child.stdout.resume();
                child.stderr.resume();
            });
        }
    };
    child.stdout.on("data", (chunk: Buffer) => send(output((r) => r.setStdout(chunk))));
    child.stderr.on("data", (chunk: Buffer) => send(output((r) => r.setStderr(chunk))));
    child.on("error", (err) => {
        if (finished) return;
        finished = true;
        call.emit("error", {
            code: grpc.status.UNKNOWN,
            details: `Problem executing plugin program (could not run language executor): ${err.message}`,
        });
    });
    // 'close' comes after the plugin's output has all been read, so the exit code is the last message.
    child.on("close", (code) => {
        if (finished) return;
        // A plugin killed by a signal has no exit code: -1, as Go's WaitStatus.ExitStatus() gives.
        send(output((r) => r.setExitcode(code ?? -1)));
        finished = true;
        call.end();
    });
}
