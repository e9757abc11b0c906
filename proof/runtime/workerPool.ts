/**
 * A pool of worker processes answering tasks one at a time each, a task naming the module whose
 * `handle` answers it (loaded once per worker): how the offline plan uses more than one core. A worker has its own Pulumi runtime, so stack runs in
 * different workers overlap safely (in one process they may not: proof/runtime/runStack.ts).
 * Processes, not worker threads: Pulumi serializes a dynamic provider through the inspector, which
 * a worker thread does not offer ("Trace events are unavailable"). Workers start on the first
 * tasks, do not keep this process alive while idle, and end with it.
 */
import { ChildProcess, spawn } from "child_process";
import * as os from "os";
import * as path from "path";

/** The number of workers that uses every core this process may use. */
export function coreCount(): number {
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** What a worker's module exports: the answer to one task (structured-clonable both ways). */
export type TaskHandler<Task, Result> = (task: Task) => Promise<Result>;

type Reply<Result> =
    | { readonly id: number; readonly result: Result }
    | { readonly id: number; readonly error: { name: string; message: string; stack?: string } };

interface Pending {
    readonly id: number;
    readonly module: string;
    readonly task: unknown;
    readonly resolve: (result: any) => void;
    readonly reject: (err: Error) => void;
}

/**
 * Node's flags for a worker: a larger young generation, since a stack run makes many short-lived
 * objects (about 15% less CPU time per run, about 50 MB more memory per worker).
 */
const WORKER_FLAGS = ["--max-semi-space-size=32"];

/** The task that only loads a module ({@link WorkerPool.warm}). */
export const WARM_UP = "warm up";

const running = new Set<ChildProcess>();
process.on("exit", () => running.forEach((child) => child.kill()));

export class WorkerPool {
    private readonly idle: ChildProcess[] = [];
    private readonly busy = new Map<ChildProcess, Pending>();
    private readonly queue: Pending[] = [];
    private nextId = 0;
    private closed = false;

    constructor(readonly size: number) {
        if (!(size >= 1)) throw new Error(`a worker pool needs at least one worker, not ${size}`);
    }

    /** The worker processes' ids, for measuring them. */
    get pids(): number[] {
        return [...this.idle, ...this.busy.keys()].map((w) => w.pid!).filter((pid) => pid !== undefined);
    }

    /**
     * Answers a task with the `handle` of `module` (an absolute path; see {@link TaskHandler}) in
     * the first idle worker, starting one while fewer than `size` run.
     */
    run<Task, Result>(module: string, task: Task): Promise<Result> {
        if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
        return new Promise<Result>((resolve, reject) => {
            this.queue.push({ id: this.nextId++, module, task, resolve, reject });
            this.dispatch();
        });
    }

    /**
     * Starts every worker now, each loading `module` and calling its `warm` if it has one (not its
     * `handle`), so that the first tasks do not wait for a worker to start.
     */
    warm(module: string): Promise<void> {
        return Promise.all(Array.from({ length: this.size }, () => this.run(module, WARM_UP))).then(() => undefined);
    }

    /** Stops every worker; tasks not answered fail. */
    close(): void {
        this.closed = true;
        for (const pending of this.queue.splice(0)) pending.reject(new Error("the worker pool was closed"));
        for (const [worker, pending] of this.busy) {
            pending.reject(new Error("the worker pool was closed"));
            worker.kill();
        }
        this.busy.clear();
        // An idle worker ends by itself once disconnected.
        for (const worker of this.idle.splice(0)) worker.disconnect();
    }

    private dispatch(): void {
        while (this.queue.length > 0) {
            if (this.idle.length === 0 && this.idle.length + this.busy.size < this.size) this.idle.push(this.startWorker());
            const worker = this.idle.pop();
            if (!worker) return;
            const pending = this.queue.shift()!;
            this.busy.set(worker, pending);
            // A busy worker keeps this process alive until it answers; an idle one does not.
            keepAlive(worker, true);
            worker.send({ id: pending.id, module: pending.module, task: pending.task });
        }
    }

    private startWorker(): ChildProcess {
        // Started as this process was: under ts-node (transpile only) for TypeScript, the worker's
        // main module a file, as Pulumi's closure serialization expects of a program.
        const main = path.join(__dirname, `workerMain${path.extname(__filename)}`);
        const preload = main.endsWith(".ts") ? ["-r", path.join(__dirname, "transpiled.js")] : [];
        const worker = spawn(process.execPath, [...WORKER_FLAGS, ...preload, main], {
            stdio: ["ignore", "inherit", "inherit", "ipc"],
            serialization: "advanced",
        });
        running.add(worker);
        worker.on("message", (reply: Reply<unknown>) => {
            const pending = this.busy.get(worker);
            if (!pending || pending.id !== reply.id) return;
            this.busy.delete(worker);
            keepAlive(worker, false);
            this.idle.push(worker);
            if ("error" in reply) pending.reject(Object.assign(new Error(reply.error.message), reply.error));
            else pending.resolve(reply.result);
            this.dispatch();
        });
        let gone = false;
        const lost = (err: Error) => {
            if (gone) return;
            gone = true;
            running.delete(worker);
            const index = this.idle.indexOf(worker);
            if (index >= 0) this.idle.splice(index, 1);
            const pending = this.busy.get(worker);
            this.busy.delete(worker);
            pending?.reject(err);
            if (!this.closed) this.dispatch();
        };
        worker.on("error", lost);
        worker.on("exit", (code, signal) => lost(new Error(`a worker process of the plan exited (${signal ?? `code ${code}`})`)));
        return worker;
    }
}

function keepAlive(worker: ChildProcess, alive: boolean): void {
    const channel = worker.channel as { ref(): void; unref(): void } | undefined;
    if (alive) {
        worker.ref();
        channel?.ref();
    } else {
        worker.unref();
        channel?.unref();
    }
}

let shared: WorkerPool | undefined;

/** The process's pool of workers, one per core (started on the first task; idle workers are kept). */
export function planWorkers(): WorkerPool {
    shared ??= new WorkerPool(coreCount());
    return shared;
}
