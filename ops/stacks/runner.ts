/**
 * Runs a command over an environment: stacks in the order of their references, independent stacks
 * in parallel, destroy in reverse; a stack whose upstream failed is not run; after `up`, stacks with
 * feedback references are re-applied, and with them whatever reads a stack whose outputs changed
 * (other stacks see nothing else of it), until no outputs change.
 *
 * `up` and `destroy` never change a stack unseen: each level of stacks is previewed first (an
 * update with the policy pack), the previews are shown, a stack with a mandatory violation or a
 * failed preview is refused, and the rest change only once confirmed. This is needed because the
 * Automation API's `up()` runs `pulumi up --skip-preview`, and the engine reports stack-rule
 * violations only after every step has run (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * AnalyzeStack): without the preview, a refused stack would already have changed. A level at a
 * time, because a stack's preview reads its upstream stacks' outputs, which only their update sets.
 */
import { StackGraph } from "./graph";
import { PreviewReport, changeCounts, hasChanges, previewSummary, refusal } from "./preview";
import { Command, OperationResult, ProgressEvent, StackWorkspace } from "./workspace";

export const MAX_CONVERGENCE_PASSES = 5;

export interface StackOutcome {
    readonly stack: string;
    readonly status: "succeeded" | "failed" | "skipped";
    /** The last result of the stack's operation. */
    readonly result?: OperationResult;
    /** The last preview before the stack's update or destroy (or of a `preview`). */
    readonly preview?: PreviewReport;
    readonly error?: string;
    /** How many times the command ran on this stack (re-applications included). */
    readonly runs: number;
}

export interface OrchestrationResult {
    readonly command: Command;
    readonly outcomes: readonly StackOutcome[];
    readonly convergencePasses: number;
    readonly ok: boolean;
}

export interface OrchestrateOptions {
    readonly command: Command;
    readonly graph: StackGraph;
    /** Stacks each stack reads back through feedback references. */
    readonly feedback: ReadonlyMap<string, readonly string[]>;
    readonly workspace: StackWorkspace;
    readonly onProgress?: (event: ProgressEvent) => void;
    /** Each stack's preview summary, as lines, before its level changes. */
    readonly onPreview?: (stack: string, lines: readonly string[]) => void;
    /**
     * Asked before a level of stacks with changes is updated or destroyed; no stops the run there
     * (what follows is skipped). Without it every level goes ahead, as with `--yes`.
     */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** destroy: delete protected resources too, after removing their protection. */
    readonly includeProtected?: boolean;
    readonly maxPasses?: number;
}

/** The levels in the order `command` runs them: destroy tears down dependents first, so in reverse. */
export function levelsInOrder(command: Command, graph: StackGraph): readonly (readonly string[])[] {
    return command === "destroy" ? [...graph.levels].reverse() : graph.levels;
}

/** The `order:` line of a run: its levels in the order they run, a level's stacks joined by `+`. */
export function orderLine(command: Command, graph: StackGraph): string {
    return `order: ${levelsInOrder(command, graph)
        .map((l) => l.join(" + "))
        .join(" -> ")}`;
}

export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrationResult> {
    return new Orchestration(options).run();
}

/** One run of a command over the environment: each stack's outcome and last preview so far. */
class Orchestration {
    private readonly outcomes = new Map<string, StackOutcome>();
    private readonly previews = new Map<string, PreviewReport>();
    private readonly stacks: string[];
    private readonly onProgress: (event: ProgressEvent) => void;
    /** The stacks that must succeed before a stack runs: its upstream, or, for destroy, its dependents. */
    private readonly blockedBy: (stack: string) => string[];

    constructor(private readonly options: OrchestrateOptions) {
        const { command, graph } = options;
        this.stacks = graph.levels.flat();
        this.onProgress = options.onProgress ?? (() => undefined);
        this.blockedBy =
            command === "destroy"
                ? (s: string) => this.stacks.filter((d) => graph.upstream.get(d)!.includes(s))
                : (s: string) => [...graph.upstream.get(s)!];
    }

    async run(): Promise<OrchestrationResult> {
        const { command, graph, workspace } = this.options;
        // Every stack exists before the first preview or update, so feedback references resolve.
        if (command === "preview" || command === "up") await workspace.ensureStacks(this.stacks);
        if (command === "outputs") {
            await Promise.all(this.stacks.map((s) => this.runOne(s)));
            return finish(command, this.stacks, this.outcomes, 0);
        }
        // Destroy tears down dependents first: a stack waits for the stacks that reference it.
        for (const level of levelsInOrder(command, graph)) await this.runLevel(level);
        const passes = command === "up" ? await this.converge() : 0;
        return finish(command, this.stacks, this.outcomes, passes);
    }

    private set(stack: string, outcome: Omit<StackOutcome, "stack" | "runs">, ran = false): void {
        const runs = (this.outcomes.get(stack)?.runs ?? 0) + (ran ? 1 : 0);
        this.outcomes.set(stack, { stack, runs, preview: this.previews.get(stack), ...outcome });
    }

    /** Runs the command on a stack; true if its outputs changed, which is all other stacks can see of it. */
    private async runOne(stack: string): Promise<boolean> {
        const { command, workspace, includeProtected } = this.options;
        const previousOutputs = JSON.stringify(this.outcomes.get(stack)?.result?.outputs ?? null);
        try {
            if (command === "destroy" && includeProtected && this.previews.get(stack)?.steps.some((s) => s.protect))
                await workspace.unprotectAll(stack);
            const result = await workspace.run(command, stack, this.onProgress, {
                excludeProtected: command === "destroy" && !includeProtected,
            });
            this.set(stack, { status: "succeeded", result }, true);
            return JSON.stringify(result.outputs) !== previousOutputs;
        } catch (err) {
            const message = (err as Error).message;
            this.onProgress({ stack, kind: "failed", message });
            this.set(stack, { status: "failed", error: message }, true);
            return false;
        }
    }

