/**
 * A plan of a generated environment (research and N hosting accounts) measured in a process of
 * its own, so that nothing one plan's processes remember (parsed policies, expanded actions,
 * decisions, optimised code) makes the next one's figures look better. Two ways:
 * - `started`: the process starts the policy pack and the worker processes first, untimed, then
 *   times the plan without a cache: the measure (the pack already running);
 * - `fresh`: as `npm run plan` makes a plan, the process starts the pack and the workers itself,
 *   with a cache folder (by default a new, empty one), while what the toolchain keeps in
 *   .cache/plan/ (compiled TypeScript, the pack's type-check: proof/pack/typeCheck.ts) is used as by
 *   any plan after the first; timed by the caller from spawn to exit.
 *
 * `planInProcess` (npm run bench) starts this file as a process; run so, it plans and prints one
 * line of JSON, its {@link PlanFigures}.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { PlanCache } from "../cache/planCache";
import { PolicyPackProcess } from "../pack/policyEngine";
import { plan } from "../plan/plan";
import { generatedEnvironment } from "../runtime/generatedEnvironment";
import { planWorkers } from "../runtime/workerPool";
import { RawConfig } from "../../lib/config/reader";
import { PerimeterMode } from "../../lib/config/perimeterConfig";
import { ProcessGroup, machineBusyMs } from "./processes";

export interface PlanRequest {
    readonly how: "started" | "fresh";
    readonly accounts: number;
    readonly mode: PerimeterMode;
    /** `fresh`: the cache folder to use and keep (default: a new one, removed after). */
    readonly cacheDir?: string;
    /** `fresh`: the first hosting stack's flow-log retention changed (its resources change, not its exports). */
    readonly changeOneHostingStack?: boolean;
}

export interface PlanFigures {
    /** The plan alone, in the process. */
    readonly planMs: number;
    /** `started`: CPU time of the process, the pack and each worker during the plan, in ms. */
    readonly cpusMs?: readonly number[];
    /** `started`: peak resident memory of each during the plan, in MB. */
    readonly peaksMb?: readonly number[];
    readonly stacks: number;
    readonly resources: number;
    readonly paths: number;
    readonly problems: readonly string[];
    /** The hosting stack changed, if one was. */
    readonly changed?: string;
    /** What the plan took from its cache, per kind: hits of asks. */
    readonly reused?: Record<string, [number, number]>;
    /** Measured by the caller: from spawn to exit. */
    readonly wallMs: number;
    /** Measured by the caller: busy CPU time of the whole machine meanwhile (/proc/stat), if known. */
    readonly machineCpuMs?: number;
}

/** Plans as `request` says in a process of its own; its figures, with the wall time from spawn to exit. */
export function planInProcess(request: PlanRequest): Promise<PlanFigures> {
    const busy = machineBusyMs();
    const start = performance.now();
    const child = spawn(
        process.execPath,
        ["-r", path.join(__dirname, "..", "runtime", "transpiled.js"), __filename, JSON.stringify(request)],
        {
            stdio: ["ignore", "pipe", "inherit"],
        },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", (code) => {
            const wallMs = performance.now() - start;
            const after = machineBusyMs();
            if (code !== 0)
                return reject(new Error(`the plan in its own process (${JSON.stringify(request)}) exited with ${code}:\n${out}`));
            const figures = JSON.parse(out.trim().split("\n").pop()!);
            resolve({ ...figures, wallMs, machineCpuMs: busy !== undefined && after !== undefined ? after - busy : undefined });
        });
    });
}

/** The hosting stack's configuration with one setting changed that changes its resources, not its exports. */
function changedHosting(config: RawConfig): RawConfig {
    const network = JSON.parse(config["cross-account-models:network"]);
    const flowLogRetentionDays = network.flowLogRetentionDays === 545 ? 365 : 545;
    return { ...config, "cross-account-models:network": JSON.stringify({ ...network, flowLogRetentionDays }) };
}

async function planHere(request: PlanRequest): Promise<Omit<PlanFigures, "wallMs" | "machineCpuMs">> {
    const env = generatedEnvironment(request.accounts, { mode: request.mode });
    const changed = request.changeOneHostingStack ? env.stacks[1] : undefined;
    const configs = changed ? { ...env.configs, [changed]: changedHosting(env.configs[changed]) } : env.configs;
    let pack: PolicyPackProcess | undefined;
    let processes: ProcessGroup | undefined;
    if (request.how === "started") {
        pack = await PolicyPackProcess.start();
        await pack.configure(env.policyConfig);
        await planWorkers().warm(require.resolve("../runtime/stackWorker"));
        await planWorkers().warm(require.resolve("../access/simulatorWorker"));
        processes = new ProcessGroup(() => [pack!.pid!, ...planWorkers().pids]);
        processes.start();
    }
    const cacheDir = request.how === "fresh" ? (request.cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"))) : undefined;
    const cache = cacheDir ? new PlanCache({ dir: cacheDir }) : undefined;
    try {
        const start = performance.now();
        const result = await plan({ stacks: env.stacks, configs, policyConfig: env.policyConfig, pack, workers: true, cache });
        const planMs = performance.now() - start;
        return {
            planMs,
            cpusMs: processes?.cpusMs(),
            peaksMb: processes?.peaksMb(),
            stacks: env.stacks.length,
            resources: [...result.env.runs.values()].reduce((sum, r) => sum + r.resources.length, 0),
            paths: result.access.length,
            problems: result.problems,
            changed,
            reused: cache && Object.fromEntries(Object.entries(cache.stats).map(([kind, s]) => [kind, [s.hits, s.hits + s.misses]])),
        };
    } finally {
        pack?.stop();
        if (cacheDir && !request.cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
    }
}

if (require.main === module) {
    planHere(JSON.parse(process.argv[2])).then(
        (figures) => {
            console.log(JSON.stringify(figures));
            // The worker processes would wait for more plans; this process is done.
            process.exit(0);
        },
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
}
