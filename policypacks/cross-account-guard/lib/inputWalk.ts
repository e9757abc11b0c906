/**
 * Every string of a resource's inputs, with the field that holds it: for rules that look for a
 * pattern in any field (secret-shaped values, account IDs). JSON held in a string (ECS container
 * definitions, Batch job properties, a provider's lists) is parsed and walked as what it holds.
 */
import { parseJson } from "./values";
import { documentFieldsOf } from "./iam/documentFields";

/**
 * Called for each string: `field` is the name of the property that holds it (a list's name for
 * its items), `path` the properties from the top (shared and reused: copy it to keep it).
 */
export type StringVisitor = (field: string, text: string, path: readonly string[]) => void;

/** Deep enough for any provider schema (SageMaker monitoring schedules nest about 8 levels). */
const MAX_DEPTH = 24;

/**
 * Fields not walked: the policy documents of the type (lib/iam/documentFields.ts lists them; the
 * IAM rules judge them), and a dynamic provider's serialised code (`__provider`, JavaScript, not
 * configuration). Paths are dotted from the top, list items adding no segment
 * (`inlinePolicies.policy`).
 */
export function skippedFieldsOf(type: string): ReadonlySet<string> {
    const documents = documentFieldsOf(type).map((f) => f.field.replace("[]", ""));
    return new Set(["__provider", ...documents]);
}

/** Visits every string of `inputs` outside the skipped fields (top-level names or `parent.child` paths). */
export function eachString(inputs: Readonly<Record<string, unknown>>, skipped: ReadonlySet<string>, visit: StringVisitor): void {
    const path: string[] = [];
    walkObject(inputs, "", skipped, visit, path, 0);
}

function walk(value: unknown, field: string, skipped: ReadonlySet<string>, visit: StringVisitor, path: string[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    if (typeof value === "string") {
        const first = value.trimStart()[0];
        const parsed = first === "{" || first === "[" ? parseJson(value) : undefined;
        if (parsed !== null && typeof parsed === "object") walk(parsed, field, skipped, visit, path, depth + 1);
        else visit(field, value, path);
    } else if (Array.isArray(value)) {
        for (const item of value) walk(item, field, skipped, visit, path, depth + 1);
    } else if (value !== null && typeof value === "object") {
        walkObject(value as Record<string, unknown>, field, skipped, visit, path, depth + 1);
    }
}

function walkObject(
    object: Readonly<Record<string, unknown>>,
    parent: string,
    skipped: ReadonlySet<string>,
    visit: StringVisitor,
    path: string[],
    depth: number,
): void {
    for (const key of Object.keys(object)) {
        // Only the first two levels can be skipped (`policy`, `inlinePolicies.policy`).
        if (path.length === 0 ? skipped.has(key) : path.length === 1 && skipped.has(`${parent}.${key}`)) continue;
        path.push(key);
        walk(object[key], key, skipped, visit, path, depth);
        path.pop();
    }
}
