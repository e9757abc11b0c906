/**
 * Runs a whole environment offline: discovers each stack's references by running its program
 * under mocks, orders the stacks by them, runs them with upstream exports, and re-applies stacks
 * with feedback references until nothing changes, as the orchestrator does for real.
 */
import { StackRun, StackRunError, runStack } from "./runStack";
import { readStackConfig } from "./stackFiles";
import { RawConfig } from "../lib/config/reader";
import { StackGraph, buildGraph, downstreamOf, referencedStack } from "../lib/orchestrate/graph";
import { PROJECT } from "../lib/naming";
import { FEEDBACK_PREFIX } from "../stacks/references";

/** At most this many re-application passes before the environment is declared not converging. */
export const MAX_CONVERGENCE_PASSES = 5;

export interface StackReferences {
    /** Stacks that must be deployed before this one. */
    readonly upstream: readonly string[];
    /** Stacks whose exports this one reads back after they are deployed. */
    readonly feedback: readonly string[];
}

export interface EnvironmentRun {
    readonly graph: StackGraph;
    readonly references: ReadonlyMap<string, StackReferences>;
    readonly runs: ReadonlyMap<string, StackRun>;
    /** Stacks whose program failed, with the error. */
    readonly failures: ReadonlyMap<string, Error>;
    /** Stacks not run because an upstream stack failed, with the reason. */
    readonly skipped: ReadonlyMap<string, string>;
    /** Every stack run in order, re-applications included. */
    readonly sequence: readonly string[];
    readonly convergencePasses: number;
}

/** The references a stack's program declares, found by running it with no upstream exports. */
export async function discoverReferences(stack: string, config: RawConfig): Promise<StackReferences> {
    let resources;
    try {
        resources = (await runStack(stack, { config, discovery: true })).resources;
    } catch (err) {
        if (!(err instanceof StackRunError)) throw err;
        resources = err.resources;
    }
    const references = resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
    const names = (feedback: boolean) => references.filter((r) => r.name.startsWith(FEEDBACK_PREFIX) === feedback).map((r) => referencedStack(r.inputs.name));
    return { upstream: names(false), feedback: names(true) };
}

/** A stack run's registered inputs and exports, to tell whether re-applying it changed anything. */
function fingerprint(run: StackRun): string {
    return JSON.stringify({ resources: run.resources.map((r) => [r.urn, r.inputs]), outputs: run.outputs });
}

export async function runEnvironment(stacks: readonly string[], configs: Record<string, RawConfig> = {}): Promise<EnvironmentRun> {
    const configOf = (stack: string) => configs[stack] ?? readStackConfig(stack);
    const references = new Map<string, StackReferences>();
    for (const stack of stacks) references.set(stack, await discoverReferences(stack, configOf(stack)));
    const graph = buildGraph(stacks, new Map([...references].map(([s, r]) => [s, r.upstream])));

    const runs = new Map<string, StackRun>();
    const failures = new Map<string, Error>();
    const skipped = new Map<string, string>();
    const sequence: string[] = [];
    const outputs = new Map<string, Record<string, unknown>>();
    const run = async (stack: string): Promise<boolean> => {
        const blocked = graph.upstream.get(stack)!.filter((u) => failures.has(u) || skipped.has(u));
        if (blocked.length > 0) {
            skipped.set(stack, `upstream stack ${blocked.join(", ")} failed`);
            return false;
        }
        sequence.push(stack);
        try {
            const result = await runStack(stack, { config: configOf(stack), stackOutputs: outputs });
            const changed = runs.get(stack) === undefined || fingerprint(runs.get(stack)!) !== fingerprint(result);
            runs.set(stack, result);
            outputs.set(`organization/${PROJECT}/${stack}`, result.outputs);
            return changed;
        } catch (err) {
            failures.set(stack, err as Error);
            return false;
        }
    };
    for (const level of graph.levels) {
        for (const stack of level) await run(stack);
    }

    // Re-apply stacks that read back downstream values, and whatever depends on a stack that changed.
    const feedbackReaders = (changed: string) => stacks.filter((s) => references.get(s)!.feedback.includes(changed));
    let dirty = new Set(stacks.filter((s) => references.get(s)!.feedback.some((f) => runs.has(f))));
    let passes = 0;
    while (dirty.size > 0) {
        if (passes === MAX_CONVERGENCE_PASSES) {
            throw new Error(`The environment did not converge after ${passes} passes; still changing: ${[...dirty].join(", ")}`);
        }
        passes++;
        const next = new Set<string>();
        for (const stack of graph.levels.flat().filter((s) => dirty.has(s) && runs.has(s))) {
            if (await run(stack)) [...downstreamOf(graph, stack), ...feedbackReaders(stack)].forEach((s) => next.add(s));
        }
        dirty = next;
    }
    return { graph, references, runs, failures, skipped, sequence, convergencePasses: passes };
}