    /** Previews stacks and shows what each would do; resolves with the stacks that may go ahead. */
    private async previewLevel(level: readonly string[]): Promise<string[]> {
        const { command, workspace } = this.options;
        const kind = command === "destroy" ? "destroy" : "up";
        const reports = await Promise.all(
            level.map(async (stack) => [stack, this.withProtected(await workspace.preview(kind, stack, this.onProgress))] as const),
        );
        const allowed: string[] = [];
        for (const [stack, report] of reports) {
            this.previews.set(stack, report);
            this.options.onPreview?.(stack, previewSummary(stack, report));
            const refused = refusal(report);
            if (refused) this.set(stack, { status: "failed", error: refused }, command === "preview");
            else if (command === "preview")
                this.set(stack, { status: "succeeded", result: { changes: changeCounts(report), outputs: {} } }, true);
            else allowed.push(stack);
        }
        return allowed;
    }

    /** With --include-protected, the protected resources a destroy keeps are deleted too: shown as such. */
    private withProtected(report: PreviewReport): PreviewReport {
        return this.options.includeProtected && report.keptProtected?.length
            ? {
                  ...report,
                  keptProtected: [],
                  steps: [
                      ...report.steps,
                      ...report.keptProtected.map((urn) => ({ op: "delete", urn, type: urn.split("::")[2] ?? "", protect: true })),
                  ],
              }
            : report;
    }

    /**
     * A level of stacks: those whose upstream (or, for destroy, dependents) did not succeed are
     * skipped; for up and destroy the rest are previewed and, once confirmed, changed. Resolves
     * with whether each stack run changed its outputs.
     */
    private async runLevel(level: readonly string[]): Promise<Map<string, boolean>> {
        const { command, confirm, includeProtected } = this.options;
        const ready: string[] = [];
        for (const stack of level) {
            const blocked = this.blockedBy(stack).filter((s) => this.outcomes.get(s)?.status !== "succeeded");
            if (blocked.length > 0) this.set(stack, { status: "skipped", error: `not run: ${blocked.join(", ")} did not succeed` });
            else ready.push(stack);
        }
        const changed = new Map<string, boolean>();
        if (command === "preview") {
            await this.previewLevel(ready);
            return changed;
        }
        let go = ready;
        if (command === "up" || command === "destroy") {
            go = await this.previewLevel(ready);
            const changing = go.filter((s) => hasChanges(this.previews.get(s)!));
            if (changing.length > 0 && confirm && !(await confirm(question(command, changing, includeProtected)))) {
                for (const stack of go) this.set(stack, { status: "skipped", error: "not confirmed: nothing changed" });
                return changed;
            }
        }
        await Promise.all(go.map(async (s) => changed.set(s, await this.runOne(s))));
        return changed;
    }

    /**
     * After up: re-applies the stacks with feedback references, and whatever reads a stack whose
     * outputs changed, until no outputs change or the pass limit is reached (those stacks fail).
     * Resolves with the number of passes.
     */
    private async converge(): Promise<number> {
        const { graph, feedback } = this.options;
        const stacks = this.stacks;
        // Who must be re-applied when a stack's outputs change: the stacks that read them.
        const readersOf = (changed: string) =>
            stacks.filter((s) => graph.upstream.get(s)!.includes(changed) || (feedback.get(s) ?? []).includes(changed));
        const levelOf = new Map(graph.levels.flatMap((level, i) => level.map((s) => [s, i] as const)));
        let dirty = new Set(stacks.filter((s) => (feedback.get(s) ?? []).some((f) => this.outcomes.get(f)?.status === "succeeded")));
        const maxPasses = this.options.maxPasses ?? MAX_CONVERGENCE_PASSES;
        let passes = 0;
        while (dirty.size > 0) {
            if (passes === maxPasses) {
                for (const stack of dirty)
                    this.set(stack, {
                        ...this.outcomes.get(stack)!,
                        status: "failed",
                        error: `did not converge after ${passes} re-application passes`,
                    });
                break;
            }
            passes++;
            const next = new Set<string>();
            for (const [index, level] of graph.levels.entries()) {
                const changed = await this.runLevel(level.filter((s) => dirty.has(s)));
                for (const [stack, didChange] of changed) {
                    // Readers in later levels follow in this pass; a reader upstream (a feedback reference) in the next.
                    if (didChange) readersOf(stack).forEach((r) => (levelOf.get(r)! > index ? dirty : next).add(r));
                }
            }
            dirty = next;
        }
        return passes;
    }
}

function question(command: Command, stacks: readonly string[], includeProtected?: boolean): string {
    if (command === "destroy")
        return `Destroy ${stacks.join(", ")}${includeProtected ? ", INCLUDING their protected resources (model artifacts and keys are lost)" : ""}, as previewed above?`;
    return `Update ${stacks.join(", ")} as previewed above?`;
}

function finish(command: Command, stacks: readonly string[], outcomes: Map<string, StackOutcome>, passes: number): OrchestrationResult {
    const ordered = stacks.map((s) => outcomes.get(s)!);
    return { command, outcomes: ordered, convergencePasses: passes, ok: ordered.every((o) => o.status === "succeeded") };
}
