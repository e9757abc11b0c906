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

/** The plan of generated environments of research and `counts` hosting accounts, in each perimeter mode. */
export async function benchGenerated(pack: PolicyPackProcess, counts: readonly number[]): Promise<void> {
    console.log("\nplan of generated environments (research + N hosting accounts), per perimeter mode:");
    console.log(`policy size limits: bucket ${POLICY_SIZE_LIMITS.bucket} B, key ${POLICY_SIZE_LIMITS.key} B`);
    const columns: Column[] = [
        { header: "mode" },
        ...["accounts", "stacks", "resources", "paths", "wall ms", "ms/account", "bucket B", "key B"].map((header) => ({
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
    for (const mode of PERIMETER_MODES) {
        for (const n of counts) {
            const env = generatedEnvironment(n, { mode });
            const sizes = artifactPolicies(parseStackConfig("research", env.configs.research) as ResearchConfig);
            const [bucket, key] = [policySize(sizes.bucket), policySize(sizes.key)];
            const start = performance.now();
            const result = await plan({ stacks: env.stacks, configs: env.configs, policyConfig: env.policyConfig, pack });
            const ms = performance.now() - start;
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
                    String(bucket),
                    String(key),
                    outcome,
                ]),
            );
        }
    }
}

/** The access proof's checks per second over the shipped stacks' runs, simulated afresh each round. */
export async function benchProof(runs: readonly StackRun[]): Promise<void> {
    const rounds = 20;
    const start = performance.now();
    let checks = 0;
    for (let i = 0; i < rounds; i++) {
        // Every round simulates afresh: the figure is the simulator's, not the memo's.
        forgetDecisions();
        checks += (await proveEnvironment(runs)).length;
    }
    const seconds = (performance.now() - start) / 1000;
    const remembered = performance.now();
    await proveEnvironment(runs);
    console.log(
        `\naccess proof: ${(checks / seconds).toFixed(0)} checks per second (${checks / rounds} paths x ${rounds}, inventory built each round); the same proof again, its decisions remembered: ${(performance.now() - remembered).toFixed(0)} ms`,
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
