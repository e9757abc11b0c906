/**
 * Reading `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program, for everything that
 * runs without the CLI (the offline plan, the tests, the scripts): fully qualified keys, string
 * values, lists and maps as JSON. A file that is not valid YAML, repeats a key or is empty is a
 * {@link ConfigError} naming the file and the line, like any other configuration problem.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ConfigError, ConfigIssue, stackFileName } from "./errors";
import { RawConfig } from "./reader";
import { OFFLINE_SECRET } from "./secret";
import { didYouMean } from "./suggest";
import { PROJECT } from "../naming";

/** The project's root directory, where Pulumi.yaml and the stack files are. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The fields of a stack file besides `config` (the Pulumi CLI's project stack settings). */
const STACK_FILE_FIELDS = ["config", "encryptionsalt", "secretsprovider", "encryptedkey", "environment"];
const REQUIRED = `aws:region, aws:allowedAccountIds and ${PROJECT}:program`;

/** The stacks that have a stack file in the project, sorted. */
export function listStackFiles(dir = PROJECT_DIR): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/** Reads a stack's file; a stack without one is a {@link ConfigError} listing the stacks there are. */
export function readStackFile(stack: string, dir = PROJECT_DIR): RawConfig {
    const file = path.join(dir, stackFileName(stack));
    if (!fs.existsSync(file)) {
        const stacks = listStackFiles(dir);
        throw new ConfigError(stackFileName(stack), [
            {
                key: "stack",
                message: `"${stack}" has no stack file in ${dir}; ${didYouMean(stack, stacks)}expected one of ${stacks.join(", ") || "(none)"}`,
            },
        ]);
    }
    return parseStackFile(stack, fs.readFileSync(file, "utf8"));
}

/** Parses a stack file's text into the configuration the program receives. */
export function parseStackFile(stack: string, text: string): RawConfig {
    const file = stackFileName(stack);
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: file });
    } catch (err) {
        if (err instanceof yaml.YAMLException) throw new ConfigError(file, [yamlIssue(err, text)]);
        throw err;
    }
    if (doc === undefined || doc === null) {
        throw new ConfigError(file, [
            { key: "config", message: `is missing: the file is empty; expected a map "config:" with at least ${REQUIRED}` },
        ]);
    }
    if (!isMap(doc) || !isMap(doc.config)) {
        const what = !isMap(doc) ? "the file is not a map" : doc.config === undefined ? "the file has no config:" : "config: is not a map";
        const typos = isMap(doc) ? Object.keys(doc).filter((k) => !STACK_FILE_FIELDS.includes(k)) : [];
        throw new ConfigError(file, [
            { key: "config", message: `is missing: ${what}; expected a map "config:" with at least ${REQUIRED}` },
            ...typos.map((k) => ({
                key: k,
                message: `is not a field of a stack file; ${didYouMean(k, STACK_FILE_FIELDS)}expected one of ${STACK_FILE_FIELDS.join(", ")}`,
            })),
        ]);
    }
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config)) {
        // As the CLI does: a key without a namespace belongs to the project.
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        const plain = withoutSecrets(value);
        raw[fullKey] = typeof plain === "string" ? plain : JSON.stringify(plain);
    }
    return raw;
}

/** The keys of a stack file read offline that hold an encrypted value, now the placeholder. */
export function encryptedKeys(raw: RawConfig): string[] {
    return Object.keys(raw).filter((k) => raw[k].includes(OFFLINE_SECRET));
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{secure: <ciphertext>}` anywhere in a value becomes the placeholder: only the CLI can decrypt it. */
function withoutSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutSecrets);
    if (!isMap(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure" && typeof value.secure === "string") return OFFLINE_SECRET;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}

/** A YAML error as a configuration problem: the line, what is wrong there, and the expected form. */
function yamlIssue(err: yaml.YAMLException, text: string): ConfigIssue {
    const line = err.mark.line + 1;
    if (err.reason === "duplicated mapping key") {
        const lines = text.split(/\r?\n/);
        const repeated = keyOfLine(lines[err.mark.line]);
        const first = repeated && firstDefinition(lines, err.mark.line, repeated);
        const name = repeated ? `the key "${repeated.name}"` : "a key";
        return {
            key: `line ${line}`,
            message: `repeats ${name}${first ? ` of line ${first}` : ""}; expected each key once in its map (YAML would keep only one of them)`,
        };
    }
    return {
        key: `line ${line}`,
        message: `is not valid YAML (${err.reason}, column ${err.mark.column + 1}); expected "key: value" lines indented with spaces, lists as "- item" or [a, b], maps as "key: value" lines or {a: b}`,
    };
}

/** The key a block mapping line defines, with its indentation. */
function keyOfLine(line: string | undefined): { indent: number; name: string } | undefined {
    // Keys may hold colons (aws:region): the key ends at the first colon followed by a space.
    const match = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#'"][^#]*?)\s*:(?:\s|$)/.exec(line ?? "");
    return match ? { indent: match[1].length, name: match[2].replace(/^["']|["']$/g, "") } : undefined;
}

/** The line (1-based) where a repeated key was first defined in the same map, searching upwards. */
function firstDefinition(lines: readonly string[], at: number, key: { indent: number; name: string }): number | undefined {
    for (let i = at - 1; i >= 0; i--) {
        if (lines[i].trim() === "" || lines[i].trim().startsWith("#")) continue;
        const other = keyOfLine(lines[i]);
        const indent = /^\s*/.exec(lines[i])![0].length;
        if (other && other.indent === key.indent && other.name === key.name) return i + 1;
        if (indent < key.indent) return undefined;
    }
    return undefined;
}
