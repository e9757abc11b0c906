/**
 * `npm run bench`: measured, not assumed. Prints
 * - the policy pack: start-up, per-resource Analyze latency over gRPC (median, p99), and a stack of
 *   1,000+ resources;
 * - the offline plan: wall time for the shipped config, and for generated environments of 10, 50
 *   and 100 hosting accounts in both perimeter modes, with the artifact bucket and key policy
 *   sizes against AWS's limits, to show how it grows;
 * - the access proof: checks per second;
 * - the program load of each stack as `pulumi up` loads it, against type-checking it.
 */
import { performance } from "perf_hooks";
import { AnalyzedResource, PolicyPackProcess, readPolicyConfig } from "../proof/pack/policyEngine";
import { analyzedResources } from "../proof/pack/analyzedResources";
import { generatedEnvironment } from "../proof/runtime/generatedEnvironment";
import { plan } from "../proof/plan/plan";
import { PROJECT_DIR, listStacks, readStackConfig } from "../ops/project";
import { programLoad, projectSettingsOnly, transpilesOnly } from "../proof/bench/languageHost";
import { timeProgramLoads } from "../proof/bench/programLoadTimer";
import { proveEnvironment } from "../proof/access/prove";
import { forgetDecisions } from "../proof/access/simulator";
import { PERIMETER_MODES } from "../lib/config/perimeterConfig";
import { ResearchConfig, parseStackConfig } from "../lib/config/stackConfig";
import { POLICY_SIZE_LIMITS, policySize } from "../lib/policies/limits";
import { artifactPolicies } from "../stacks/researchPerimeter";
import { ParsedArgs, cli } from "../ops/cli/args";
import { UsageError } from "../ops/cli/errors";

/** The parts of the bench, in the order they run; all but load share the started policy pack. */
const BENCH_PARTS = ["plan", "pack", "generated", "proof", "load"] as const;

const SPEC = {
    usage: "npm run bench --",
    help: `Usage: npm run bench -- [--only <parts>] [--accounts 10,50,100] [--skip-pack] [--policy-config <file>]

Measures the policy pack (start-up, Analyze latency over gRPC, a stack of 1,000+ resources), the
offline plan of the shipped config and of generated environments of N hosting accounts in both
perimeter modes (with the artifact bucket and key policy sizes against AWS's limits), the
access proof's checks per second, and each stack program's load as pulumi up loads it
(@pulumi/pulumi/cmd/run in a fresh process per stack) against a type-checking load. Takes
several minutes.

Options:
  --only <parts>          run only these parts, comma-separated: ${BENCH_PARTS.join(", ")}
                          (default: all; load alone takes one to two minutes)
  --accounts <list>       hosting accounts of the generated environments (default: 10,50,100)
  --skip-pack             skip the policy pack's latency figures (the part pack)
  --policy-config <file>  policy pack config for the shipped stacks (default: the example config)
  --debug                 show stack traces
  --help                  this text`,
    options: {
        only: { type: "string" },
        accounts: { type: "string" },
        "skip-pack": { type: "boolean" },
        "policy-config": { type: "string" },
    },
} as const;

export type BenchPart = (typeof BENCH_PARTS)[number];

/** `--only load,proof` as parts; anything else is a usage error, before minutes of work. */
export function benchParts(only: string | undefined, skipPack = false): Set<BenchPart> {
    const named = only === undefined ? [...BENCH_PARTS] : only.split(",").map((p) => p.trim());
    const unknown = named.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
    if (unknown.length > 0 || named.length === 0)
        throw new UsageError(`--only takes parts separated by commas, of ${BENCH_PARTS.join(", ")}; got "${only}"`);
    const parts = new Set((named as BenchPart[]).filter((p) => !(skipPack && p === "pack")));
    if (parts.size === 0) throw new UsageError(`--skip-pack leaves nothing of --only ${only} to run`);
    return parts;
}

/** `--accounts 5,10` as numbers; anything else is a usage error, before minutes of work. */
export function accountCounts(value: string | undefined): number[] {
    if (value === undefined) return [10, 50, 100];
    const counts = value.split(",").map((v) => Number(v.trim()));
    if (counts.some((n) => !Number.isInteger(n) || n < 1))
        throw new UsageError(`--accounts takes positive whole numbers separated by commas, e.g. 5,10; got "${value}"`);
    return counts;
}

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

async function benchPack(pack: PolicyPackProcess, stacks: AnalyzedResource[][]): Promise<void> {
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

/** The parts that share one started policy pack and the shipped plan. */
async function benchWithPack(parts: Set<BenchPart>, counts: number[], policyConfig: string | undefined): Promise<void> {
    const pack = await PolicyPackProcess.start();
    try {
        await pack.configure(readPolicyConfig(policyConfig));

        const shippedStart = performance.now();
        const shipped = await plan({ stacks: listStacks(), pack });
        if (parts.has("plan"))
            console.log(
                `\nplan of the shipped config (${shipped.stacks.length} stacks, ${shipped.access.length} access paths, pack already started): ${Math.round(performance.now() - shippedStart)} ms, ${shipped.problems.length} problems`,
            );

        if (parts.has("pack")) {
            console.log("");
            await benchPack(pack, [...shipped.env.runs.values()].map(analyzedResources));
        }

        if (parts.has("generated")) {
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

        if (parts.has("proof")) {
            const runs = [...shipped.env.runs.values()];
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
    } finally {
        pack.stop();
    }
}

/** Each stack program's load as `pulumi up` loads it, then type-checking, each in a fresh process (proof/bench/programLoadTimer.ts). */
async function benchLoad(): Promise<void> {
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

async function main({ values, positionals }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    if (positionals.length > 0) throw new UsageError(`bench takes no stack names (got ${positionals.join(" ")}); see ${SPEC.usage} --help`);
    const parts = benchParts(values.only, values["skip-pack"] === true);
    const counts = accountCounts(values.accounts);
    if ([...parts].some((p) => p !== "load")) await benchWithPack(parts, counts, values["policy-config"]);
    if (parts.has("load")) await benchLoad();
    return 0;
}

// Imported by tests for accountCounts and benchParts; runs only as a script.
if (require.main === module) cli(SPEC, main);
