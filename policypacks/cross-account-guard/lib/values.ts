/**
 * Reading resource inputs whatever their spelling. The engine hands analyzers the inputs as the
 * program wrote them (after the provider's Check): a boolean may be `"true"`, a list a JSON string
 * (providers send their lists that way), an enum in any case, a one-block object a list of one,
 * and an absent field means AWS's default. Rules that judge what a resource means read through
 * these helpers rather than comparing raw values, so a new spelling cannot slip past them.
 */

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** `true`/`"true"` (any case, spaces around) is true, `false`/`"false"` false; anything else, absent included, undefined. */
export function booleanOf(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value !== "string") return undefined;
    const text = value.trim().toLowerCase();
    return text === "true" ? true : text === "false" ? false : undefined;
}

/** A number, or a string of one (`"365"`); undefined otherwise. */
export function numberOf(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string" || value.trim() === "") return undefined;
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
}

/** A list: an array, the array a JSON string holds, or a single value as a list of one; absent or `""` is empty. */
export function listOf(value: unknown): readonly unknown[] {
    if (Array.isArray(value)) return value;
    if (value === undefined || value === null) return [];
    if (typeof value !== "string") return [value];
    const text = value.trim();
    if (text === "") return [];
    const parsed = text.startsWith("[") ? parseJson(text) : undefined;
    return Array.isArray(parsed) ? parsed : [value];
}

/** The non-blank strings of a list: `[""]` or `"[]"` names no subnet. */
export function stringsOf(value: unknown): string[] {
    return listOf(value).filter((v): v is string => typeof v === "string" && v.trim() !== "");
}

/** An object: itself, the object a JSON string holds, or the first of a list of objects (a one-block list). */
export function objectOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
    const candidate = typeof value === "string" && value.trim().startsWith("{") ? parseJson(value) : value;
    if (Array.isArray(candidate)) return objectOf(candidate[0]);
    return candidate !== null && typeof candidate === "object" ? (candidate as Record<string, unknown>) : undefined;
}

/** Whether an enum value is one of the names, ignoring case and surrounding spaces (AWS's own comparison for these enums varies). */
export function enumIs(value: unknown, ...names: readonly string[]): boolean {
    if (typeof value !== "string") return false;
    const text = value.trim().toLowerCase();
    return names.some((n) => n.toLowerCase() === text);
}

/** An input by name, untyped: for fields `PropsByType` does not declare, read defensively. */
export function inputOf(props: object, name: string): unknown {
    return (props as Readonly<Record<string, unknown>>)[name];
}

/**
 * The inputs behind @pulumi/policy's unknown-checking proxy (proxy.js hands its target back under
 * this key). A rule that reads every field reads the target: through the proxy the first value
 * unknown during preview (any computed ID) would stop the rule with a "can't run during preview"
 * notice for the whole resource, and each field read would allocate a proxy. Unknown values are
 * then the framework's sentinel strings, which match none of the rules' patterns; the update's
 * analysis, with values known, judges them.
 */
export function rawInputs(props: object): Readonly<Record<string, unknown>> {
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    return (target !== null && typeof target === "object" ? target : props) as Readonly<Record<string, unknown>>;
}
