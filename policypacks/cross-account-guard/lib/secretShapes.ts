/**
 * What a secret looks like: values whose format is a credential's whatever the field (each
 * pattern is a format its issuer documents), names that say a value is a secret, and values that
 * are references to a secret store rather than the secret.
 */

interface Shape {
    readonly what: string;
    readonly pattern: RegExp;
}

/** Credential formats, each from its issuer's documentation. */
const SHAPES: readonly Shape[] = [
    // IAM User Guide, "IAM identifiers", unique ID prefixes: AKIA access key, ASIA temporary (STS) access key.
    { what: "an AWS access key ID", pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
    // RFC 7468 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), OpenSSL ("RSA/EC/DSA PRIVATE KEY"), OpenSSH ("OPENSSH PRIVATE KEY").
    { what: "a PEM private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
    // GitHub Docs, "About authentication to GitHub": ghp_, gho_, ghu_, ghs_, ghr_ tokens and fine-grained github_pat_.
    { what: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
    // Slack API, "Token types": xoxb- (bot), xoxp- (user), xoxa-/xoxr- (refresh), xoxe-; and incoming webhook URLs.
    { what: "a Slack token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/ },
    { what: "a Slack webhook URL", pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
    // Hugging Face Hub docs, "User access tokens": hf_ followed by 34 letters and digits.
    { what: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}/ },
    // Google Cloud, "API keys": AIza followed by 35 characters.
    { what: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    // Stripe, "API keys": live secret and restricted keys.
    { what: "a Stripe live key", pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}/ },
    // RFC 7519: a JWS compact serialisation, base64url of '{"' (eyJ) for header and claims.
    { what: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
    // RFC 3986 userinfo with a password (postgres://user:password@host); a reference as password is handled below.
    { what: "a URL with a password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/i },
    // ADO.NET / ODBC connection strings: Password=... or Pwd=...
    { what: "a connection string with a password", pattern: /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;\s][^;]*)/i },
];

/** A cheap first pass: every shape contains one of these. */
const ANY_SHAPE = /AKIA|ASIA|PRIVATE KEY|gh[pousr]_|github_pat_|xox|hooks\.slack|hf_|AIza|k_live_|eyJ|:\/\/|password|pwd/i;

/** Which credential a value is shaped as, or undefined (references embedded in a URL or connection string excepted). */
export function secretShapeOf(text: string): string | undefined {
    if (text.length < 10 || !ANY_SHAPE.test(text)) return undefined;
    for (const { what, pattern } of SHAPES) {
        const match = pattern.exec(text);
        if (match && !(match[1] !== undefined && isReference(match[1].trim()))) return what;
    }
    return undefined;
}

/** Words that name a secret on their own. */
const SECRET_WORDS = new Set([
    "password",
    "passwords",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "credential",
    "credentials",
    "creds",
    "apikey",
    "apikeys",
    "privatekey",
    "secretkey",
    "accesskey",
]);

/** "<word> key" pairs that name a secret key (API_KEY, private-key, clientSecret is covered by "secret"). */
const KEY_QUALIFIERS = new Set(["api", "private", "access", "secret", "signing", "encryption", "auth", "master", "license"]);

/**
 * Words that make the name about the secret rather than the secret: where it is (ARN, name, path,
 * URL), or a property of it (length, TTL, type, rotation, a maximum number of tokens).
 */
const ABOUT_WORDS = new Set(
    (
        "arn id ids name names path param parameter parameters ssm url uri endpoint file location ref reference " +
        "type length len ttl expiry expiration expires timeout count limit max min size header field enabled enable " +
        "disable disabled required rotation rotate policy version kms prefix format mode store source provider region " +
        "hash duration lifetime files"
    ).split(" "),
);

/** A substring of every secret word and of "key": a name without one names no secret. */
const MAY_NAME_SECRET = /pass|pwd|secret|token|cred|key/i;

/** The words of a name: snake, kebab, dotted, camelCase and acronyms (APIKey → api, key). */
export function wordsOf(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== "");
}

/** Whether a name says its value is a secret (DB_PASSWORD, hfToken, x-api-key) and not where one is (SECRET_ARN, MAX_TOKENS). */
export function namesSecret(name: string): boolean {
    // Most names hold none of the secret words: one test rejects them before splitting.
    if (!MAY_NAME_SECRET.test(name)) return false;
    const words = wordsOf(name);
    if (words.some((w) => ABOUT_WORDS.has(w))) return false;
    return words.some((w, i) => SECRET_WORDS.has(w) || ((w === "key" || w === "keys") && i > 0 && KEY_QUALIFIERS.has(words[i - 1])));
}

/**
 * Values that point at a secret instead of holding it: Secrets Manager, SSM and KMS ARNs,
 * CloudFormation dynamic references (`{{resolve:...}}`), SSM parameter and secret names
 * (`/app/db/password`; a name without the leading slash is not told from a base64 key with
 * slashes), and substitutions left to run time (`${DB_PASSWORD}`).
 */
export function isReference(value: string): boolean {
    return (
        /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/i.test(value) ||
        value.includes("{{resolve:") ||
        /^(ssm|secretsmanager|vault):/i.test(value) ||
        /^\/[\w.\-/]+$/.test(value) ||
        /^\$\{[^}]+\}$|^\$[A-Z_][A-Z0-9_]*$/.test(value)
    );
}

/** Values that carry no secret whatever the name: blank, booleans and switches, numbers. */
function isTrivial(value: string): boolean {
    const text = value.trim().toLowerCase();
    return text === "" || /^(true|false|yes|no|on|off|enabled|disabled|none|null|nil|n\/a|-)$/.test(text) || /^-?\d+(\.\d+)?$/.test(text);
}

/** Whether a value under a secret's name is the secret itself, in plain text. */
export function isLiteralSecret(value: unknown): value is string {
    return typeof value === "string" && !isTrivial(value) && !isReference(value.trim());
}

/**
 * A tag value that looks like a credential (at least 8 characters, no spaces, letters with digits
 * or symbols): tags also classify (`secret-classification: confidential`), so a secret's name
 * alone is not enough there.
 */
export function looksLikeCredential(value: string): boolean {
    return isLiteralSecret(value) && value.length >= 8 && !/\s/.test(value) && /[A-Za-z]/.test(value) && /[^A-Za-z]/.test(value);
}
