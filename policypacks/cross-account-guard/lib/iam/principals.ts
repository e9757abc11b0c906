/**
 * A statement's `Principal` or `NotPrincipal` in all its spellings: `"*"`, `{"AWS": "*"}`, bare
 * account IDs, account roots, role and user ARNs, service principals, federated providers and
 * canonical users.
 */

export interface Principals {
    /** `NotPrincipal`: everyone except the listed principals. */
    readonly except: boolean;
    /** `"*"` or `{"AWS": "*"}`: anyone, anonymous requests included. */
    readonly everyone: boolean;
    /** AWS principals as written (account IDs, roots, role/user/session ARNs). */
    readonly aws: readonly string[];
    readonly services: readonly string[];
    readonly federated: readonly string[];
    readonly canonicalUsers: readonly string[];
}

export const list = (value: unknown): string[] =>
    value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

type WrittenPrincipal =
    | string
    | { readonly AWS?: unknown; readonly Service?: unknown; readonly Federated?: unknown; readonly CanonicalUser?: unknown };

/** The principals of a statement, or `undefined` when it names none (an identity policy's statements). */
export function principalsOf(principal: unknown, notPrincipal: unknown): Principals | undefined {
    const written = (notPrincipal ?? principal) as WrittenPrincipal | undefined;
    if (written === undefined || written === null) return undefined;
    const byKind = typeof written === "object" ? written : {};
    const aws = written === "*" ? ["*"] : list(byKind.AWS);
    return {
        except: notPrincipal !== undefined && notPrincipal !== null,
        everyone: aws.includes("*"),
        aws: aws.filter((p) => p !== "*"),
        services: list(byKind.Service).map((s) => s.toLowerCase()),
        federated: list(byKind.Federated),
        canonicalUsers: list(byKind.CanonicalUser),
    };
}

/** The account an AWS principal names: an ARN's account, or a bare 12-digit ID. */
export function accountOfPrincipal(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    return /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
}

/** An account root (`arn:...:root` or a bare account ID): every principal that account's IAM lets in. */
export function isAccountRoot(principal: string): boolean {
    return /^\d{12}$/.test(principal) || /^arn:[^:]+:iam::\d{12}:root$/.test(principal);
}

/** The account a 12-digit ID or an ARN names (any service's ARN), if any. */
export function accountIn(value: string): string | undefined {
    if (/^\d{12}$/.test(value)) return value;
    return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(value)?.[1];
}
