/**
 * The parts of `npm run bench` (proof/bench/command.ts), each printing what it measures: the
 * policy pack's latency, the plan of generated environments, the access proof's rate, and the
 * stack programs' load.
 */
import { performance } from "perf_hooks";
import { AnalyzedResource, PolicyPackProcess } from "../pack/policyEngine";
import { generatedEnvironment } from "../runtime/generatedEnvironment";
import { plan } from "../plan/plan";
import { PROJECT_DIR, listStacks, readStackConfig } from "../../ops/project";
import { programLoad, projectSettingsOnly, transpilesOnly } from "./languageHost";
import { LoadTime, timeProgramLoads } from "./programLoadTimer";
import { Column, alignedTable, columnWidths, tableLine } from "./table";
import { proveEnvironment } from "../access/prove";
import { forgetDecisions } from "../access/simulator";
import { StackRun } from "../runtime/runStack";
import { PERIMETER_MODES } from "../../lib/config/perimeterConfig";
import { ResearchConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { POLICY_SIZE_LIMITS, policySize } from "../../lib/policies/limits";
import { artifactPolicies } from "../../stacks/researchPerimeter";
import { RawConfig } from "../../lib/config/reader";
import { PlanCache } from "../cache/planCache";
import { planWorkers } from "../runtime/workerPool";
import { ProcessGroup } from "./processes";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROUNDS = 10;
const STACK_SIZE = 1000;

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Whole copies of a stack's resources with distinct names and URNs (dependencies remapped), at least `size`. */
function generatedStack(template: AnalyzedResource[], size: number): AnalyzedResource[] {
    const result: AnalyzedResource[] = [];
    for (let copy = 0; result.length < size; copy++) {
        const rename = (urn: string) => `${urn}-${copy}`;
        for (const r of template) {
            result.push({
                ...r,
                name: `${r.name}-${copy}`,
                urn: rename(r.urn),
                dependencies: r.dependencies?.map(rename),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(rename)])),
            });
        }
    }
    return result;
}

/** Start-up, Analyze latency per resource (median, p99), and a stack of 1,000+ resources. */
export async function benchPack(pack: PolicyPackProcess, stacks: AnalyzedResource[][]): Promise<void> {
    console.log(`policy pack start-up (run-policy-pack, ts-node type-check, gRPC listen): ${pack.startupMs} ms`);
    const all = stacks.flat();
    for (const r of all) await pack.analyze(r); // warm-up
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
        for (const r of all) {
            const start = performance.now();
            await pack.analyze(r);
            latencies.push(performance.now() - start);
        }
    }
    latencies.sort((a, b) => a - b);
    console.log(
        `Analyze per resource over gRPC, ${latencies.length} calls (${all.length} resources x ${ROUNDS}): median ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms`,
    );
    const big = generatedStack(stacks[1], STACK_SIZE);
    const startStack = performance.now();
    await pack.analyzeStack(big);
    const stackMs = performance.now() - startStack;
    const startAll = performance.now();
    const diagnostics = await pack.analyzeAll(big);
    const allMs = performance.now() - startAll;
    console.log(`AnalyzeStack of ${big.length} resources: ${stackMs.toFixed(1)} ms`);
    console.log(
        `${big.length} x Analyze + AnalyzeStack (an engine's full pass): ${allMs.toFixed(1)} ms (${(allMs / big.length).toFixed(3)} ms per resource), ${diagnostics.filter((d) => d.enforcementLevel === "mandatory").length} mandatory violations`,
    );
}

