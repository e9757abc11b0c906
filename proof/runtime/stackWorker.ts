/**
 * Stack runs in worker processes (proof/runtime/workerPool.ts): one run at a time per worker, each
 * with its own Pulumi runtime, so that an environment's stacks run on every core. A run answers
 * exactly as {@link runStack} in the parent would, with the stacks it read.
 */
import { RawConfig } from "../../lib/config/reader";
import { RecordedResource, StackRun, StackRunError, program, runStack } from "./runStack";
import { planWorkers } from "./workerPool";

export interface StackTask {
    readonly stack: string;
    readonly config: RawConfig;
    readonly stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
    readonly createdStacks: ReadonlySet<string>;
    readonly projectDir?: string;
}

/** A run, or the program's failure with what it had registered; and the stacks it read, by fully qualified name. */
export type StackTaskResult = { readonly reads: readonly string[] } & (
    | { readonly run: StackRun }
    | {
          readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
          readonly resources: RecordedResource[];
      }
);

/** In the worker: runs the stack as the parent would have. */
export async function handle(task: StackTask): Promise<StackTaskResult> {
    const reads: string[] = [];
    try {
        const run = await runStack(task.stack, { ...task, onStackRead: (name) => reads.push(name) });
        return { reads, run };
    } catch (err) {
        if (!(err instanceof StackRunError)) throw err;
        const { name, message, stack } = err.cause;
        return { reads, error: { name, message, stack }, resources: err.resources };
    }
}

/** In the worker, before its first run: loads (and compiles) the stack programs. */
export function warm(): void {
    program();
}

/** In the parent: a stack run in a worker, with what it read; a program's failure is the {@link StackRunError} runStack throws. */
export async function runStackInWorker(task: StackTask): Promise<{ run: StackRun; reads: readonly string[] }> {
    const result = await planWorkers().run<StackTask, StackTaskResult>(__filename, task);
    if ("run" in result) return result;
    const cause = Object.assign(new Error(result.error.message), result.error);
    throw new StackRunError(task.stack, cause, result.resources);
}

/** Starts every worker, loading the program, while a run goes on (a worker's start failing shows on its first run). */
export function warmStackWorkers(): void {
    planWorkers()
        .warm(__filename)
        .catch(() => undefined);
}
