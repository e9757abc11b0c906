import { IssueCollector } from "./errors";

/** A stack's configuration as Pulumi hands it to a program: fully qualified keys, string values (JSON for objects). */
export type RawConfig = Readonly<Record<string, string>>;

type Check = (value: string) => string | undefined;

/**
 * Typed access to a raw configuration map. Every getter records a problem in the collector instead
 * of throwing, and returns `undefined` for a missing or invalid value, so parsing can go on and
 * report every problem in one pass.
 */
export class ConfigReader {
    constructor(
        private readonly raw: RawConfig,
        readonly issues: IssueCollector,
    ) {}

    /** Whether a key is set at all. */
    has(key: string): boolean {
        return this.raw[key] !== undefined;
    }

    /** A required or optional string, checked by `check` when present. */
    string(key: string, opts: { required?: boolean; expected: string; check?: Check }): string | undefined {
        const value = this.raw[key];
        if (value === undefined || value === "") {
            if (opts.required) {
                this.issues.add(key, `is required; expected ${opts.expected}`);
            }
            return undefined;
        }
        return this.checked(key, value, opts.check);
    }

    /** A value that Pulumi stores as JSON (a YAML list or map in the stack file). */
    json(key: string, opts: { required?: boolean; expected: string }): unknown {
        const value = this.raw[key];
        if (value === undefined) {
            if (opts.required) {
                this.issues.add(key, `is required; expected ${opts.expected}`);
            }
            return undefined;
        }
        try {
            return JSON.parse(value);
        } catch {
            // A plain scalar in YAML arrives unquoted; treat it as the string it is.
            return value;
        }
    }

    /** A whole number within bounds. */
    integer(key: string, opts: { default: number; min: number; max: number }): number {
        const value = this.raw[key];
        if (value === undefined) {
            return opts.default;
        }
        return this.integerValue(key, value, opts) ?? opts.default;
    }

    /** A boolean, `default` when absent. */
    boolean(key: string, opts: { default: boolean }): boolean {
        const value = this.raw[key];
        return value === undefined ? opts.default : this.booleanValue(key, value) ?? opts.default;
    }

    /** Checks an integer given as a string or number (from a nested object). */
    integerValue(key: string, value: unknown, opts: { min: number; max: number }): number | undefined {
        const n = typeof value === "number" ? value : Number(value);
        if (!Number.isInteger(n) || n < opts.min || n > opts.max) {
            this.issues.add(key, `"${String(value)}" is out of range; expected a whole number from ${opts.min} to ${opts.max}`);
            return undefined;
        }
        return n;
    }

    /** Checks a boolean given as a string or boolean (from a nested object). */
    booleanValue(key: string, value: unknown): boolean | undefined {
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.issues.add(key, `"${String(value)}" is not a boolean; expected true or false`);
        return undefined;
    }

    /**
     * Checks a string found inside a JSON value. Numbers are accepted and converted because YAML
     * turns an unquoted account ID into a number; the check then catches lost leading zeros.
     */
    stringValue(key: string, value: unknown, expected: string, check?: Check): string | undefined {
        if (typeof value === "number") {
            return this.checked(key, String(value), check);
        }
        if (typeof value !== "string" || value === "") {
            this.issues.add(key, `is ${value === undefined ? "missing" : "not a string"}; expected ${expected}`);
            return undefined;
        }
        return this.checked(key, value, check);
    }

    /** Checks that a JSON value is a list, reporting the expected form otherwise. */
    list(key: string, value: unknown, expected: string): unknown[] | undefined {
        if (!Array.isArray(value)) {
            this.issues.add(key, `is not a list; expected ${expected}`);
            return undefined;
        }
        return value;
    }

    /** Checks that a JSON value is a map, reporting unknown fields so typos do not pass silently. */
    map(key: string, value: unknown, fields: readonly string[], expected: string): Record<string, unknown> | undefined {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.issues.add(key, `is not a map; expected ${expected}`);
            return undefined;
        }
        for (const field of Object.keys(value)) {
            if (!fields.includes(field)) {
                this.issues.add(`${key}.${field}`, `is not a known setting; expected one of ${fields.join(", ")}`);
            }
        }
        return value as Record<string, unknown>;
    }

    private checked(key: string, value: string, check?: Check): string | undefined {
        const problem = check?.(value);
        if (problem) {
            this.issues.add(key, problem);
            return undefined;
        }
        return value;
    }
}
