/**
 * Stack runs kept in the plan's cache (proof/cache/planCache.ts). A run is decided by the program's
 * sources, the stack, its configuration, the stack files (a bootstrap program reads them all), the
 * stack names a configuration may name, and the outputs of the stacks it reads: those are only
 * known once it has run: the stacks it read are kept under its other inputs, and the run itself
 * under those inputs and how each stack read is answered (its outputs, whether it exists), so a
 * kept run is used only while each read is answered as it was.
 */
import * as fs from "fs";
import * as path from "path";
import { RawConfig } from "../../lib/config/reader";
import { listStackFiles } from "../../lib/config/stackFile";
import { StackRun } from "../runtime/runStack";
import { PlanCache, digest } from "./planCache";

/** What a stack run depends on besides the stacks it reads. */
export interface RunInputs {
    readonly stack: string;
    readonly config: RawConfig;
    /** Where the stack files are, and a digest of them. */
    readonly projectDir: string;
    readonly stackFiles: string;
    /** The stack names known besides the stack files (created or with outputs), as the workspace gives them. */
    readonly names: string;
}

/** How the simulated backend answers a StackReference to a stack now. */
export interface StackRead {
    readonly outputs?: Record<string, unknown>;
    readonly created: boolean;
}

/** Under a run's inputs: the stacks its runs read, one list per variant kept (usually one). */
interface RunIndex {
    readonly reads: readonly (readonly string[])[];
}

/** The stack files of a folder, names and contents, as one digest. */
export function stackFilesDigest(projectDir: string): string {
    return digest(
        ...listStackFiles(projectDir).flatMap((stack) => [stack, fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")]),
    );
}

const outputDigests = new WeakMap<object, string>();
/** How a stack read is answered, as a digest: its outputs (or none), and whether it exists. */
function readAnswer({ outputs, created }: StackRead): string {
    if (!outputs) return `none, ${created ? "created" : "unknown"}`;
    let known = outputDigests.get(outputs);
    if (!known) outputDigests.set(outputs, (known = digest(JSON.stringify(outputs))));
    return `${known}, ${created ? "created" : "unknown"}`;
}

export class RunCache {
    constructor(private readonly cache: PlanCache) {}

    /** The key of a run's inputs besides what it reads. */
    key(inputs: RunInputs): string {
        return digest(this.cache.sources("runs"), JSON.stringify(inputs));
    }

    /** The key of a run: its inputs, and each stack it read as the backend answers now (outputs, existence). */
    private runKey(key: string, reads: readonly string[], readOf: (name: string) => StackRead): string {
        return digest(key, ...reads.flatMap((name) => [name, readAnswer(readOf(name))]));
    }

    /**
     * The run kept for these inputs whose reads the backend answers the same now, with the stacks it
     * read; undefined if none (a run of the same inputs against other upstream outputs is kept beside it).
     */
    lookup(key: string, readOf: (name: string) => StackRead): { run: StackRun; reads: readonly string[] } | undefined {
        const index = this.cache.read<RunIndex>("runs", key);
        if (!index) return undefined;
        for (const reads of index.reads) {
            const run = this.cache.peek<StackRun>("runs", this.runKey(key, reads, readOf));
            if (run) return { run, reads };
        }
        this.cache.missed("runs");
        return undefined;
    }

    keep(key: string, run: StackRun, reads: ReadonlyMap<string, StackRead>): void {
        const names = [...reads.keys()];
        this.cache.write(
            "runs",
            this.runKey(key, names, (name) => reads.get(name)!),
            run,
        );
        const known = this.cache.peek<RunIndex>("runs", key)?.reads ?? [];
        if (!known.some((r) => JSON.stringify(r) === JSON.stringify(names))) this.cache.write("runs", key, { reads: [...known, names] });
    }
}
