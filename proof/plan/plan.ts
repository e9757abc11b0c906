/**
 * The offline plan of an environment: every stack program under Pulumi's mock runtime against the
 * simulated AWS (in dependency order, converged), the policy pack over the engine's protocol, and
 * the proof of the required and forbidden access paths over every declared policy.
 */
import { performance } from "perf_hooks";
import { EnvironmentRun, runEnvironment } from "../runtime/runEnvironment";
import { StackRun, stackIdentity } from "../runtime/runStack";
import { EXAMPLE_CONFIG_PATH, readStackConfig } from "../../ops/project";
import { Diagnostic, PolicyPackConfig, PolicyPackProcess, readPolicyConfig } from "../pack/policyEngine";
import { PackAnalyses } from "./analyses";
import { PlanCache } from "../cache/planCache";
import { coreCount } from "../runtime/workerPool";
import { RawConfig } from "../../lib/config/reader";
import { PathResult, proveEnvironment } from "../access/prove";
import { parseStacks } from "../access/environmentPaths";
import { ResearchStack, isResearch } from "../../lib/contracts";

export interface StackPlan {
    readonly stack: string;
    readonly accountId?: string;
    readonly region?: string;
    readonly status: "planned" | "failed" | "skipped";
    /** Why the stack failed or was skipped. */
    readonly reason?: string;
    readonly resourceCounts: Readonly<Record<string, number>>;
    readonly diagnostics: readonly Diagnostic[];
}

export interface PlanResult {
    readonly env: EnvironmentRun;
    readonly stacks: readonly StackPlan[];
    readonly access: readonly PathResult[];
    /** Key ARNs to the aliases the stacks give them, for the report. */
    readonly keyAliases: ReadonlyMap<string, string>;
    /** Everything that makes the plan fail, one sentence each. */
    readonly problems: readonly string[];
    /** Wall times: the stacks' runs, then the pack's analyses and the access proof, both from the end of the runs (they overlap). */
    readonly timingsMs: Readonly<Record<"stacks" | "policies" | "access" | "total", number>>;
}

export interface PlanOptions {
    readonly stacks: readonly string[];
    /**
     * Every stack of the environment (default: `stacks`): research's grants are checked against
     * these, so planning dev and research alone does not call the grant to prod unknown.
     */
    readonly environment?: readonly string[];
    /** Stack configurations to use instead of the stack files. */
    readonly configs?: Record<string, RawConfig>;
    /** The policy pack configuration: a file (default: the shipped example) or the config itself. */
    readonly policyConfigPath?: string;
    readonly policyConfig?: PolicyPackConfig;
    /** A running pack to reuse (benchmarks); otherwise one is started when a stack needs analysing, and stopped. */
    readonly pack?: PolicyPackProcess;
    /** Results kept from earlier plans, used and added to (proof/cache/planCache.ts); none by default. */
    readonly cache?: PlanCache;
    /**
     * Run the stack programs in worker processes, one per core (proof/runtime/stackWorker.ts).
     * Default: for environments of {@link WORKERS_FROM} stacks or more, on a machine with more than one core.
     */
    readonly workers?: boolean;
    /** Progress messages. */
    readonly log?: (message: string) => void;
}

function countTypes(types: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const t of types) counts[t] = (counts[t] ?? 0) + 1;
    return counts;
}

/**
 * Consumers the research stack shares with that are not stacks of this environment, or whose stack
 * deploys into another account: grants to accounts nothing here manages.
 */
function sharingProblems(research: readonly ResearchStack[], accountOf: ReadonlyMap<string, string>): string[] {
    return research.flatMap(({ config, exports }) => {
        const shared = [
            ...exports.consumers.map((c) => ({ ...c, what: "consumers" })),
            ...(exports.rekognition?.consumers ?? []).map((c) => ({ ...c, what: "rekognition.consumers" })),
        ];
        return shared
            .filter((c) => accountOf.get(c.stack) !== c.accountId)
            .map((c) =>
                accountOf.has(c.stack)
                    ? `stack ${config.stack} shares (${c.what}) with stack ${c.stack} as account ${c.accountId}, but ${c.stack} deploys into ${accountOf.get(c.stack)}; expected the same account in Pulumi.${config.stack}.yaml and Pulumi.${c.stack}.yaml`
                    : `stack ${config.stack} shares (${c.what}) with account ${c.accountId} as stack ${c.stack}, which is not a stack of this environment; expected a Pulumi.${c.stack}.yaml deploying into ${c.accountId}, or remove the entry`,
            );
    });
}

/**
 * From how many stacks the plan runs programs in worker processes by default: below it, starting
 * the workers (about 1.5 s of CPU each, loading and compiling the program) costs more than it saves.
 */
export const WORKERS_FROM = 12;

