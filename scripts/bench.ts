/**
 * `npm run bench`: the policy pack's speed over the engine's gRPC protocol, measured, not assumed.
 * Prints the pack's start-up time, per-resource Analyze latency (median and p99) over the
 * project's own stacks, and the time to analyze a generated stack of 1,000 resources.
 */
import { performance } from "perf_hooks";
import { AnalyzedResource, PolicyPackProcess, readPolicyConfig } from "../sim/policyEngine";
import { analyzedResources } from "../sim/analyzedResources";
import { runEnvironment } from "../sim/runEnvironment";
import { listStacks } from "../sim/stackFiles";

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

async function main(): Promise<void> {
    const { runs } = await runEnvironment(listStacks());
    const stacks = [...runs.values()].map((run) => analyzedResources(run));
    const pack = await PolicyPackProcess.start();
    try {
        await pack.configure(readPolicyConfig());
        console.log(`pack start-up (run-policy-pack, ts-node type-check, gRPC listen): ${pack.startupMs} ms`);

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
        console.log(`Analyze per resource over gRPC, ${latencies.length} calls (${all.length} resources x ${ROUNDS}): median ${percentile(latencies, 50).toFixed(3)} ms, p99 ${percentile(latencies, 99).toFixed(3)} ms`);

        const big = generatedStack(stacks[1], STACK_SIZE);
        const startStack = performance.now();
        await pack.analyzeStack(big);
        const stackMs = performance.now() - startStack;
        const startAll = performance.now();
        const diagnostics = await pack.analyzeAll(big);
        const allMs = performance.now() - startAll;
        console.log(`AnalyzeStack of ${big.length} resources: ${stackMs.toFixed(1)} ms`);
        console.log(`${big.length} x Analyze + AnalyzeStack (an engine's full pass): ${allMs.toFixed(1)} ms (${(allMs / big.length).toFixed(3)} ms per resource), ${diagnostics.filter((d) => d.enforcementLevel === "mandatory").length} mandatory violations`);
        for (const d of diagnostics.filter((d) => d.enforcementLevel === "mandatory").slice(0, 3)) console.log(`  ${d.policyName}: ${d.message.split("\n").pop()}`);
    } finally {
        pack.stop();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
