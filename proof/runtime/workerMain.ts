/**
 * A worker process of proof/runtime/workerPool.ts: answers each task its parent sends with the
 * `handle` of the module the task names (each module loaded once; the warm-up task only loads it
 * and calls its `warm`); ends when the parent goes.
 */
import { WARM_UP } from "./workerPool";

/** What a task's module exports: `handle` answers a task; `warm`, if there is one, loads what the tasks will need. */
interface TaskModule {
    handle(task: unknown): Promise<unknown>;
    warm?(): void | Promise<void>;
}

function moduleOf(file: string): TaskModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as TaskModule;
}

process.on("disconnect", () => process.exit(0));
process.on("message", ({ id, module, task }: { id: number; module: string; task: unknown }) =>
    Promise.resolve()
        .then(() => (task === WARM_UP ? moduleOf(module).warm?.() : moduleOf(module).handle(task)))
        .then(
            (result) => process.send!({ id, result }),
            (err: Error) =>
                process.send!({ id, error: { name: String(err?.name), message: String(err?.message ?? err), stack: err?.stack } }),
        ),
);
