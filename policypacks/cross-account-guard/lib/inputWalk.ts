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

/** Called for each object or list (JSON text parsed) with the property that holds it, before its contents. */
export type ContainerVisitor = (field: string, value: object, path: readonly string[]) => void;

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

interface Walk {
    readonly skipped: ReadonlySet<string>;
    readonly visit: StringVisitor;
    readonly container?: ContainerVisitor;
    readonly path: string[];
}

/**
 * Visits every string of `inputs` outside the skipped fields (top-level names or `parent.child`
 * paths), and each object or list if `container` is given: one pass serves both.
 */
export function eachString(
    inputs: Readonly<Record<string, unknown>>,
    skipped: ReadonlySet<string>,
    visit: StringVisitor,
    container?: ContainerVisitor,
): void {
    walkObject(inputs, "", { skipped, visit, container, path: [] }, 0);
}

/** Whether a string holds JSON (an object or a list), by its first character: asked of every string. */
function holdsJson(text: string): boolean {
    const first = text.charCodeAt(0);
    return first === 123 || first === 91 || (first <= 32 && /^\s*[[{]/.test(text));
}

/** Walks a value held by `field`; a list's items are held by the list's field, but are not containers of it. */
function walk(value: unknown, field: string, w: Walk, depth: number, item = false): void {
    if (depth > MAX_DEPTH) return;
    if (typeof value === "string") {
        const parsed = holdsJson(value) ? parseJson(value) : undefined;
        if (parsed !== null && typeof parsed === "object") walk(parsed, field, w, depth + 1, item);
        else w.visit(field, value, w.path);
        return;
    }
    if (value === null || typeof value !== "object") return;
    if (!item) w.container?.(field, value, w.path);
    if (Array.isArray(value)) for (const element of value) walk(element, field, w, depth + 1, true);
    else walkObject(value as Record<string, unknown>, field, w, depth + 1);
}

function walkObject(object: Readonly<Record<string, unknown>>, parent: string, w: Walk, depth: number): void {
    for (const key of Object.keys(object)) {
        // Only the first two levels can be skipped (`policy`, `inlinePolicies.policy`).
        if (w.path.length === 0 ? w.skipped.has(key) : w.path.length === 1 && w.skipped.has(`${parent}.${key}`)) continue;
        w.path.push(key);
        walk(object[key], key, w, depth);
        w.path.pop();
    }
}
