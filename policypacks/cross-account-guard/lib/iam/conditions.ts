/**
 * Condition blocks with IAM's semantics (IAM User Guide, "IAM JSON policy elements: Condition
 * operators" and "Single-valued vs. multivalued condition keys"): operators with `IfExists`, the
 * set qualifiers `ForAllValues` / `ForAnyValue`, negated operators, wildcard values, policy
 * variables. The question the rules ask of a condition is whether it really restricts a request,
 * and if not, why not, in words a reviewer can check.
 */
import { keyShape } from "./catalog";
import { list } from "./principals";

export interface Condition {
    /** The operator as written (`ForAllValues:StringEqualsIfExists`). */
    readonly operator: string;
    /** The operator without qualifier and `IfExists` (`StringEquals`). */
    readonly base: string;
    readonly qualifier?: "ForAllValues" | "ForAnyValue";
    readonly ifExists: boolean;
    /** `StringNotEquals`, `ArnNotLike`, ...: matches every value but the listed ones. */
    readonly negated: boolean;
    /** The key in lower case (keys are case-insensitive). */
    readonly key: string;
    readonly keyAsWritten: string;
    readonly values: readonly string[];
}

export function conditionsOf(block: unknown): Condition[] {
    if (!block || typeof block !== "object") return [];
    return Object.entries(block as Record<string, unknown>).flatMap(([operator, entries]) => {
        const qualifier = /^(ForAllValues|ForAnyValue):/.exec(operator)?.[1] as Condition["qualifier"];
        const unqualified = operator.replace(/^(ForAllValues|ForAnyValue):/, "");
        const ifExists = /IfExists$/.test(unqualified);
        const base = unqualified.replace(/IfExists$/, "");
        const negated = /Not(Equals|Like|IpAddress)/.test(base);
        return Object.entries((entries ?? {}) as Record<string, unknown>).map(([key, value]) => ({
            operator,
            base,
            qualifier,
            ifExists,
            negated,
            key: key.toLowerCase(),
            keyAsWritten: key,
            values: list(value),
        }));
    });
}

/** Operators that match a value against the listed ones (the kind that can narrow who or where). */
const MATCHING = /^(String(Equals|EqualsIgnoreCase|Like)|Arn(Equals|Like))$/;
/** Operators whose values are patterns (`*`, `?`): the `Like` operators and both ARN operators. */
const PATTERNS = /^(StringLike|StringNotLike|Arn(Not)?(Equals|Like))$/;

/** Whether `Null: {key: "false"}` in the same statement requires the key to be present. */
function requiredPresent(key: string, all: readonly Condition[]): boolean {
    return all.some((c) => c.base === "Null" && c.key === key && c.values.every((v) => v.toLowerCase() === "false"));
}

/** Whether a value matches any value of the key: a pattern of wildcards only, or a variable naming the key itself. */
export function matchesAnything(condition: Condition, value: string): boolean {
    if (value.toLowerCase() === `\${${condition.key}}`) return true;
    if (!PATTERNS.test(condition.base)) return false;
    // Wildcards alone (`*`, or `????????????` for a 12-digit account) match every value of the key.
    if (/^[*?]+$/.test(value)) return true;
    // An ARN pattern whose six parts are all wildcards (or empty) matches every ARN.
    const parts = value.split(":");
    return parts[0] === "arn" && parts.length >= 6 && parts.slice(1).every((p) => (/^[*?]*$/.test(p) && p.includes("*")) || p === "");
}

/**
 * Why a condition does not restrict an Allow (undefined when it does): a negated operator matches
 * everything but the listed values, and a missing key; `IfExists` passes when the key is missing;
 * `ForAllValues` passes when the key is missing (anonymous requests carry no principal keys) unless
 * a `Null` condition requires it; a wildcard value matches anything.
 */
export function hollowness(condition: Condition, all: readonly Condition[]): string | undefined {
    const where = `${condition.operator} on ${condition.keyAsWritten}`;
    if (!MATCHING.test(condition.base)) return `${where} does not match the key against a list of values`;
    if (condition.negated) return `${where} matches every value but the listed ones`;
    if (condition.ifExists) return `${where} passes when the key is absent`;
    if (condition.qualifier === "ForAllValues" && !requiredPresent(condition.key, all)) {
        const shape = keyShape(condition.key) === "single" ? "the single-valued key " : "";
        return `ForAllValues on ${shape}${condition.keyAsWritten} passes when the key is absent (anonymous requests included)`;
    }
    if (condition.values.length === 0) return `${where} lists no value`;
    const anything = condition.values.find((v) => matchesAnything(condition, v));
    if (anything !== undefined) return `${where} value "${anything}" matches any value`;
    const loose = condition.values.find((v) => loosePattern(condition, v));
    if (loose !== undefined)
        return `${where} value "${loose}" ${loose.startsWith("arn:") ? "matches any account" : "matches identifiers it does not name"}`;
    return undefined;
}

/** Keys whose values are identifiers (accounts, organizations, endpoints, VPCs): a wildcard in one matches others' too. */
const IDENTIFIER_KEYS = [
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:resourceaccount",
    "kms:calleraccount",
    "aws:sourceowner",
    "aws:vpceaccount",
    "aws:principalorgid",
    "aws:sourceorgid",
    "aws:resourceorgid",
    "aws:vpceorgid",
    "aws:sourcevpce",
    "aws:sourcevpc",
];
/** Keys whose values are principal or source ARNs: the account field must be named. */
const ARN_KEYS = ["aws:principalarn", "aws:sourcearn"];
/** Organization paths must name the organization before any wildcard (`o-xxxx/r-xxxx/...*`). */
const PATH_KEYS = ["aws:principalorgpaths", "aws:sourceorgpaths", "aws:resourceorgpaths", "aws:vpceorgpaths"];

/**
 * A pattern that reaches beyond what it seems to name: a wildcard in an identifier (`o-*`,
 * `vpce-*`, `1111*`), an ARN whose account is a wildcard (`arn:aws:iam::*:role/Admin`: any account
 * may create that role), an organization path whose organization is a wildcard. S3 ARNs carry no
 * account, so a bucket ARN is not loose.
 */
function loosePattern(condition: Condition, value: string): boolean {
    if (!PATTERNS.test(condition.base) || !/[*?]/.test(value) || value.startsWith("${")) return false;
    if (IDENTIFIER_KEYS.includes(condition.key)) return true;
    if (ARN_KEYS.includes(condition.key)) return !/^arn:[^:]+:s3:::/.test(value) && /[*?]/.test(value.split(":")[4] ?? "*");
    if (PATH_KEYS.includes(condition.key)) return /[*?]/.test(value.split("/")[0]);
    return false;
}

/** The conditions of a statement on one of `keys` that really restrict it. */
export function restricting(all: readonly Condition[], keys: readonly string[]): Condition[] {
    return all.filter((c) => keys.includes(c.key) && hollowness(c, all) === undefined);
}

/** The reasons the conditions on `keys` do not restrict (for messages). */
export function hollowReasons(all: readonly Condition[], keys: readonly string[]): string[] {
    return all
        .filter((c) => keys.includes(c.key))
        .map((c) => hollowness(c, all))
        .filter((r): r is string => r !== undefined);
}
