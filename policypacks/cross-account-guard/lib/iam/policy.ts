/**
 * A policy document normalised once into statements that carry IAM's semantics (actions,
 * resources and principals with their `Not*` forms, conditions with their operators), and the
 * question every rule that reads a policy asks of a statement: who can use it, under which real
 * restrictions. Documents arrive as JSON strings or objects; a document unknown during preview
 * raises the framework's "can't run during preview" notice when read, never a silent pass.
 */
import { ActionSet } from "./actions";
import { Condition, conditionsOf, hollowReasons, restricting } from "./conditions";
import { Principals, accountIn, accountOfPrincipal, isAccountRoot, list, principalsOf } from "./principals";

export interface Statement {
    readonly sid: string;
    readonly effect: "Allow" | "Deny";
    readonly actions: ActionSet;
    readonly resources: { readonly except: boolean; readonly patterns: readonly string[] };
    /** Undefined in identity policies and SCPs, which name no principal. */
    readonly principals?: Principals;
    readonly conditions: readonly Condition[];
}

interface WrittenStatement {
    readonly Sid?: string;
    readonly Effect?: string;
    readonly Principal?: unknown;
    readonly NotPrincipal?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Condition?: unknown;
}

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

function normalise(s: WrittenStatement, index: number): Statement {
    return {
        sid: s.Sid ?? `#${index}`,
        // IAM reads Effect case-sensitively; anything but "Allow" grants nothing.
        effect: s.Effect === "Allow" ? "Allow" : "Deny",
        actions: s.NotAction !== undefined ? { except: true, patterns: list(s.NotAction) } : { except: false, patterns: list(s.Action) },
        resources:
            s.NotResource !== undefined ? { except: true, patterns: list(s.NotResource) } : { except: false, patterns: list(s.Resource) },
        principals: principalsOf(s.Principal, s.NotPrincipal),
        conditions: conditionsOf(s.Condition),
    };
}

/** Documents by their JSON text: the same policy reaches several rules, each normalises it once. */
const cache = new Map<string, Statement[]>();

export function statementsOf(document: unknown): Statement[] {
    const key = typeof document === "string" ? document : undefined;
    const cached = key !== undefined ? cache.get(key) : undefined;
    if (cached) return cached;
    const raw = parseDocument(document)?.Statement;
    const items: readonly WrittenStatement[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw as WrittenStatement];
    const statements = items.filter((s) => s && typeof s === "object").map(normalise);
    if (key !== undefined) {
        if (cache.size > 5000) cache.clear();
        cache.set(key, statements);
    }
    return statements;
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
/** Keys that name the principals themselves (which roles or users), not only their account, organization or network. */
const PRINCIPAL_NAMING_KEYS = ["aws:principalarn", "aws:userid", "aws:username"];
/** Keys that limit which principals, accounts, organizations or network paths a grant applies to. */
export const RESTRICTING_KEYS = [
    ...ACCOUNT_KEYS,
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "aws:userid",
    "aws:username",
];

/** Who can use a statement, as far as its principals and its real (not hollow) conditions say. */
export interface Trustees {
    /** Everyone (`*`, `{"AWS": "*"}` or NotPrincipal) with no real restriction on who or where. */
    readonly anyone: boolean;
    /** NotPrincipal: everyone but the listed principals. */
    readonly allButListed: boolean;
    /** Accounts the statement reaches: its AWS principals' and those its account conditions pin. */
    readonly accounts: readonly string[];
    /** Account roots among the principals (every principal IAM lets in, in that account). */
    readonly roots: readonly string[];
    /** A real condition names the principals (aws:PrincipalArn with a role or user, aws:userid). */
    readonly namesPrincipals: boolean;
    /** A real condition restricts who or where (account, organization, principal, network). */
    readonly restricted: boolean;
    /** Why conditions that look restrictive are not. */
    readonly hollow: readonly string[];
}

/** The accounts real account conditions pin (12-digit values, the account field of ARNs). */
function pinnedAccounts(conditions: readonly Condition[]): string[] {
    return restricting(conditions, ACCOUNT_KEYS)
        .flatMap((c) => c.values.map(accountIn))
        .filter((a): a is string => !!a);
}

/** Whether a real aws:PrincipalArn (or aws:userid / aws:username) condition names principals, not only an account. */
function namesPrincipalsIn(conditions: readonly Condition[]): boolean {
    return restricting(conditions, PRINCIPAL_NAMING_KEYS).some((c) =>
        c.values.every((v) => c.key !== "aws:principalarn" || /^arn:[^:]+:(iam|sts)::\d{12}:[^*?]*[a-z0-9]/i.test(v)),
    );
}

export function trusteesOf(s: Statement): Trustees {
    const p = s.principals;
    const everyone = !!p && (p.everyone || p.except);
    const named = p && !p.except ? p.aws.map((a) => accountOfPrincipal(a) ?? a) : [];
    const restricted = restricting(s.conditions, RESTRICTING_KEYS).length > 0;
    return {
        anyone: everyone && !restricted,
        allButListed: !!p?.except,
        accounts: [...new Set([...named, ...(named.length > 0 || everyone ? pinnedAccounts(s.conditions) : [])])],
        roots: p && !p.except ? p.aws.filter(isAccountRoot) : [],
        namesPrincipals: namesPrincipalsIn(s.conditions),
        restricted,
        hollow: hollowReasons(s.conditions, RESTRICTING_KEYS),
    };
}

/** Keys that tie a service's request to the resource (and so the account) it acts for. */
export const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"];

/**
 * The accounts real source conditions pin a service's request to; `[]` when only an organization
 * (or a KMS encryption context naming a resource ARN, as CloudWatch Logs sends) is pinned;
 * undefined when nothing is: the service then acts for any account's resources (the confused deputy).
 */
export function sourcePins(s: Statement): string[] | undefined {
    const context = s.conditions.filter((c) => c.key.startsWith("kms:encryptioncontext:") && restricting(s.conditions, [c.key]).length > 0);
    const real = restricting(s.conditions, SOURCE_KEYS);
    const accounts = real.filter((c) => c.key === "aws:sourceaccount" || c.key === "aws:sourcearn");
    // A source ARN whose account is a wildcard does not tie the request to an account.
    const tied = accounts.filter(
        (c) => c.values.every((v) => !!accountIn(v)) || (c.key === "aws:sourcearn" && c.values.every((v) => /^arn:[^:]+:s3:::/.test(v))),
    );
    const orgs = real.filter((c) => c.key === "aws:sourceorgid" || c.key === "aws:sourceorgpaths");
    if (tied.length === 0 && orgs.length === 0 && context.length === 0) return undefined;
    return [...tied, ...context].flatMap((c) => c.values.map(accountIn)).filter((a): a is string => !!a);
}
