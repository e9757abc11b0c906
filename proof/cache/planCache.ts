/**
 * The plan's cache: results kept by a content hash of everything that decides them, so that a plan
 * after a small change redoes only what the change reaches. Three kinds:
 * - stack runs (proof/runtime/runEnvironment.ts): the program's and the simulation's sources, the
 *   stack, its configuration, the stack files, the stack names known; and, checked on every use,
 *   the outputs of each stack the run read through a StackReference;
 * - the policy pack's analyses (proof/plan/plan.ts): the pack's sources and the code that speaks
 *   to it, the pack's configuration, and the resources as the engine would send them;
 * - the access proof's decisions (proof/access/simulator.ts): the simulator's sources and the whole
 *   query, every policy's text included.
 * Any change to any of these is a different key, so nothing is served stale; an entry is written
 * to a temporary file and renamed (ops/atomicFile.ts), so a crash leaves no half entry. Kept in
 * .cache/plan/ (git-ignored), the least recently used entries removed past a bound.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import { writeFileAtomicAsync } from "../../ops/atomicFile";
import { PROJECT_DIR } from "../../ops/project";

export const CACHE_DIR = path.join(PROJECT_DIR, ".cache", "plan");

/** What each kind of entry depends on besides its own inputs: files and folders of the project. */
export const SOURCES = {
    /** The deployed program, the mock runtime and simulated AWS it runs on, and how runs are kept. */
    runs: ["index.ts", "stacks", "components", "lib", "proof/runtime", "proof/cache", "Pulumi.yaml", "tsconfig.json", "package-lock.json"],
    /** The pack, how the engine's requests are made and answered, and how analyses are kept. */
    analyses: [
        "policypacks/cross-account-guard",
        "proof/pack/policyEngine.ts",
        "proof/pack/analyzedResources.ts",
        "proof/pack/plugin.ts",
        "proof/pack/typeCheck.ts",
        "proof/pack/transpileOnlyPack.js",
        "proof/runtime/compileCache.js",
        "proof/plan/analyses.ts",
        "proof/cache",
        "package-lock.json",
    ],
    /** The simulator, its binding, and how decisions are kept. */
    decisions: ["proof/access/simulator.ts", "proof/access/decisions.ts", "proof/cache", "package-lock.json"],
} as const;

export type CacheKind = keyof typeof SOURCES;

/** Entries kept per kind; the least recently used go first. */
const LIMITS: Record<CacheKind, number> = { runs: 2000, analyses: 2000, decisions: 50 };
const TRANSPILED_LIMIT = 2000;
/** The folder of the pack's type-check markers (proof/pack/typeCheck.ts): one per pack content checked. */
export const PACK_TYPE_CHECK_FOLDER = "pack-type-check";
const PACK_TYPE_CHECK_LIMIT = 100;

/** A digest of text parts, for keys. */
export function digest(...parts: readonly string[]): string {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(`${part.length}:`).update(part);
    return hash.digest("base64url");
}

/** Every file under the given project paths (folders walked, node_modules and dot entries skipped), sorted. */
function filesUnder(root: string, entries: readonly string[]): string[] {
    const files: string[] = [];
    const walk = (relative: string) => {
        const full = path.join(root, relative);
        let stat: fs.Stats;
        try {
            stat = fs.statSync(full);
        } catch {
            files.push(relative); // absent: part of the digest as such
            return;
        }
        if (!stat.isDirectory()) return void files.push(relative);
        for (const name of fs.readdirSync(full)) {
            if (name === "node_modules" || name.startsWith(".")) continue;
            walk(path.join(relative, name));
        }
    };
    entries.forEach(walk);
    return files.sort();
}

/** A digest of the files' names and contents, and of the Node.js version that runs them. */
export function sourcesDigest(root: string, entries: readonly string[]): string {
    const hash = createHash("sha256").update(process.version);
    for (const file of filesUnder(root, entries)) {
        hash.update(`\0${file}\0`);
        try {
            hash.update(fs.readFileSync(path.join(root, file)));
        } catch {
            hash.update("\0absent");
        }
    }
    return hash.digest("base64url");
}

export interface PlanCacheOptions {
    /** Where entries are kept (default: .cache/plan/ of the project). */
    readonly dir?: string;
    /** Where the sources of {@link SOURCES} are read (default: the project). */
    readonly sourceDir?: string;
}

/** Hits and misses per kind, since the cache was opened. */
export type CacheStats = Record<CacheKind, { hits: number; misses: number }>;

export class PlanCache {
    readonly dir: string;
    readonly stats: CacheStats = { runs: { hits: 0, misses: 0 }, analyses: { hits: 0, misses: 0 }, decisions: { hits: 0, misses: 0 } };
    private readonly sourceDir: string;
    private readonly digests = new Map<CacheKind, string>();
    private readonly written: [CacheKind, string][] = [];

