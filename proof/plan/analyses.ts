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

export class PackAnalyses {
    private readonly analyses = new Map<string, Promise<Diagnostic[]>>();
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
                : this.started().then(async (pack) => {
                      const diagnostics = await pack.analyzeAll(resources);
                      await this.cache?.write("analyses", key, diagnostics);
                      return diagnostics;
                  });
            this.analyses.set(key, analysis);
        }
        return analysis;
    }

    /** Starts a run's analysis now, for later: its failure is reported when the diagnostics are asked for. */
    prepare(run: StackRun): void {
        this.diagnostics(run).catch(() => undefined);
    }

    private started(): Promise<PolicyPackProcess> {
        if (!this.pack) {
            this.process = this.running ? Promise.resolve(this.running) : PolicyPackProcess.start();
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
