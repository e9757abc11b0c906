/**
 * Many access decisions at once, for a proof: each query's key computed with every policy object
 * digested once; decisions remembered in this process or kept in the plan's cache
 * (proof/cache/planCache.ts) are used as they are; the rest are simulated, in worker processes
 * (proof/access/simulatorWorker.ts) when asked, in batches that share their policies.
 */
import { PlanCache } from "../cache/planCache";
import { planWorkers } from "../runtime/workerPool";
import { AccessDecision, AccessQuery, PolicyInput, queryKey, rememberDecision, rememberedDecision, simulateOnce } from "./simulator";
import { DecisionTask } from "./simulatorWorker";
import { createHash } from "crypto";

export interface DecideOptions {
    /** Simulate in worker processes, one per core. */
    readonly workers?: boolean;
    /** Use and keep decisions in this cache. */
    readonly cache?: PlanCache;
}

/** Batches per worker: enough to keep every worker busy to the end, few enough to share policies. */
const BATCHES_PER_WORKER = 4;

/** The decisions of `queries`, in order. Throws if the simulator rejects a request or a policy as malformed. */
export async function decideAll(queries: readonly AccessQuery[], options: DecideOptions = {}): Promise<AccessDecision[]> {
    const digests = new Map<PolicyInput, string>();
    const policyDigest = (policy: PolicyInput) => {
        let known = digests.get(policy);
        if (!known) digests.set(policy, (known = createHash("sha256").update(JSON.stringify(policy)).digest("base64")));
        return known;
    };
    const keys = queries.map((query) => queryKey(query, policyDigest));
    const kept = options.cache?.readStore<AccessDecision>("decisions");
    const decisions = new Map<string, Promise<AccessDecision>>();
    const missing = new Map<string, AccessQuery>();
    let hits = 0;
    keys.forEach((key, i) => {
        if (decisions.has(key) || missing.has(key)) return;
        const known = rememberedDecision(key) ?? (kept?.has(key) ? Promise.resolve(kept.get(key)!) : undefined);
        if (known) {
            hits++;
            decisions.set(key, known);
        } else missing.set(key, queries[i]);
    });
    const simulated = await simulate([...missing.values()], options.workers === true);
    [...missing.keys()].forEach((key, i) => decisions.set(key, Promise.resolve(simulated[i])));
    for (const [key, decision] of decisions) rememberDecision(key, decision);
    if (options.cache && kept) {
        options.cache.count("decisions", hits, missing.size);
        // Used now: moved to the end, the last to go past the store's bound.
        for (const key of decisions.keys()) kept.delete(key);
        for (const [key, decision] of decisions) kept.set(key, await decision);
        if (missing.size > 0) await options.cache.writeStore("decisions", kept);
    }
    return Promise.all(keys.map((key) => decisions.get(key)!));
}

async function simulate(queries: readonly AccessQuery[], workers: boolean): Promise<AccessDecision[]> {
    if (!workers || queries.length < 2) {
        const decisions: AccessDecision[] = [];
        for (const query of queries) decisions.push(await simulateOnce(query));
        return decisions;
    }
    const pool = planWorkers();
    const size = Math.ceil(queries.length / (pool.size * BATCHES_PER_WORKER));
    const batches: AccessQuery[][] = [];
    for (let i = 0; i < queries.length; i += size) batches.push(queries.slice(i, i + size));
    const module = require.resolve("./simulatorWorker");
    const answers = await Promise.all(batches.map((batch) => pool.run<DecisionTask, AccessDecision[]>(module, { queries: batch })));
    return answers.flat();
}