    constructor(options: PlanCacheOptions = {}) {
        this.dir = options.dir ?? CACHE_DIR;
        this.sourceDir = options.sourceDir ?? PROJECT_DIR;
    }

    /**
     * The digest of a kind's sources, read once per cache: a plan loads its code once, so a source
     * changed while it runs is seen by the next plan ({@link sourcesChanged} tells whether to keep
     * what this one found).
     */
    sources(kind: CacheKind): string {
        if (!this.digests.has(kind)) this.digests.set(kind, sourcesDigest(this.sourceDir, SOURCES[kind]));
        return this.digests.get(kind)!;
    }

    /** Whether a kind's sources changed since this cache first read them. */
    sourcesChanged(kind: CacheKind): boolean {
        return this.digests.has(kind) && sourcesDigest(this.sourceDir, SOURCES[kind]) !== this.digests.get(kind);
    }

    private file(kind: CacheKind, key: string): string {
        return path.join(this.dir, kind, `${key}.bin`);
    }

    /** The entry kept under `key`, or undefined (also for one that cannot be read: it is made again). */
    read<T>(kind: CacheKind, key: string): T | undefined {
        const file = this.file(kind, key);
        let value: T;
        try {
            value = v8.deserialize(fs.readFileSync(file)) as T;
        } catch {
            this.stats[kind].misses++;
            return undefined;
        }
        this.stats[kind].hits++;
        const now = new Date();
        fs.utimes(file, now, now, () => undefined); // recently used
        return value;
    }

    /** The entry kept under `key`, or undefined, counting neither a hit nor a miss (a part of an entry). */
    peek<T>(kind: CacheKind, key: string): T | undefined {
        try {
            return v8.deserialize(fs.readFileSync(this.file(kind, key))) as T;
        } catch {
            return undefined;
        }
    }

    /** Counts a miss that was decided without reading a file (an entry found but no longer valid). */
    missed(kind: CacheKind): void {
        this.stats[kind].hits--;
        this.stats[kind].misses++;
    }

    /** Keeps an entry; resolves once it is written (off the event loop: a plan writes hundreds, each fsynced). */
    async write(kind: CacheKind, key: string, value: unknown): Promise<void> {
        this.written.push([kind, key]);
        await writeFileAtomicAsync(this.file(kind, key), v8.serialize(value));
    }

    /**
     * Removes what this cache wrote for a kind whose sources changed while it was open: the
     * results were made by the code as it was, and are not kept under the sources as they are.
     * True if every kind's sources are as they were.
     */
    settle(): boolean {
        const changed = new Set((Object.keys(SOURCES) as CacheKind[]).filter((kind) => this.sourcesChanged(kind)));
        for (const [kind, key] of this.written) if (changed.has(kind)) fs.rmSync(this.file(kind, key), { force: true });
        this.written.length = 0;
        return changed.size === 0;
    }

    /** Counts hits and misses decided by the caller (the decisions of a store). */
    count(kind: CacheKind, hits: number, misses: number): void {
        this.stats[kind].hits += hits;
        this.stats[kind].misses += misses;
    }

    /**
     * A store of many small entries kept as one file, for the kind's sources as they are (the access
     * decisions: thousands per plan, too many for a file each). Empty if there is none.
     */
    readStore<T>(kind: CacheKind): Map<string, T> {
        try {
            return v8.deserialize(fs.readFileSync(this.file(kind, this.sources(kind)))) as Map<string, T>;
        } catch {
            return new Map();
        }
    }

    /** Replaces the kind's store, keeping its last `limit` entries (the most recently used last). */
    writeStore<T>(kind: CacheKind, store: Map<string, T>, limit = 200_000): Promise<void> {
        const entries = [...store];
        return this.write(kind, this.sources(kind), new Map(entries.slice(Math.max(0, entries.length - limit))));
    }

    /** Removes the least recently used entries of each kind past its bound. */
    prune(): void {
        const bounded: [string, string, number][] = [
            ...(Object.keys(LIMITS) as CacheKind[]).map((kind) => [kind, ".bin", LIMITS[kind]] as [string, string, number]),
            // The workers' compiled files (proof/runtime/transpiled.js): a file's old versions go first.
            ["transpiled", ".js", TRANSPILED_LIMIT],
            // The pack's type-check markers: the contents least recently started go first.
            [PACK_TYPE_CHECK_FOLDER, "", PACK_TYPE_CHECK_LIMIT],
        ];
        for (const [folder, extension, limit] of bounded) {
            const dir = path.join(this.dir, folder);
            let names: string[];
            try {
                names = fs.readdirSync(dir).filter((n) => n.endsWith(extension));
            } catch {
                continue;
            }
            if (names.length <= limit) continue;
            const used = names.map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
            for (const { n } of used.slice(limit)) fs.rmSync(path.join(dir, n), { force: true });
        }
    }
}
