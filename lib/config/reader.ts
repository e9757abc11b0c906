import { IssueCollector } from "./errors";
import { ConfigSecret, OFFLINE_SECRET, SENSITIVE_SETTINGS } from "./secret";
import { didYouMean } from "./suggest";
import { LOG_RETENTION_DAYS, checkLogRetentionDays } from "./rules";

/** A stack's configuration as Pulumi hands it to a program: fully qualified keys, string values (JSON for objects). */
export type RawConfig = Readonly<Record<string, string>>;

type Check = (value: string) => string | undefined;

/** The top-level key a nested key belongs to: `ns:rekognition` for `ns:rekognition.consumers[0].externalId`. */
export function topLevelKey(key: string): string {
    return /^[^.[]*/.exec(key)![0];
}

/**
 * Typed access to a raw configuration map. Every getter records a problem in the collector instead
 * of throwing, and returns `undefined` for a missing or invalid value, so parsing can go on and
 * report every problem in one pass.
 *
 * The reader also remembers every top-level key the parser asked for, set or not: the parser is
 * the one definition of the settings, so whatever it never asked for is unknown (a typo).
 */
export class ConfigReader {
    private readonly asked = new Set<string>();
    /** Top-level keys holding a sensitive value (which may be a secret). */
    private readonly sensitive = new Set<string>();

    constructor(
        private readonly raw: RawConfig,
        readonly issues: IssueCollector,
    ) {}

    /** Whether a key is set at all. */
    has(key: string): boolean {
        this.asked.add(key);
        return this.raw[key] !== undefined;
    }

    /** Top-level keys the parser asked for so far: the settings of the program parsed. */
    get knownKeys(): ReadonlySet<string> {
        return this.asked;
    }

    /** Keys set in the stack file, with `prefix`, that the parser never asked for. */
    unaskedKeys(prefix: string): string[] {
        return Object.keys(this.raw).filter((k) => k.startsWith(prefix) && !this.asked.has(k));
    }

    /**
     * Refuses keys Pulumi marks secret that hold no sensitive value: the program puts them in
     * names, policies and exports, so it could not keep them secret.
     */
    refuseNonSensitiveSecrets(secretKeys: Iterable<string>, prefix: string): void {
        for (const key of secretKeys) {
            if (key.startsWith(prefix) && this.asked.has(key) && !this.sensitive.has(key)) this.refuseSecret(key);
        }
    }

    /** A required or optional string, checked by `check` when present. */
    string(key: string, opts: { required?: boolean; expected: string; check?: Check }): string | undefined {
        const value = this.raw[key];
        this.asked.add(key);
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
        this.asked.add(key);
        if (value === undefined) {
            if (opts.required) {
                this.issues.add(key, `is required; expected ${opts.expected}`);
            }
            return undefined;
        }
        if (this.isSecret(key, value)) return undefined;
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
        this.asked.add(key);
        if (value === undefined) {
            return opts.default;
        }
        return this.integerValue(key, value, opts) ?? opts.default;
    }

    /** A boolean, `default` when absent. */
    boolean(key: string, opts: { default: boolean }): boolean {
        const value = this.raw[key];
        this.asked.add(key);
        return value === undefined ? opts.default : (this.booleanValue(key, value) ?? opts.default);
    }

    /** Checks an integer given as a string or number (from a nested object). */
    integerValue(key: string, value: unknown, opts: { min: number; max: number }): number | undefined {
        if (this.isSecret(key, value)) return undefined;
        const n = typeof value === "number" ? value : Number(value);
        if (!Number.isInteger(n) || n < opts.min || n > opts.max) {
            this.issues.add(key, `"${String(value)}" is out of range; expected a whole number from ${opts.min} to ${opts.max}`);
            return undefined;
        }
        return n;
    }

    /** A CloudWatch Logs retention period in days: one of the values the service accepts. */
    retentionDays(key: string, value: unknown): number | undefined {
        if (this.isSecret(key, value)) return undefined;
        const n = typeof value === "number" ? value : Number(value);
        const problem = Number.isInteger(n)
            ? checkLogRetentionDays(n)
            : `"${String(value)}" is not a whole number; expected one of ${LOG_RETENTION_DAYS.join(", ")} (days)`;
        if (problem) {
            this.issues.add(key, problem);
            return undefined;
        }
        return n;
    }

    /** Checks a boolean given as a string or boolean (from a nested object). */
    booleanValue(key: string, value: unknown): boolean | undefined {
        if (this.isSecret(key, value)) return undefined;
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

    /**
     * A value that may be sensitive (an external ID): accepted in plain text or as a secret, and
     * returned as a {@link ConfigSecret} either way, so the program keeps it secret. `check` must
     * not quote the value. Offline, an encrypted value is the placeholder, whose form is unknown.
     */
    secret(key: string, value: unknown, expected: string, check?: Check): ConfigSecret | undefined {
        if (value === OFFLINE_SECRET) {
            this.sensitive.add(topLevelKey(key));
            return new ConfigSecret(value, key, this.issues.stackFile);
        }
        if ((typeof value !== "string" && typeof value !== "number") || value === "") {
            this.issues.add(
                key,
                `is ${value === undefined ? "missing" : "not a string"}; expected ${expected}, in plain text or as a secret (secure:)`,
            );
            return undefined;
        }
        this.sensitive.add(topLevelKey(key));
        const problem = check?.(String(value));
        if (problem) {
            this.issues.add(key, problem);
            return undefined;
        }
        return new ConfigSecret(String(value), key, this.issues.stackFile);
    }

    /** Reports each value listed twice in the list at `at`, naming where it was first; `what` names one item. */
    distinct(at: string, values: readonly (string | undefined)[], what: string): void {
        const first = new Map<string, number>();
        values.forEach((value, i) => {
            if (!value) return;
            const earlier = first.get(value);
            if (earlier === undefined) first.set(value, i);
            else this.issues.add(`${at}[${i}]`, `"${value}" is already listed at ${at}[${earlier}]; expected each ${what} once`);
        });
    }

    /** Checks that a JSON value is a list, reporting the expected form otherwise. */
    list(key: string, value: unknown, expected: string): unknown[] | undefined {
        if (this.isSecret(key, value)) return undefined;
        if (!Array.isArray(value)) {
            this.issues.add(key, `is not a list; expected ${expected}`);
            return undefined;
        }
        return value;
    }

    /**
     * A list that needs at least one item: missing (`value` undefined) or empty, it is reported
     * with `why` (what an empty list would do) and the expected form, and undefined is returned.
     */
    nonEmptyList(key: string, value: unknown, expected: string, why: string): unknown[] | undefined {
        if (value === undefined) {
            this.issues.add(key, `is required; expected ${expected}`);
            return undefined;
        }
        const list = this.list(key, value, expected);
        if (list?.length === 0) {
            this.issues.add(key, `is empty, ${why}; expected ${expected}, with at least one item`);
            return undefined;
        }
        return list;
    }

    /** Checks that a JSON value is a map, reporting unknown fields so typos do not pass silently. */
    map(key: string, value: unknown, fields: readonly string[], expected: string): Record<string, unknown> | undefined {
        if (this.isSecret(key, value)) return undefined;
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.issues.add(key, `is not a map; expected ${expected}`);
            return undefined;
        }
        for (const field of Object.keys(value)) {
            if (!fields.includes(field)) {
                this.issues.add(
                    `${key}.${field}`,
                    `is not a known setting; ${didYouMean(field, fields)}expected one of ${fields.join(", ")}`,
                );
            }
        }
        return value as Record<string, unknown>;
    }

    private checked(key: string, value: string, check?: Check): string | undefined {
        if (this.isSecret(key, value)) return undefined;
        const problem = check?.(value);
        if (problem) {
            this.issues.add(key, problem);
            return undefined;
        }
        return value;
    }

    /** Refuses an encrypted value where a plain one is needed (offline: the placeholder). */
    private isSecret(key: string, value: unknown): boolean {
        if (value !== OFFLINE_SECRET) return false;
        this.refuseSecret(key);
        return true;
    }

    private refuseSecret(key: string): void {
        this.issues.add(
            key,
            `is a secret (secure:), but the program puts it in resource names, policies or exports, where it cannot stay secret; expected a plain value (only ${SENSITIVE_SETTINGS} may be secrets)`,
        );
    }
}
