/**
 * What AWS refuses in the policy documents the programs write, checked when the engine calls Check
 * (before anything is created, as a preview would show it): a document that is not JSON, has no
 * statement, has a statement without an element the policy kind requires, or is over AWS's size
 * limit for the kind. Values not known yet (a preview) are not checked.
 */
import { PolicyDocument, toJson } from "../../../lib/policies/document";
import { POLICY_SIZE_LIMITS, policySize } from "../../../lib/policies/limits";
import { Props, UNKNOWN, plain } from "./wire";

interface PolicyKind {
    readonly label: string;
    /** Elements each statement needs besides Effect and Action (or NotAction); each may be its Not form. */
    readonly requires: readonly ("Resource" | "Principal")[];
    /** The size AWS counts, and its limit, in the limit's unit. */
    readonly size: (document: PolicyDocument, sent: string) => number;
    readonly limit: number;
    readonly unit: "bytes" | "characters";
    readonly source: string;
}

/** IAM counts characters and "does not count white space" (IAM User Guide, IAM and AWS STS quotas). */
const iamSize = (document: PolicyDocument) => toJson(document).length;

/**
 * Elements: IAM User Guide, IAM JSON policy elements reference (Effect, Action/NotAction,
 * Resource/NotResource, Principal/NotPrincipal): identity policies need Resource and take no
 * Principal; resource policies (bucket, key, role trust) need Principal; a trust policy has no
 * Resource. A key policy's Resource is "*" but required (AWS KMS Developer Guide, Key policies).
 */
const KINDS = {
    trust: {
        label: "role trust policy",
        requires: ["Principal"],
        size: iamSize,
        limit: 2048,
        unit: "characters",
        source: "IAM and AWS STS quotas: role trust policy length",
    },
    inline: {
        label: "inline role policy",
        requires: ["Resource"],
        size: iamSize,
        limit: 10240,
        unit: "characters",
        source: "IAM and AWS STS quotas: role policy size",
    },
    managed: {
        label: "managed policy",
        requires: ["Resource"],
        size: iamSize,
        limit: 6144,
        unit: "characters",
        source: "IAM and AWS STS quotas: managed policy size",
    },
    bucket: {
        label: "bucket policy",
        requires: ["Resource", "Principal"],
        size: policySize,
        limit: POLICY_SIZE_LIMITS.bucket,
        unit: "bytes",
        source: "Amazon S3 User Guide, bucket policies",
    },
    key: {
        label: "key policy",
        requires: ["Resource", "Principal"],
        size: policySize,
        limit: POLICY_SIZE_LIMITS.key,
        unit: "bytes",
        source: "AWS KMS Developer Guide, key policies",
    },
    // "All characters in your SCP count against its maximum size" (AWS Organizations User Guide, SCP
    // syntax; 5,120 characters: Quotas for AWS Organizations); each statement needs Action.
    scp: {
        label: "service control policy",
        requires: [],
        size: (_d, sent) => sent.length,
        limit: 5120,
        unit: "characters",
        source: "Quotas for AWS Organizations",
    },
} satisfies Record<string, PolicyKind>;

/** The inputs that hold a policy document, by resource type. */
const POLICY_INPUTS: Readonly<Record<string, Readonly<Record<string, PolicyKind>>>> = {
    "aws:iam/role:Role": { assumeRolePolicy: KINDS.trust },
    "aws:iam/rolePolicy:RolePolicy": { policy: KINDS.inline },
    "aws:iam/policy:Policy": { policy: KINDS.managed },
    "aws:s3/bucketPolicy:BucketPolicy": { policy: KINDS.bucket },
    "aws:kms/key:Key": { policy: KINDS.key },
    "aws:organizations/policy:Policy": { content: KINDS.scp },
};

export interface CheckFailure {
    readonly property: string;
    readonly reason: string;
}

function statementProblem(statement: unknown, index: number, kind: PolicyKind): string | undefined {
    const s = (statement ?? {}) as Record<string, unknown>;
    const has = (element: string) => s[element] !== undefined || s[`Not${element}`] !== undefined;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return `statement ${index} has no Effect of Allow or Deny`;
    const missing = ["Action", ...kind.requires].find((element) => !has(element));
    return missing ? `statement ${index} has no ${missing} (or Not${missing})` : undefined;
}

/** Why AWS would refuse the document, with the kind of error AWS names it by; undefined if it would not. */
function documentProblem(sent: unknown, kind: PolicyKind): string | undefined {
    if (typeof sent !== "string") return `MalformedPolicyDocument: the ${kind.label} must be a JSON document as a string`;
    let document: PolicyDocument;
    try {
        document = JSON.parse(sent);
    } catch (err) {
        return `MalformedPolicyDocument: the ${kind.label} is not valid JSON (${(err as Error).message})`;
    }
    const statements = ([] as unknown[]).concat(document?.Statement ?? []);
    if (statements.length === 0) return `MalformedPolicyDocument: the ${kind.label} has no statement`;
    const problem = statements.map((s, i) => statementProblem(s, i + 1, kind)).find(Boolean);
    if (problem) return `MalformedPolicyDocument: the ${kind.label}'s ${problem}`;
    const size = kind.size(document, sent);
    if (size > kind.limit) return `LimitExceeded: the ${kind.label} is ${size} ${kind.unit}; AWS allows ${kind.limit} (${kind.source})`;
    return undefined;
}

/** The policy inputs of a resource that AWS would refuse, with why; unknown values are skipped. */
export function policyFailures(type: string, inputs: Props): CheckFailure[] {
    return Object.entries(POLICY_INPUTS[type] ?? {}).flatMap(([property, kind]) => {
        const value = plain(inputs[property]);
        if (value === undefined || value === null || value === UNKNOWN) return [];
        const problem = documentProblem(value, kind);
        return problem ? [{ property, reason: problem }] : [];
    });
}
