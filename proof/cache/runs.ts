/**
 * Stack runs kept in the plan's cache (proof/cache/planCache.ts). A run is decided by the program's
 * sources, the stack, its configuration, what it reads of the stack files ({@link stackFilesOf}), the
 * stack names a configuration may name, and the outputs of the stacks it reads: those are only
 * known once it has run: the stacks it read are kept under its other inputs, and the run itself
 * under those inputs and how each stack read is answered (its outputs, whether it exists), so a
 * kept run is used only while each read is answered as it was.
 */
import * as fs from "fs";
import * as path from "path";
import { RawConfig } from "../../lib/config/reader";
import { listStackFiles } from "../../lib/config/stackFile";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { BOOTSTRAP_PROGRAM } from "../../lib/config/deploymentConfig";
import { PROJECT } from "../../lib/naming";
import { StackRun } from "../runtime/runStack";
import { PlanCache, digest } from "./planCache";

/** What a stack run depends on besides the stacks it reads. */
export interface RunInputs {
    readonly stack: string;
    readonly config: RawConfig;
    /** Where the stack files are, and a digest of what the run reads of them ({@link stackFilesOf}). */
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

/**
 * What a run reads of the folder's stack files, as a digest, by program: a bootstrap program reads
 * every stack file whole (its deployment role's scope, lib/deployment/scope.ts); every other
 * program reads only each stack's summary (its program, account and whether it requires an
 * external ID, lib/config/projectStacks.ts), to check the stacks its configuration names.
 */
export function stackFilesDigests(projectDir: string): { readonly whole: string; readonly summaries: string } {
    const stacks = listStackFiles(projectDir);
    return {
        whole: digest(...stacks.flatMap((stack) => [stack, fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8")])),
        summaries: digest(JSON.stringify([...readProjectStacks(projectDir)])),
    };
}

/** The digest of the stack files a stack's run depends on, by the program its configuration selects. */
export function stackFilesOf(config: RawConfig, digests: ReturnType<typeof stackFilesDigests>): string {
    return config[`${PROJECT}:program`] === BOOTSTRAP_PROGRAM ? digests.whole : digests.summaries;
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

    async keep(key: string, run: StackRun, reads: ReadonlyMap<string, StackRead>): Promise<void> {
        const names = [...reads.keys()];
        // The run first: an index naming reads whose run is not written yet is a miss, not an error.
        await this.cache.write(
            "runs",
            this.runKey(key, names, (name) => reads.get(name)!),
            run,
        );
        const known = this.cache.peek<RunIndex>("runs", key)?.reads ?? [];
        if (!known.some((r) => JSON.stringify(r) === JSON.stringify(names)))
            await this.cache.write("runs", key, { reads: [...known, names] });
    }
}
