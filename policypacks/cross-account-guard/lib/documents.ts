/**
 * Reading IAM policy documents as the rules need them: statements normalised to lists, who they
 * name, and whether a condition restricts who can use them. Documents arrive as JSON strings or
 * objects; a document unknown during preview raises the framework's "can't run during preview"
 * notice when read, never a silent pass.
 */

export interface NormalStatement {
    readonly sid: string;
    readonly effect: "Allow" | "Deny";
    readonly actions: readonly string[];
    readonly notActions: readonly string[];
    readonly resources: readonly string[];
    /** `"*"` for `Principal: "*"` or `{AWS: "*"}`. */
    readonly principalWildcard: boolean;
    readonly awsPrincipals: readonly string[];
    readonly servicePrincipals: readonly string[];
    readonly condition: Record<string, Record<string, unknown>>;
}

const list = (value: unknown): string[] =>
    value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** Parses a policy document given as a JSON string or an object; `undefined` when absent. */
export function parseDocument(document: unknown): { Statement?: unknown } | undefined {
    if (document === undefined || document === null || document === "") return undefined;
    if (typeof document === "string") {
        try {
            return JSON.parse(document);
        } catch {
            return { Statement: [] };
        }
    }
    return document as { Statement?: unknown };
}

/** A statement as written: actions, resources and principals each a string or a list, or absent; `Principal` `"*"` or by kind. */
interface WrittenStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: string | { readonly AWS?: unknown; readonly Service?: unknown };
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(document: unknown): NormalStatement[] {
    const parsed = parseDocument(document);
    const raw = parsed?.Statement;
    const items: readonly WrittenStatement[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw as WrittenStatement];
    return items.map((s, i) => {
        const principal = s.Principal;
        const byKind = typeof principal === "object" ? principal : undefined;
        const aws = principal === "*" ? ["*"] : list(byKind?.AWS);
        return {
            sid: s.Sid ?? `#${i}`,
            effect: s.Effect,
            actions: list(s.Action),
            notActions: list(s.NotAction),
            resources: list(s.Resource),
            principalWildcard: aws.includes("*"),
            awsPrincipals: aws.filter((p) => p !== "*"),
            servicePrincipals: list(byKind?.Service),
            condition: s.Condition ?? {},
        };
    });
}

/** The account a principal names: an ARN's account, or a bare 12-digit ID. */
export function accountOfPrincipal(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    return /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
}

/** Condition keys that limit which principals, accounts or network paths a grant applies to. */
const RESTRICTING_KEYS = [
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "kms:calleraccount",
    "aws:userid",
    "aws:username",
];
/**
 * Condition keys that name the principals themselves (which roles or users), not only their
 * account, organization or network path: what narrows a trust in a whole account root.
 */
const PRINCIPAL_NAMING_KEYS = ["aws:principalarn", "aws:userid", "aws:username"];
const POSITIVE_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/** Whether a statement's condition matches one of `keys` positively, on concrete values. */
function matchesPositively(statement: NormalStatement, keys: readonly string[]): boolean {
    return Object.entries(statement.condition).some(
        ([operator, entries]) =>
            POSITIVE_OPERATORS.test(operator) &&
            Object.entries(entries ?? {}).some(
                ([key, value]) =>
                    keys.includes(key.toLowerCase()) && list(value).length > 0 && list(value).every((v) => v !== "*" && v !== ""),
            ),
    );
}

/** Whether a statement's condition restricts who it applies to with a positive match on a concrete value. */
export function hasRestrictingCondition(statement: NormalStatement): boolean {
    return matchesPositively(statement, RESTRICTING_KEYS);
}

/**
 * Whether a statement's condition names the principals it applies to (`aws:PrincipalArn`,
 * `aws:userid`, `aws:username`): an account, organization, source or network condition leaves
 * every principal of a trusted account root able to use it.
 */
export function namesPrincipals(statement: NormalStatement): boolean {
    return matchesPositively(statement, PRINCIPAL_NAMING_KEYS);
}

/** Whether the action pattern grants every action of every service. */
export function isFullWildcard(action: string): boolean {
    return action === "*" || action === "*:*";
}

/** Whether an action pattern (`iam:Pass*`, `iam:*`, `*`) covers `action`. */
export function actionCovers(pattern: string, action: string): boolean {
    const regex = new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
        "i",
    );
    return regex.test(action);
}
