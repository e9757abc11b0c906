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

export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrationResult> {
    const { command, graph, workspace } = options;
    const onProgress = options.onProgress ?? (() => undefined);
    const outcomes = new Map<string, StackOutcome>();
    const previews = new Map<string, PreviewReport>();
    const stacks = graph.levels.flat();
    const set = (stack: string, outcome: Omit<StackOutcome, "stack" | "runs">, ran = false) => {
        const runs = (outcomes.get(stack)?.runs ?? 0) + (ran ? 1 : 0);
        outcomes.set(stack, { stack, runs, preview: previews.get(stack), ...outcome });
    };

    /** Runs the command on a stack; true if its outputs changed, which is all other stacks can see of it. */
    const runOne = async (stack: string): Promise<boolean> => {
        const previousOutputs = JSON.stringify(outcomes.get(stack)?.result?.outputs ?? null);
        try {
            if (command === "destroy" && options.includeProtected && previews.get(stack)?.steps.some((s) => s.protect)) await workspace.unprotectAll(stack);
            const result = await workspace.run(command, stack, onProgress, { excludeProtected: command === "destroy" && !options.includeProtected });
            set(stack, { status: "succeeded", result }, true);
            return JSON.stringify(result.outputs) !== previousOutputs;
        } catch (err) {
            const message = (err as Error).message;
            onProgress({ stack, kind: "failed", message });
            set(stack, { status: "failed", error: message }, true);
            return false;
        }
    };

    /** Previews stacks and shows what each would do; resolves with the stacks that may go ahead. */
    const previewLevel = async (level: readonly string[]): Promise<string[]> => {
        const kind = command === "destroy" ? "destroy" : "up";
        const reports = await Promise.all(level.map(async (stack) => [stack, withProtected(await workspace.preview(kind, stack, onProgress))] as const));
        const allowed: string[] = [];
        for (const [stack, report] of reports) {
            previews.set(stack, report);
            options.onPreview?.(stack, previewSummary(stack, report));
            const refused = refusal(report);
            if (refused) set(stack, { status: "failed", error: refused }, command === "preview");
            else if (command === "preview") set(stack, { status: "succeeded", result: { changes: changeCounts(report), outputs: {} } }, true);
            else allowed.push(stack);
        }
        return allowed;
    };

    /** With --include-protected, the protected resources a destroy keeps are deleted too: shown as such. */
    const withProtected = (report: PreviewReport): PreviewReport =>
        options.includeProtected && report.keptProtected?.length
            ? { ...report, keptProtected: [], steps: [...report.steps, ...report.keptProtected.map((urn) => ({ op: "delete", urn, type: urn.split("::")[2] ?? "", protect: true }))] }
            : report;

    /** A level of stacks: those whose upstream (or, for destroy, dependents) did not succeed are skipped. */
    const runLevel = async (level: readonly string[], blockedBy: (s: string) => string[]): Promise<Map<string, boolean>> => {
        const ready: string[] = [];
        for (const stack of level) {
            const blocked = blockedBy(stack).filter((s) => outcomes.get(s)?.status !== "succeeded");
            if (blocked.length > 0) set(stack, { status: "skipped", error: `not run: ${blocked.join(", ")} did not succeed` });
            else ready.push(stack);
        }
        const changed = new Map<string, boolean>();
        if (command === "preview") {
            await previewLevel(ready);
            return changed;
        }
        let go = ready;
        if (command === "up" || command === "destroy") {
            go = await previewLevel(ready);
            const changing = go.filter((s) => hasChanges(previews.get(s)!));
            if (changing.length > 0 && options.confirm && !(await options.confirm(question(command, changing, options.includeProtected)))) {
                for (const stack of go) set(stack, { status: "skipped", error: "not confirmed: nothing changed" });
                return changed;
            }
        }
        await Promise.all(go.map(async (s) => changed.set(s, await runOne(s))));
        return changed;
    };

    // Every stack exists before the first preview or update, so feedback references resolve.
    if (command === "preview" || command === "up") await workspace.ensureStacks(stacks);
    if (command === "outputs") {
        await Promise.all(stacks.map(runOne));
        return finish(command, stacks, outcomes, 0);
    }
    // Destroy tears down dependents first: a stack waits for the stacks that reference it.
    const levels = command === "destroy" ? [...graph.levels].reverse() : graph.levels;
    const blockedBy = command === "destroy"
        ? (s: string) => stacks.filter((d) => graph.upstream.get(d)!.includes(s))
        : (s: string) => [...graph.upstream.get(s)!];
    for (const level of levels) await runLevel(level, blockedBy);

    let passes = 0;
    if (command === "up") {
        // Who must be re-applied when a stack's outputs change: the stacks that read them.
        const readersOf = (changed: string) => stacks.filter((s) => graph.upstream.get(s)!.includes(changed) || (options.feedback.get(s) ?? []).includes(changed));
        const levelOf = new Map(graph.levels.flatMap((level, i) => level.map((s) => [s, i] as const)));
        let dirty = new Set(stacks.filter((s) => (options.feedback.get(s) ?? []).some((f) => outcomes.get(f)?.status === "succeeded")));
        const maxPasses = options.maxPasses ?? MAX_CONVERGENCE_PASSES;
        while (dirty.size > 0) {
            if (passes === maxPasses) {
                for (const stack of dirty) set(stack, { ...outcomes.get(stack)!, status: "failed", error: `did not converge after ${passes} re-application passes` });
                break;
            }
            passes++;
            const next = new Set<string>();
            for (const [index, level] of graph.levels.entries()) {
                const changed = await runLevel(level.filter((s) => dirty.has(s)), blockedBy);
                for (const [stack, didChange] of changed) {
                    // Readers in later levels follow in this pass; a reader upstream (a feedback reference) in the next.
                    if (didChange) readersOf(stack).forEach((r) => (levelOf.get(r)! > index ? dirty : next).add(r));
                }
            }
            dirty = next;
        }
    }
    return finish(command, stacks, outcomes, passes);
}

function question(command: Command, stacks: readonly string[], includeProtected?: boolean): string {
    if (command === "destroy") return `Destroy ${stacks.join(", ")}${includeProtected ? ", INCLUDING their protected resources (model artifacts and keys are lost)" : ""}, as previewed above?`;
    return `Update ${stacks.join(", ")} as previewed above?`;
}

function finish(command: Command, stacks: readonly string[], outcomes: Map<string, StackOutcome>, passes: number): OrchestrationResult {
    const ordered = stacks.map((s) => outcomes.get(s)!);
    return { command, outcomes: ordered, convergencePasses: passes, ok: ordered.every((o) => o.status === "succeeded") };
}
