/**
 * The policy pack's analyses of the plan's stack runs: each run analysed as the engine would
 * (every Analyze, then AnalyzeStack) once, by the content of what is sent, and started as soon as
 * the run is made, so the pack works while the other stacks still run. The pack is started on the
 * first analysis not kept in the cache (proof/cache/planCache.ts), and only then.
 */
import { analyzedResources } from "../pack/analyzedResources";
import { Diagnostic, PolicyPackConfig, PolicyPackProcess } from "../pack/policyEngine";
import { StackRun } from "../runtime/runStack";
import { PlanCache, digest } from "../cache/planCache";

/** Stacks whose requests are with the pack at once: one being answered, one ready behind it. */
const AT_ONCE = 2;

export class PackAnalyses {
    private readonly analyses = new Map<string, Promise<Diagnostic[]>>();
    private readonly waiting: (() => void)[] = [];
    private underWay = 0;
    private readonly configText: string;
    private process?: Promise<PolicyPackProcess>;
    private pack?: Promise<PolicyPackProcess>;

    constructor(
        private readonly config: PolicyPackConfig,
        /** A running pack (it is configured, not stopped); otherwise one is started when needed and stopped by {@link stop}. */
        private readonly running?: PolicyPackProcess,
        private readonly cache?: PlanCache,
    ) {
        this.configText = JSON.stringify(config);
    }

    /** The diagnostics of a run: analysed once per content, kept in the cache when there is one. */
    diagnostics(run: StackRun): Promise<Diagnostic[]> {
        const resources = analyzedResources(run);
        const key = digest(this.cache?.sources("analyses") ?? "", this.configText, JSON.stringify(resources));
        let analysis = this.analyses.get(key);
        if (!analysis) {
            const kept = this.cache?.read<Diagnostic[]>("analyses", key);
            analysis = kept
                ? Promise.resolve(kept)
                : this.inTurn(async () => {
                      const diagnostics = await (await this.started()).analyzeAll(resources);
                      await this.cache?.write("analyses", key, diagnostics);
                      return diagnostics;
                  });
            this.analyses.set(key, analysis);
        }
        return analysis;
    }

    /**
     * Runs an analysis once fewer than {@link AT_ONCE} are under way, in the order asked: the pack
     * answers one request at a time, so more stacks in flight would only hold their requests in
     * memory on both sides.
     */
    private inTurn<T>(analysis: () => Promise<T>): Promise<T> {
        const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
        this.next();
        return turn.then(analysis).finally(() => {
            this.underWay--;
            this.next();
        });
    }

    private next(): void {
        while (this.underWay < AT_ONCE && this.waiting.length > 0) {
            this.underWay++;
            this.waiting.shift()!();
        }
    }

    /**
     * Starts the pack now, expecting an analysis the cache will not hold (a stack's program is
     * running): its start-up then overlaps the runs. A failure to start shows at the first analysis.
     */
    warm(): void {
        if (!this.running) this.started().catch(() => undefined);
    }

    /** Starts a run's analysis now, for later: its failure is reported when the diagnostics are asked for. */
    prepare(run: StackRun): void {
        this.diagnostics(run).catch(() => undefined);
    }

    private started(): Promise<PolicyPackProcess> {
        if (!this.pack) {
            // Without a cache (--no-cache), the pack is type-checked as well: nothing kept is used.
            this.process = this.running
                ? Promise.resolve(this.running)
                : PolicyPackProcess.start(undefined, { rememberTypeCheck: this.cache !== undefined });
            this.pack = this.process.then(async (pack) => {
                await pack.configure(this.config);
                return pack;
            });
        }
        return this.pack;
    }

    /** Stops the pack if this started it. */
    async stop(): Promise<void> {
        if (this.running || !this.process) return;
        const pack = await this.process.catch(() => undefined);
        pack?.stop();
    }
}
