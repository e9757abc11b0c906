/**
 * Times how long `pulumi up -s <stack>` takes to load the program: a fresh node process per stack,
 * started as the language host starts it (programProcess), runs the SDK's own
 * @pulumi/pulumi/cmd/run, which registers ts-node from the project's settings and requires the
 * program; programLoadProbe.js reports when that require returns, and every module loaded by then,
 * and ends the process before the program runs. Before requiring the program, run.ts asks the resource monitor which features it
 * supports (awaitFeatureSupport in sdk/nodejs/runtime/settings.ts), so a stub monitor answers that.
 */
import { spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { programProcess, projectSettingsOnly } from "./languageHost";
import { PROJECT_DIR, readStackConfig } from "../../ops/project";

const monitorRpc = require("@pulumi/pulumi/proto/resource_grpc_pb.js");
const resourceProto = require("@pulumi/pulumi/proto/resource_pb.js");

export interface LoadTime {
    /** Requiring the program: compiling and loading every module it imports. */
    readonly programMs: number;
    /** From the process's start to the program loaded: node, the SDK, the monitor handshake, the program. */
    readonly totalMs: number;
}

/** A monitor that supports no features and never answers anything else: the program never gets that far. */
async function stubMonitor(): Promise<{ address: string; stop: () => void }> {
    const server = new grpc.Server();
    const silent = Object.fromEntries(Object.keys(monitorRpc.ResourceMonitorService).map((method) => [method, () => undefined]));
    server.addService(monitorRpc.ResourceMonitorService, {
        ...silent,
        getDeploymentInfo: (_call: unknown, answer: grpc.sendUnaryData<unknown>) => answer(null, new resourceProto.DeploymentInfo()),
        // Left silent, the SDK's feature queries would wait forever and the program never load.
        supportsFeature: (_call: unknown, answer: grpc.sendUnaryData<unknown>) => answer(null, new resourceProto.SupportsFeatureResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** One load of a program: how long it took, and every module the process had loaded by its end. */
interface LoadReport extends LoadTime {
    readonly modules: readonly string[];
}

function loadOnce(stack: string, monitor: string, typeCheck: boolean, dir: string): Promise<LoadReport> {
    const launch = programProcess(dir, stack, readStackConfig(stack, dir), monitor);
    // The project's own settings decide, as on a fresh clone; PULUMI_NODEJS_TRANSPILE_ONLY=false is
    // the one switch run.ts reads before the tsconfig, to type-check whatever the project says.
    const env = {
        ...projectSettingsOnly(process.env),
        ...launch.env,
        PROGRAM_LOAD_PROBE: launch.program,
        ...(typeCheck ? { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } : {}),
    };
    const child = spawn(process.execPath, ["-r", path.join(__dirname, "programLoadProbe.js"), ...launch.args], {
        cwd: dir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", () => {
            const line = /^program-load (\{.*\})$/m.exec(out);
            if (line) resolve(JSON.parse(line[1]));
            else reject(new Error(`the program of ${stack} did not load:\n${out}`));
        });
    });
}

/**
 * Each stack's load, one process after another (in parallel they would slow each other down);
 * `typeCheck` type-checks whatever the project's settings say.
 */
export async function timeProgramLoads(
    stacks: readonly string[],
    options: { typeCheck?: boolean; dir?: string } = {},
): Promise<Map<string, LoadTime>> {
    const monitor = await stubMonitor();
    try {
        const times = new Map<string, LoadTime>();
        for (const stack of stacks) {
            const { programMs, totalMs } = await loadOnce(stack, monitor.address, options.typeCheck === true, options.dir ?? PROJECT_DIR);
            times.set(stack, { programMs, totalMs });
        }
        return times;
    } finally {
        monitor.stop();
    }
}

/**
 * Every module (file path) loading a stack's program loads, as `pulumi up` loads it: the SDK's
 * runner, ts-node and the program's imports. What the deployed program can run, since its own
 * modules import nothing at run time.
 */
export async function programModules(stack: string, dir = PROJECT_DIR): Promise<readonly string[]> {
    const monitor = await stubMonitor();
    try {
        return (await loadOnce(stack, monitor.address, false, dir)).modules;
    } finally {
        monitor.stop();
    }
}
