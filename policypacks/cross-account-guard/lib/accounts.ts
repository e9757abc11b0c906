/**
 * The account a resource lives in, as far as the analyzer can tell: the account of its ARN once
 * known (AnalyzeStack after the update, imported resources), else the one account its AWS provider
 * may deploy into (`allowedAccountIds`, which the engine sends as a JSON string for lists).
 */
import { ProviderProps } from "./props";

interface Located {
    readonly props: { readonly arn?: string };
    readonly provider?: { readonly props: ProviderProps };
}

export function ownAccountOf(resource: Located): string | undefined {
    const fromArn = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(String(resource.props.arn ?? ""))?.[1];
    if (fromArn) return fromArn;
    const value = resource.provider?.props.allowedAccountIds;
    let ids: unknown = value;
    if (typeof value === "string") {
        try {
            ids = JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    // Only a provider pinned to exactly one account says which account that is.
    return Array.isArray(ids) && ids.length === 1 && /^\d{12}$/.test(String(ids[0])) ? String(ids[0]) : undefined;
}

/** Condition keys whose values name the caller's (or source's) account, directly or in an ARN. */
const ACCOUNT_KEYS = [
    "aws:principalaccount",
    "aws:sourceaccount",
    "kms:calleraccount",
    "aws:principalarn",
    "aws:sourcearn",
    "aws:sourceowner",
];

/**
 * The 12-digit accounts a statement's positive conditions name (`aws:PrincipalAccount`,
 * `aws:PrincipalArn`, `kms:CallerAccount`, ...): a grant to `"*"` limited to those accounts is a
 * grant to them, so they must be allowed accounts too. Negative operators exclude accounts and are skipped.
 */
export function accountsInConditions(condition: Record<string, Record<string, unknown>>): string[] {
    const found = Object.entries(condition)
        .filter(([operator]) => !/Not/.test(operator))
        .flatMap(([, keys]) => Object.entries(keys ?? {}))
        .filter(([key]) => ACCOUNT_KEYS.includes(key.toLowerCase()))
        .flatMap(([, value]) => (Array.isArray(value) ? value : [value]).map(String))
        .map((v) => (/^\d{12}$/.test(v) ? v : /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(v)?.[1]))
        .filter((a): a is string => !!a);
    return [...new Set(found)];
}
