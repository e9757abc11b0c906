/**
 * The order stacks run in, from the StackReferences they declare: a stack runs after the stacks
 * it references; stacks of one level are independent and may run in parallel.
 */
import { referencedStack } from "../../lib/naming";
import type { StackConfig } from "../../lib/config/stackConfig";
import { StackReads, stacksRead } from "../../lib/contracts/references";

export interface StackGraph {
    /** Levels in dependency order; the stacks of a level depend only on earlier levels. */
    readonly levels: readonly (readonly string[])[];
    /** The stacks each stack references. */
    readonly upstream: ReadonlyMap<string, readonly string[]>;
}

/**
 * Orders `stacks` by their references. References to stacks outside the list are ignored (they
 * must already be deployed); a cycle is an error naming its stacks.
 */
export function buildGraph(stacks: readonly string[], references: ReadonlyMap<string, readonly string[]>): StackGraph {
    const upstream = new Map(
        stacks.map((s) => [s, [...new Set((references.get(s) ?? []).map(referencedStack))].filter((u) => stacks.includes(u) && u !== s)]),
    );
    const levels: string[][] = [];
    const placed = new Set<string>();
    while (placed.size < stacks.length) {
        const ready = stacks.filter((s) => !placed.has(s) && upstream.get(s)!.every((u) => placed.has(u)));
        if (ready.length === 0) {
            const cycle = stacks.filter((s) => !placed.has(s));
            throw new Error(
                `The stacks ${cycle.join(", ")} reference each other in a cycle; break it with deterministic names or a feedback reference.`,
            );
        }
        ready.forEach((s) => placed.add(s));
        levels.push(ready);
    }
    return { levels, upstream };
}

/**
 * The named stacks and every stack they read through StackReferences, transitively: a stack runs
 * only with its upstream stacks' exports, so asking for `dev` alone must bring in `research`.
 */
export async function withUpstream(named: readonly string[], upstreamOf: (stack: string) => Promise<readonly string[]>): Promise<string[]> {
    const stacks: string[] = [];
    const pending = [...named];
    while (pending.length > 0) {
        const stack = pending.shift()!;
        if (stacks.includes(stack)) continue;
        stacks.push(stack);
        pending.push(...(await upstreamOf(stack)).map(referencedStack));
    }
    return stacks;
}

/**
 * What each stack reads, as its stack file declares it (lib/contracts/references.ts), with each
 * configuration parsed by its program's own parser: the live orchestrator learns the stack graph
 * without running any program, and a stack file the program would refuse stops it here.
 */
export function declaredReads(configs: readonly StackConfig[]): Map<string, StackReads> {
    return new Map(configs.map((config) => [config.stack, stacksRead(config)]));
}