/** A goal's figure beside the goal, and whether it is met: `100 accounts: 27.1 s (goal ≤ 30 s) PASS`. */
export function goalLine(what: string, figure: string, goal: string, met: boolean): string {
    return `${what}: ${figure} (goal ${goal}) ${met ? "PASS" : "FAIL"}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One generated environment's plan as measured. */
interface GeneratedFigures {
    readonly mode: string;
    readonly accounts: number;
    readonly wallMs: number;
    readonly cpuMs: number;
    /** CPU time of this process, the pack and each worker. */
    readonly cpusMs: readonly number[];
    readonly peaksMb: readonly number[];
    readonly passed: boolean;
}

/** The second plan of an environment, one hosting stack's configuration changed, as measured. */
interface SecondPlanFigures {
    readonly accounts: number;
    readonly wallMs: number;
    readonly cpuMs: number;
    /** What it reused from the cache, in words. */
    readonly line: string;
}

/** The hosting stack's configuration with one setting changed that changes its resources, not its exports. */
function changedHosting(config: RawConfig): RawConfig {
    const network = JSON.parse(config["cross-account-models:network"]);
    const flowLogRetentionDays = network.flowLogRetentionDays === 545 ? 365 : 545;
    return { ...config, "cross-account-models:network": JSON.stringify({ ...network, flowLogRetentionDays }) };
}

/**
 * The plan of generated environments of research and `counts` hosting accounts, in each perimeter
 * mode, with the pack and the worker processes started and no cache; then, by endpoint owner for
 * the largest count, a second plan after one hosting stack's configuration changed, with the cache
 * the first filled (a fresh folder). Ends with each goal's figure beside the goal.
 */
export async function benchGenerated(pack: PolicyPackProcess, counts: readonly number[]): Promise<void> {
    const workersStart = performance.now();
    await planWorkers().warm(require.resolve("../runtime/stackWorker"));
    await planWorkers().warm(require.resolve("../access/simulatorWorker"));
    const processes = new ProcessGroup(() => [...(pack.pid ? [pack.pid] : []), ...planWorkers().pids]);
    console.log(
        `\nplan of generated environments (research + N hosting accounts), per perimeter mode, the stacks run and the paths proven in ${planWorkers().size} worker processes; the pack and the workers already started (the workers in ${Math.round(performance.now() - workersStart)} ms); no cache`,
    );
    console.log(
        `policy size limits: bucket ${POLICY_SIZE_LIMITS.bucket} B, key ${POLICY_SIZE_LIMITS.key} B; CPU: this process's, the workers' and the pack's; peak: the sum of each one's peak resident memory during the plan`,
    );
    const columns: Column[] = [
        { header: "mode" },
        ...["accounts", "stacks", "resources", "paths", "wall ms", "ms/account", "CPU s", "peak MB", "bucket B", "key B"].map((header) => ({
            header,
            align: "right" as const,
        })),
        { header: "result" },
    ];
    // Each row is printed as it is measured (minutes apart): the widths come from what is known
    // before, the modes and the account counts, and the headers, wider than the figures under them.
    const widths = columnWidths(
        columns,
        PERIMETER_MODES.flatMap((mode) => counts.map((n) => [mode, String(n), String(n + 1)])),
    );
    console.log(
        tableLine(
            columns,
            widths,
            columns.map((c) => c.header),
        ),
    );
    const measured: GeneratedFigures[] = [];
    for (const mode of PERIMETER_MODES) {
        for (const n of counts) {
            const env = generatedEnvironment(n, { mode });
            const sizes = artifactPolicies(parseStackConfig("research", env.configs.research) as ResearchConfig);
            const [bucket, key] = [policySize(sizes.bucket), policySize(sizes.key)];
            processes.start();
            const start = performance.now();
            const result = await plan({ stacks: env.stacks, configs: env.configs, policyConfig: env.policyConfig, pack, workers: true });
            const ms = performance.now() - start;
            const figures = {
                mode,
                accounts: n,
                wallMs: ms,
                cpuMs: processes.cpuMs(),
                cpusMs: processes.cpusMs(),
                peaksMb: processes.peaksMb(),
                passed: result.problems.length === 0,
            };
            measured.push(figures);
            const resources = [...result.env.runs.values()].reduce((sum, r) => sum + r.resources.length, 0);
            const outcome =
                result.problems.length === 0
                    ? "PASS"
                    : (result.problems[0]
                          .split("\n")
                          .find((l) => /At most/.test(l))
                          ?.replace(/^.*At most (\d+) consumer stacks fit.*$/, "refused: at most $1 fit") ??
                      `${result.problems.length} problems`);
            console.log(
                tableLine(columns, widths, [
                    mode,
                    String(n),
                    String(env.stacks.length),
                    String(resources),
                    String(result.access.length),
                    String(Math.round(ms)),
                    (ms / n).toFixed(0),
                    (figures.cpuMs / 1000).toFixed(1),
                    String(Math.round(figures.peaksMb.reduce((a, b) => a + b, 0))),
                    String(bucket),
                    String(key),
                    outcome,
                ]),
            );
        }
    }
    const second = await benchSecondPlan(pack, Math.max(...counts), processes);
    console.log(`\ngoals (by endpoint owner; the pack and the workers started, as above):`);
    for (const line of generatedGoals(measured, second)) console.log(line);
}

/** A plan of `n` accounts filling a fresh cache, then the plan again after one hosting stack's configuration changed. */
async function benchSecondPlan(pack: PolicyPackProcess, n: number, processes: ProcessGroup): Promise<SecondPlanFigures> {
    const env = generatedEnvironment(n, { mode: "endpoint-owner" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-cache-"));
    try {
        // Nothing remembered from the plans before: the first plan fills the cache with all it decides.
        forgetDecisions();
        const first = performance.now();
        await plan({
            stacks: env.stacks,
            configs: env.configs,
            policyConfig: env.policyConfig,
            pack,
            workers: true,
            cache: new PlanCache({ dir }),
        });
        const firstMs = performance.now() - first;
        const changed = env.stacks[1];
        const cache = new PlanCache({ dir });
        processes.start();
        const start = performance.now();
        const result = await plan({
            stacks: env.stacks,
            configs: { ...env.configs, [changed]: changedHosting(env.configs[changed]) },
            policyConfig: env.policyConfig,
            pack,
            workers: true,
            cache,
        });
        const wallMs = performance.now() - start;
        const reused = (kind: keyof PlanCache["stats"], what: string) =>
            `${cache.stats[kind].hits} of ${cache.stats[kind].hits + cache.stats[kind].misses} ${what}`;
        const line = `second plan of ${n} accounts, ${changed}'s flow log retention changed; the first, filling a fresh cache, took ${seconds(firstMs)}; reused ${reused("runs", "runs")}, ${reused("analyses", "analyses")}, ${reused("decisions", "decisions")}; ${result.problems.length} problems`;
        return { accounts: n, wallMs, cpuMs: processes.cpuMs(), line };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Each goal of the plan's speed (issue 22) beside its figure, from what was measured. */
function generatedGoals(measured: readonly GeneratedFigures[], second: SecondPlanFigures): string[] {
    const owner = measured.filter((m) => m.mode === "endpoint-owner" && m.passed).sort((a, b) => a.accounts - b.accounts);
    const [smallest, largest] = [owner[0], owner[owner.length - 1]];
    const lines: string[] = [];
    if (largest) {
        const goal = largest.accounts === 100 ? "≤ 30 s" : `≤ ${seconds(largest.accounts * 300)}, 30 s per 100 accounts`;
        lines.push(
            goalLine(
                `${largest.accounts} accounts`,
                `${seconds(largest.wallMs)}, CPU ${seconds(largest.cpuMs)} (this process, the pack, the workers: ${largest.cpusMs.map((ms) => (ms / 1000).toFixed(1)).join(" + ")} s)`,
                goal,
                largest.wallMs <= largest.accounts * 300,
            ),
        );
        const peak = largest.peaksMb.reduce((a, b) => a + b, 0);
        const parts = largest.peaksMb.map((mb) => Math.round(mb)).join(" + ");
        lines.push(
            goalLine(
                `peak memory at ${largest.accounts} accounts`,
                `${(peak / 1024).toFixed(2)} GB (this process, the pack, the workers: ${parts} MB)`,
                "≤ 2 GB",
                peak <= 2048,
            ),
        );
    }
    if (largest && smallest && largest !== smallest) {
        const [big, small] = [largest.wallMs / largest.accounts, smallest.wallMs / smallest.accounts];
        const change = (big / small - 1) * 100;
        lines.push(
            goalLine(
                `time per account at ${largest.accounts} accounts against ${smallest.accounts}`,
                `${big.toFixed(0)} ms against ${small.toFixed(0)} ms, ${change >= 0 ? "+" : ""}${change.toFixed(0)}%`,
                "at most 10% more",
                change <= 10,
            ),
        );
    }
    lines.push(second.line);
    lines.push(
        goalLine(
            `second plan of ${second.accounts} accounts, one hosting stack's configuration changed`,
            `${seconds(second.wallMs)}, CPU ${seconds(second.cpuMs)}`,
            "≤ 5 s",
            second.wallMs <= 5000,
        ),
    );
    return lines;
}

/**
 * The access proof's checks per second over the shipped stacks' runs, simulated afresh each round,
 * in this process and in the worker processes (as the plan proves environments of many stacks).
 */
export async function benchProof(runs: readonly StackRun[]): Promise<void> {
    const rounds = 20;
    await planWorkers().warm(require.resolve("../access/simulatorWorker"));
    const rate = async (workers: boolean) => {
        const start = performance.now();
        let checks = 0;
        for (let i = 0; i < rounds; i++) {
            // Every round simulates afresh: the figure is the simulator's, not the memo's.
            forgetDecisions();
            checks += (await proveEnvironment(runs, [], { workers })).length;
        }
        return { checks, perSecond: checks / ((performance.now() - start) / 1000) };
    };
    // Untimed proofs first, as the pack's figures have a warm-up: the simulator's code compiled,
    // its reference data read and the resource types it asks remembered in every process (a
    // worker is given whichever batches come when it is free, so it takes a few rounds).
    for (const workers of [false, true, true, true]) {
        forgetDecisions();
        await proveEnvironment(runs, [], { workers });
    }
    const inProcess = await rate(false);
    const inWorkers = await rate(true);
    const remembered = performance.now();
    await proveEnvironment(runs);
    console.log(
        `\naccess proof (${inProcess.checks / rounds} paths x ${rounds}, inventory built each round, after untimed ones): ${inProcess.perSecond.toFixed(0)} checks per second in this process, ${inWorkers.perSecond.toFixed(0)} in ${planWorkers().size} worker processes; the same proof again, its decisions remembered: ${(performance.now() - remembered).toFixed(0)} ms`,
    );
    console.log(
        goalLine(
            "access proof",
            `${inWorkers.perSecond.toFixed(0)} checks per second in the workers`,
            "≥ 2,000",
            inWorkers.perSecond >= 2000,
        ),
    );
}

/** Each stack program's load as `pulumi up` loads it, then type-checking, each in a fresh process (proof/bench/programLoadTimer.ts). */
export async function benchLoad(): Promise<void> {
    const stacks = listStacks();
    const asPulumiUp = transpilesOnly(programLoad(PROJECT_DIR, projectSettingsOnly(process.env))!) ? "transpile-only" : "type-checking";
    // One untimed load first: the first process would otherwise also pay for a cold OS file cache.
    await timeProgramLoads(stacks.slice(0, 1));
    const up = await timeProgramLoads(stacks);
    const checked = await timeProgramLoads(stacks, { typeCheck: true });
    console.log(`\nprogram load per stack: @pulumi/pulumi/cmd/run started as the language host starts it, a fresh process each;`);
    console.log(`"program" is requiring index.ts (compiling and loading what it imports), "total" is from the process's start to that`);
    const programOf = (stack: string) => readStackConfig(stack)["cross-account-models:program"] ?? "";
    for (const line of loadTable(stacks, programOf, up, checked, asPulumiUp)) console.log(line);
}

/** The program-load figures of each stack, as pulumi up loads it and type-checking, in aligned columns. */
export function loadTable(
    stacks: readonly string[],
    programOf: (stack: string) => string,
    up: ReadonlyMap<string, LoadTime>,
    checked: ReadonlyMap<string, LoadTime>,
    asPulumiUp: string,
): string[] {
    const ms = (value: number) => String(Math.round(value));
    return alignedTable(
        [
            { header: "stack" },
            { header: "program" },
            { header: `pulumi up (${asPulumiUp}): program ms`, align: "right" },
            { header: "total ms", align: "right" },
            { header: "type-checking: program ms", align: "right" },
            { header: "total ms", align: "right" },
        ],
        stacks.map((stack) => {
            const [a, b] = [up.get(stack)!, checked.get(stack)!];
            return [stack, programOf(stack), ms(a.programMs), ms(a.totalMs), ms(b.programMs), ms(b.totalMs)];
        }),
    );
}
