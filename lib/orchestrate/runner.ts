/**
 * Runs a command over an environment: stacks in the order of their references, independent stacks
 * in parallel, destroy in reverse; a stack whose upstream failed is not run; after `up`, stacks with
 * feedback references are re-applied, and with them whatever reads a stack whose outputs changed
 * (other stacks see nothing else of it), until no outputs change.
 */
import { StackGraph } from "./graph";
import { Command, OperationResult, ProgressEvent, StackWorkspace } from "./workspace";

export const MAX_CONVERGENCE_PASSES = 5;

export interface StackOutcome {
    readonly stack: string;
    readonly status: "succeeded" | "failed" | "skipped";
    /** The last result of the stack's operation. */
    readonly result?: OperationResult;
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
    readonly maxPasses?: number;
}

export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrationResult> {
    const { command, graph, workspace } = options;
    const onProgress = options.onProgress ?? (() => undefined);
    const outcomes = new Map<string, StackOutcome>();
    const stacks = graph.levels.flat();

    /** Runs the command on a stack; true if its outputs changed, which is all other stacks can see of it. */
    const runOne = async (stack: string, blockedBy: (s: string) => string[]): Promise<boolean> => {
        const blocked = blockedBy(stack).filter((s) => outcomes.get(s)?.status !== "succeeded");
        const runs = (outcomes.get(stack)?.runs ?? 0);
        const previousOutputs = JSON.stringify(outcomes.get(stack)?.result?.outputs ?? null);
        if (blocked.length > 0) {
            outcomes.set(stack, { stack, status: "skipped", error: `not run: ${blocked.join(", ")} did not succeed`, runs });
            return false;
        }
        try {
            const result = await workspace.run(command, stack, onProgress);
            outcomes.set(stack, { stack, status: "succeeded", result, runs: runs + 1 });
            return JSON.stringify(result.outputs) !== previousOutputs;
        } catch (err) {
            const message = (err as Error).message;
            onProgress({ stack, kind: "failed", message });
            outcomes.set(stack, { stack, status: "failed", error: message, runs: runs + 1 });
            return false;
        }
    };

    // Every stack exists before the first preview or update, so feedback references resolve.
    if (command === "preview" || command === "up") await workspace.ensureStacks(stacks);
    if (command === "outputs") {
        await Promise.all(stacks.map((s) => runOne(s, () => [])));
        return finish(command, stacks, outcomes, 0);
    }
    // Destroy tears down dependents first: a stack waits for the stacks that reference it.
    const levels = command === "destroy" ? [...graph.levels].reverse() : graph.levels;
    const blockedBy = command === "destroy"
        ? (s: string) => stacks.filter((d) => graph.upstream.get(d)!.includes(s))
        : (s: string) => [...graph.upstream.get(s)!];
    for (const level of levels) {
        await Promise.all(level.map((s) => runOne(s, blockedBy)));
    }

    let passes = 0;
    if (command === "up") {
        // Who must be re-applied when a stack's outputs change: the stacks that read them.
        const readersOf = (changed: string) => stacks.filter((s) => graph.upstream.get(s)!.includes(changed) || (options.feedback.get(s) ?? []).includes(changed));
        const levelOf = new Map(graph.levels.flatMap((level, i) => level.map((s) => [s, i] as const)));
        let dirty = new Set(stacks.filter((s) => (options.feedback.get(s) ?? []).some((f) => outcomes.get(f)?.status === "succeeded")));
        const maxPasses = options.maxPasses ?? MAX_CONVERGENCE_PASSES;
        while (dirty.size > 0) {
            if (passes === maxPasses) {
                for (const stack of dirty) {
                    outcomes.set(stack, { ...outcomes.get(stack)!, status: "failed", error: `did not converge after ${passes} re-application passes` });
                }
                break;
            }
            passes++;
            const next = new Set<string>();
            for (const [index, level] of graph.levels.entries()) {
                const changed = await Promise.all(level.filter((s) => dirty.has(s)).map(async (s) => [s, await runOne(s, blockedBy)] as const));
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

function finish(command: Command, stacks: readonly string[], outcomes: Map<string, StackOutcome>, passes: number): OrchestrationResult {
    const ordered = stacks.map((s) => outcomes.get(s)!);
    return { command, outcomes: ordered, convergencePasses: passes, ok: ordered.every((o) => o.status === "succeeded") };
}
