/** Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { RawConfig } from "../lib/config/reader";
import { PROJECT } from "../lib/naming";

/** The project's root directory, where the stack files are. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * Flattens a stack file's `config:` into Pulumi's runtime form: fully qualified keys, string values,
 * lists and maps as JSON (as `pulumi config` stores them for a program).
 */
export function toRawConfig(doc: { config?: Record<string, unknown> }): RawConfig {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        raw[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}

export function readStackConfig(stack: string, dir = PROJECT_DIR): RawConfig {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    return toRawConfig(yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> });
}

/** The stacks that have a stack file in the project. */
export function listStacks(dir = PROJECT_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}
