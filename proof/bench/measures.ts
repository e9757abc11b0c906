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
import { timeProgramLoads } from "./programLoadTimer";
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
    console.log(
        `mode            accounts  stacks  resources  paths  wall ms  ms/account  bucket B  key B  (limits ${POLICY_SIZE_LIMITS.bucket} / ${POLICY_SIZE_LIMITS.key})  result`,
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
                `${mode.padEnd(14)}${String(n).padStart(10)}${String(env.stacks.length).padStart(8)}${String(resources).padStart(11)}${String(result.access.length).padStart(7)}${String(Math.round(ms)).padStart(9)}${(ms / n).toFixed(0).padStart(12)}${String(bucket).padStart(10)}${String(key).padStart(7)}  ${outcome}`,
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
    console.log(`stack       program        as pulumi up (${asPulumiUp}): program ms  total ms    type-checking: program ms  total ms`);
    for (const stack of stacks) {
        const [a, b] = [up.get(stack)!, checked.get(stack)!];
        const program = readStackConfig(stack)["cross-account-models:program"] ?? "";
        console.log(
            `${stack.padEnd(12)}${program.padEnd(15)}${String(Math.round(a.programMs)).padStart(36)}${String(Math.round(a.totalMs)).padStart(10)}${String(Math.round(b.programMs)).padStart(30)}${String(Math.round(b.totalMs)).padStart(10)}`,
        );
    }
}
