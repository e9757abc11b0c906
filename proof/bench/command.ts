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
import { PolicyPackProcess, readPolicyConfig } from "../pack/policyEngine";
import { analyzedResources } from "../pack/analyzedResources";
import { plan } from "../plan/plan";
import { listStacks } from "../../ops/project";
import { ParsedArgs } from "../../ops/cli/args";
import { UsageError } from "../../ops/cli/errors";
import { benchLoad, benchPack, benchProof } from "./measures";
import { benchGenerated } from "./generated";

/** The parts of the bench, in the order they run; all but load share the started policy pack. */
const BENCH_PARTS = ["plan", "pack", "generated", "proof", "load"] as const;

export const SPEC = {
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

        if (parts.has("generated")) await benchGenerated(counts);
        if (parts.has("proof")) await benchProof([...shipped.env.runs.values()]);
    } finally {
        pack.stop();
    }
}

export async function main({ values, positionals }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    if (positionals.length > 0) throw new UsageError(`bench takes no stack names (got ${positionals.join(" ")}); see ${SPEC.usage} --help`);
    const parts = benchParts(values.only, values["skip-pack"] === true);
    const counts = accountCounts(values.accounts);
    if ([...parts].some((p) => p !== "load")) await benchWithPack(parts, counts, values["policy-config"]);
    if (parts.has("load")) await benchLoad();
    return 0;
}
