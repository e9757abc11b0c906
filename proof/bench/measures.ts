/**
 * The parts of `npm run bench` (proof/bench/command.ts), each printing what it measures: the
 * policy pack's latency, the access proof's rate, and the stack programs' load (the plan of
 * generated environments: generated.ts).
 */
import { performance } from "perf_hooks";
import { AnalyzedResource, PolicyPackProcess } from "../pack/policyEngine";
import { PROJECT_DIR, listStacks, readStackConfig } from "../../ops/project";
import { programLoad, projectSettingsOnly, transpilesOnly } from "./languageHost";
import { LoadTime, timeProgramLoads } from "./programLoadTimer";
import { alignedTable } from "./table";
import { proveEnvironment } from "../access/prove";
import { forgetDecisions } from "../access/simulator";
import { StackRun } from "../runtime/runStack";
import { planWorkers } from "../runtime/workerPool";
import { goalLine } from "./goals";

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
    console.log(
        `policy pack start-up (run-policy-pack, ${pack.typeChecked === "now" ? "ts-node type-check" : "transpiling only, these sources type-checked by an earlier start"}, gRPC listen): ${pack.startupMs} ms`,
    );
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
