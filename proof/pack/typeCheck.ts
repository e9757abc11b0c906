/**
 * The engine starts a policy pack through run-policy-pack, which registers ts-node with
 * `typeCheck: true`: every file the pack loads is type-checked, about 3.6 s of the 5.9 s of CPU a
 * start takes here. The verdict depends only on the pack's sources and the toolchain that checks
 * them, so a start that has type-checked exactly these sources with exactly these dependencies is
 * remembered (a marker file in .cache/plan/pack-type-check/, named by a digest of them), and later
 * starts of the same content transpile only (transpileOnlyPack.js): 1.1 s instead of 4.0 s. Any
 * change to a file of the pack, to its dependencies (package-lock.json) or to the toolchain's
 * versions is another digest, so it is type-checked again; a pack that fails its type-check fails
 * to start, as under the engine, and nothing is remembered.
 */
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomicSync } from "../../ops/atomicFile";
import { PROJECT_DIR } from "../../ops/project";
import { CACHE_DIR, PACK_TYPE_CHECK_FOLDER, digest, sourcesDigest } from "../cache/planCache";

export const MARKERS_DIR = path.join(CACHE_DIR, PACK_TYPE_CHECK_FOLDER);

/** The preload that registers the pack transpiling only. */
export const TRANSPILE_ONLY_PACK = path.join(__dirname, "transpileOnlyPack.js");

/** What decides whether the pack in `packDir` passes run-policy-pack's type-check, as a digest. */
export function typeCheckKey(packDir: string): string {
    const version = (name: string) => require(`${name}/package.json`).version as string;
    return digest(
        // Every file of the pack but its node_modules: sources, tsconfig.json, package.json, PulumiPolicy.yaml.
        sourcesDigest(packDir, ["."]),
        // The types it is checked against: the installed dependencies, the project's and the pack's own.
        sourcesDigest(PROJECT_DIR, ["package-lock.json"]),
        sourcesDigest(packDir, ["package-lock.json"]),
        // The checker and how run-policy-pack registers it.
        version("typescript"),
        version("ts-node"),
        version("@pulumi/pulumi"),
    );
}

const marker = (key: string) => path.join(MARKERS_DIR, key);

/** Whether a start has type-checked the content `key` names, and passed. */
export function typeCheckPassed(key: string): boolean {
    try {
        // Recently used: the cache's pruning removes the markers least recently used first.
        const now = new Date();
        fs.utimesSync(marker(key), now, now);
        return true;
    } catch {
        return false;
    }
}

/** Remembers that the content `key` names passed the type-check (a start that type-checked it is listening). */
export function rememberTypeCheckPassed(key: string): void {
    try {
        writeFileAtomicSync(marker(key), `${new Date().toISOString()}\n`);
    } catch {
        // Not remembered: type-checked again next time.
    }
}
