/**
 * Runtime checks of what another stack exported. TypeScript's types stop where a value crosses
 * from one stack to another (a StackReference, the backend's outputs, a run under mocks): what
 * arrives is whatever that stack's program, at whatever version, exported. So each contract pairs
 * its interface with one check per field (`Fields`, which the compiler keeps in step with the
 * interface), and a value that does not fit is reported by stack and export, not cast and used.
 */

/** Checks one value found at `at` (e.g. `rekognition.consumers[0].accessRoleArn`); throws a `Mismatch`. */
export interface Check<T> {
    (value: unknown, at: string): T;
    /** The field may be absent: the program exports it only when a capability is configured. */
    readonly optional?: true;
}

/** One check for every field of T: a field missing from either side is a compile error. */
export type Fields<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/** A value that does not fit its contract: where it was found, and what was expected there. */
export class Mismatch extends Error {
    constructor(
        readonly at: string,
        readonly expected: string,
        readonly found: unknown,
    ) {
        super(`${at} is ${shown(found)}; expected ${expected}`);
        this.name = "Mismatch";
    }
}

function shown(value: unknown): string {
    if (value === undefined) return "missing";
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

const isMap = (value: unknown): value is Readonly<Record<string, unknown>> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

function primitive<T>(expected: string, fits: (value: unknown) => value is T): Check<T> {
    return (value, at) => {
        if (fits(value)) return value;
        throw new Mismatch(at, expected, value);
    };
}

export const text = primitive("a string", (v): v is string => typeof v === "string");
export const flag = primitive("true or false", (v): v is boolean => typeof v === "boolean");

export function listOf<T>(item: Check<T>): Check<readonly T[]> {
    return (value, at) => {
        if (!Array.isArray(value)) throw new Mismatch(at, "a list", value);
        return value.map((v, i) => item(v, `${at}[${i}]`));
    };
}

export function mapOf<T>(item: Check<T>): Check<Readonly<Record<string, T>>> {
    return (value, at) => {
        if (!isMap(value)) throw new Mismatch(at, "a map", value);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, item(v, `${at}.${k}`)]));
    };
}

/** Absent (undefined, or null as JSON has it) or fitting `check`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
    const absentOr = (value: unknown, at: string) => (value === undefined || value === null ? undefined : check(value, at));
    return Object.assign(absentOr, { optional: true as const });
}

/**
 * The fields of T, each checked, from a map; fields not in the contract are left out (a newer
 * program may export more).
 */
function fieldsOf<T>(fields: Fields<T>, value: Readonly<Record<string, unknown>>, prefix: string): T {
    const entries = Object.entries<Check<unknown>>(fields).flatMap(([name, check]) => {
        const checked = check(value[name], `${prefix}${name}`);
        return checked === undefined ? [] : [[name, checked] as const];
    });
    // The one place a contract's type is asserted: every field of T was checked just above.
    return Object.fromEntries(entries) as T;
}

export function shapeOf<T>(fields: Fields<T>): Check<T> {
    return (value, at) => {
        if (!isMap(value)) throw new Mismatch(at, "a map", value);
        return fieldsOf(fields, value, `${at}.`);
    };
}

/** The names of a contract's exports: what a StackReference must ask for. */
export function exportNames<T>(fields: Fields<T>): string[] {
    return Object.keys(fields);
}

/** Thrown when a stack's exports do not fit the contract its reader expects. */
export class ExportsError extends Error {
    constructor(
        readonly stack: string,
        message: string,
    ) {
        super(message);
        this.name = "ExportsError";
    }
}

/**
 * A stack's exports checked against a contract. Names every missing export at once (a stack
 * not deployed yet has none), else the first that does not fit; `hint` says what to do about it.
 */
export function checkExports<T>(fields: Fields<T>, stack: string, outputs: Readonly<Record<string, unknown>>, hint: string): T {
    const missing = Object.entries<Check<unknown>>(fields)
        .filter(([name, check]) => !check.optional && outputs[name] === undefined)
        .map(([name]) => name);
    if (missing.length > 0) throw new ExportsError(stack, `Stack ${stack} has no output ${missing.join(", ")}. ${hint}`);
    try {
        return fieldsOf(fields, outputs, "");
    } catch (err) {
        if (!(err instanceof Mismatch)) throw err;
        throw new ExportsError(stack, `Stack ${stack} exports ${err.message}. ${hint}`);
    }
}

/** One export of a stack, checked: for readers that need a single value. */
export function checkExport<T, K extends keyof T & string>(
    fields: Fields<T>,
    stack: string,
    outputs: Readonly<Record<string, unknown>>,
    name: K,
    hint: string,
): T[K] {
    try {
        return fields[name](outputs[name], name);
    } catch (err) {
        if (!(err instanceof Mismatch)) throw err;
        throw new ExportsError(stack, `Stack ${stack} exports ${err.message}. ${hint}`);
    }
}

/** An export the stack has whenever its configuration enables the capability, or an error saying so. */
export function requireExport<T, K extends keyof T & string>(stack: string, exports: T, name: K, because: string): NonNullable<T[K]> {
    const value = exports[name];
    if (value === undefined || value === null)
        throw new ExportsError(
            stack,
            `Stack ${stack} has no output ${name}, though ${because}. Deploy it again (pulumi up -s ${stack.split("/").pop()}).`,
        );
    return value;
}