/** Each stack of the environment checked with the policy pack over the engine's protocol, in order. */
async function analyzeStacks(env: EnvironmentRun, analyses: PackAnalyses, log: (line: string) => void): Promise<StackPlan[]> {
    const stacks: StackPlan[] = [];
    for (const stack of env.graph.levels.flat()) {
        // A stack that failed on a re-application is failed, whatever an earlier run declared.
        const run = env.failures.has(stack) ? undefined : env.runs.get(stack);
        if (!run) {
            const reason = env.failures.get(stack)?.message ?? env.skipped.get(stack) ?? "not run";
            stacks.push({ stack, status: env.failures.has(stack) ? "failed" : "skipped", reason, resourceCounts: {}, diagnostics: [] });
            continue;
        }
        const diagnostics = await analyses.diagnostics(run);
        stacks.push({
            stack,
            accountId: run.accountId,
            region: run.region,
            status: "planned",
            resourceCounts: countTypes(run.resources.map((r) => r.type)),
            diagnostics,
        });
        log(
            `${stack}: ${run.resources.length} resources, ${diagnostics.filter((d) => d.enforcementLevel === "mandatory").length} mandatory violation(s)`,
        );
    }
    return stacks;
}

/** Every reason the plan fails: stacks not planned, sharing with unknown accounts, mandatory violations, broken paths. */
function planProblems(
    options: PlanOptions,
    stacks: readonly StackPlan[],
    runs: readonly StackRun[],
    access: readonly PathResult[],
): string[] {
    return [
        ...stacks.filter((s) => s.status !== "planned").map((s) => `stack ${s.stack} ${s.status}: ${s.reason}`),
        ...sharingProblems(
            parseStacks(runs).filter(isResearch),
            new Map(
                (options.environment ?? options.stacks).map((s) => [
                    s,
                    stackIdentity(options.configs?.[s] ?? readStackConfig(s)).accountId,
                ]),
            ),
        ),
        ...stacks.flatMap((s) =>
            s.diagnostics
                .filter((d) => d.enforcementLevel === "mandatory")
                .map(
                    (d) =>
                        `stack ${s.stack}: mandatory policy ${d.policyName} violated by ${d.urn.split("::").pop() || "the stack"}: ${d.message.split("\n").pop()}`,
                ),
        ),
        ...access.filter((a) => !a.holds).map((a) => a.problem!),
    ];
}

/** The alias of each KMS key the stacks declare, by key ARN, for the report. */
function keyAliasesOf(runs: readonly StackRun[]): Map<string, string> {
    const keys = runs.flatMap((r) => r.resources.filter((x) => x.type === "aws:kms/key:Key"));
    const aliases = runs.flatMap((r) => r.resources.filter((x) => x.type === "aws:kms/alias:Alias"));
    return new Map(
        keys.flatMap((k) =>
            aliases.filter((a) => a.inputs.targetKeyId === k.state.keyId).map((a) => [k.state.arn as string, a.inputs.name as string]),
        ),
    );
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
    const log = options.log ?? (() => undefined);
    const started = performance.now();
    const policyConfig = options.policyConfig ?? readPolicyConfig(options.policyConfigPath ?? EXAMPLE_CONFIG_PATH);
    // Each stack is analysed as soon as its run is made, while the other stacks still run.
    const analyses = new PackAnalyses(policyConfig, options.pack, options.cache);
    const workers = options.workers ?? (options.stacks.length >= WORKERS_FROM && coreCount() > 1);
    let env: EnvironmentRun;
    let stacks: StackPlan[];
    let stacksDone: number;
    let proving: Promise<PathResult[]>;
    let accessDone = 0;
    try {
        env = await runEnvironment(options.stacks, options.configs, {
            workers,
            cache: options.cache,
            // A program that runs makes resources the cache may not have analysed: the pack starts now.
            onProgram: () => analyses.warm(),
            onRun: (run) => analyses.prepare(run),
        });
        stacksDone = performance.now();
        log(
            `stacks run in order ${env.graph.levels.map((l) => l.join(" + ")).join(" -> ")}; ${env.convergencePasses} re-application pass(es): ${env.sequence.join(", ")}`,
        );
        // The proof needs the runs alone: it goes on while the pack finishes its analyses.
        const runs = [...env.runs.values()];
        proving = proveEnvironment(runs, [], { workers, cache: options.cache }).then((results) => {
            accessDone = performance.now();
            return results;
        });
        proving.catch(() => undefined);
        stacks = await analyzeStacks(env, analyses, log);
    } finally {
        await analyses.stop();
    }
    const policiesDone = performance.now();
    const runs = [...env.runs.values()];
    const access = await proving;
    const done = performance.now();
    if (options.cache) {
        options.cache.settle();
        options.cache.prune();
    }
    log(`access: ${access.filter((a) => a.holds).length} of ${access.length} paths hold`);
    return {
        env,
        stacks,
        access,
        keyAliases: keyAliasesOf(runs),
        problems: planProblems(options, stacks, runs, access),
        timingsMs: {
            stacks: stacksDone - started,
            policies: policiesDone - stacksDone,
            access: accessDone - stacksDone,
            total: done - started,
        },
    };
}
