/**
 * A worker process of proof/runtime/workerPool.ts: answers each task its parent sends with the
 * `handle` of the module the task names (each module loaded once); ends when the parent goes.
 */
type Handle = (task: unknown) => Promise<unknown>;
const handlers = new Map<string, Handle>();

function handlerOf(module: string): Handle {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!handlers.has(module)) handlers.set(module, (require(module) as { handle: Handle }).handle);
    return handlers.get(module)!;
}

process.on("disconnect", () => process.exit(0));
process.on("message", ({ id, module, task }: { id: number; module: string; task: unknown }) =>
    Promise.resolve()
        .then(() => (task === "warm up" ? handlerOf(module) && undefined : handlerOf(module)(task)))
        .then(
            (result) => process.send!({ id, result }),
            (err: Error) =>
                process.send!({ id, error: { name: String(err?.name), message: String(err?.message ?? err), stack: err?.stack } }),
        ),
);
