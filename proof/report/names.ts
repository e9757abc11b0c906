/**
 * How the report names things: ARNs shortened to what a reader recognises (a key's alias, a
 * role's name, a bucket), architectures by their domain, policies by their kind.
 */

/** The architectures the access proof knows, in the order the report shows them, each with a short code for IDs. */
export const ARCHITECTURES: Readonly<Record<string, { readonly name: string; readonly code: string }>> = {
    "bedrock-cmi": { name: "Bedrock Custom Model Import", code: "cmi" },
    "rekognition-shared": { name: "Rekognition Custom Labels sharing", code: "rek" },
    sagemaker: { name: "SageMaker hosting", code: "sm" },
    guardrails: { name: "Organizations guardrails (SCPs)", code: "scp" },
    deployment: { name: "Deployment identity (CI role and bootstrap deployment roles)", code: "dep" },
    "deployment-scope": { name: "Deployment roles' scope (each declared resource, created by its account's role)", code: "scope" },
    "registry-gate": { name: "Registry approval gate (SageMaker rollout)", code: "gate" },
};

/** Architectures summarised as one count per account (the Deployment identity table), not a row per path. */
export const COUNTED_ONLY: ReadonlySet<string> = new Set(["deployment-scope"]);

/**
 * Architectures the diagram leaves out, which the report's summary, Deployment identity table and
 * matrix list instead: one edge per declared resource would bury the others, and beside the four
 * architectures' panels Graphviz could not lay out the deployment roles' edges (every account's
 * roles, to and from every other cluster) without panels overlapping or edges left unrouted
 * ("triangulation failed").
 */
export const NOT_DRAWN: ReadonlySet<string> = new Set([...COUNTED_ONLY, "registry-gate", "deployment"]);

export const architectureName = (architecture: string) => ARCHITECTURES[architecture]?.name ?? architecture;

/** The architectures of some paths, in the report's order (unknown ones last, by name). */
export function architecturesOf(architectures: Iterable<string>): string[] {
    const known = Object.keys(ARCHITECTURES);
    const rank = (a: string) => (known.includes(a) ? known.indexOf(a) : known.length);
    return [...new Set(architectures)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The short name of an ARN or service principal: a key's alias where the stacks declare one. */
export function shortName(id: string, aliases: ReadonlyMap<string, string>): string {
    if (!id.startsWith("arn:")) return id.replace(/\.amazonaws\.com$/, "");
    const [, , service, , , rest] = id.split(":");
    if (service === "s3") return `s3://${rest}`;
    return aliases.get(id) ?? (rest.split("/").slice(1).join("/") || rest);
}

/** The account an ARN names (S3 ARNs carry none). */
export const accountOfArn = (arn: string): string | undefined => /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** `<group>/<version>` of a SageMaker model package version ARN. */
export const packageLabel = (arn: string): string => arn.split(":model-package/")[1] ?? arn;

/** `<version>` of a Rekognition model version ARN. */
export const versionLabel = (arn: string): string => arn.split("/version/")[1]?.split("/")[0] ?? arn;

/**
 * The kind of a policy as the inventory names it (`<stack>: <Type> <name>`), in the words AWS's
 * guides use: bucket policy, key policy, role trust, SCP, ...
 */
const KINDS: Readonly<Record<string, string>> = {
    BucketPolicy: "bucket policy",
    Key: "key policy",
    Role: "role trust",
    RolePolicy: "role policy",
    VpcEndpoint: "endpoint policy",
    Policy: "SCP",
    ModelPackageGroupPolicy: "registry policy",
    RepositoryPolicy: "repository policy",
};

export interface PolicyRef {
    /** The stack that declares it, when a stack does. */
    readonly stack?: string;
    readonly kind: string;
    readonly name: string;
}

export function policyRef(name: string): PolicyRef {
    const match = /^([^:]+): (\w+) (.+?)( \(trust policy\))?$/.exec(name);
    if (!match) return { kind: name.startsWith("administrator access") ? "stand-in administrator" : name, name };
    return { stack: match[1], kind: KINDS[match[2]] ?? match[2], name: match[3] };
}

/** "research bucket policy", the words a summary uses for a policy; an SCP with its name, as an account has several. */
export const policyWords = (ref: PolicyRef) => [ref.stack, ref.kind, ...(ref.kind === "SCP" ? [ref.name] : [])].filter(Boolean).join(" ");

/**
 * The words for a policy that refused a request: a permissions boundary is an IAM managed policy
 * (`<stack>: Policy <name>`, as an SCP is named), so it is said by its part, not by its type.
 */
export function refusingPolicyWords(policyType: string, policy: string | undefined): string {
    if (policyType === "pb") {
        const stack = policy ? policyRef(policy).stack : undefined;
        return stack ? `${stack} permissions boundary` : "the role's permissions boundary";
    }
    return policyWords(policyRef(policy ?? policyType));
}

/** Actions merged by service: `s3:ListBucket, GetObject`. */
export function mergedActions(actions: Iterable<string>): string {
    const byService = new Map<string, string[]>();
    for (const action of actions) {
        const [service, name] = action.includes(":") ? action.split(":") : ["", action];
        byService.set(service, [...new Set([...(byService.get(service) ?? []), name])]);
    }
    return [...byService].map(([service, names]) => (service ? `${service}:${names.join(", ")}` : names.join(", "))).join("; ");
}
