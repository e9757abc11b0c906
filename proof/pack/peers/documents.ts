/**
 * The IAM documents of a threat-model case, as the peer tools read them: every policy document in
 * any input of any resource (`policy`, `assumeRolePolicy`, `inlinePolicies[].policy`, an
 * organizations policy's `content`, an endpoint's `policy`, a log group's `policyDocument`…),
 * found by shape (an object, or a JSON string of one, with a `Statement`) rather than by a list of
 * fields, and told apart by resource type: trust policies (a role's `assumeRolePolicy`), identity
 * policies (IAM and IAM Identity Center types), organization policies (SCPs, RCPs) and resource
 * policies (everything else: buckets, keys, repositories, endpoints, queues…).
 */
import { PackCase } from "../cases/types";

export type DocumentKind = "identity" | "resource" | "trust" | "organization";

export interface IamDocument {
    readonly caseId: string;
    /** The resource's name in the case. */
    readonly resource: string;
    readonly type: string;
    /** Where in the inputs: `policy`, `inlinePolicies[0].policy`. */
    readonly field: string;
    readonly kind: DocumentKind;
    /** The document as the tools take it: the JSON string the program passed, or the object serialised. */
    readonly text: string;
}

/** Inputs that hold a role's trust policy, whatever the resource. */
const TRUST_FIELDS = new Set(["assumeRolePolicy"]);
/** Types whose documents are identity policies: attached to (or inline in) a principal or a permission set. */
const IDENTITY_TYPE_PREFIXES = ["aws:iam/", "aws:ssoadmin/"];
const ORGANIZATION_TYPE_PREFIXES = ["aws:organizations/"];

/** The Pulumi secret's wire form: the value inside. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function documentKind(type: string, field: string): DocumentKind {
    const leaf =
        field
            .replace(/\[\d+\]/g, "")
            .split(".")
            .pop() ?? field;
    if (TRUST_FIELDS.has(leaf)) return "trust";
    if (ORGANIZATION_TYPE_PREFIXES.some((p) => type.startsWith(p))) return "organization";
    if (IDENTITY_TYPE_PREFIXES.some((p) => type.startsWith(p))) return "identity";
    return "resource";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value that is a policy document: `{Statement: …}`, or a JSON string of one. */
function asDocument(value: unknown): { text: string } | undefined {
    if (typeof value === "string") {
        const trimmed = value.trim();
        if (!trimmed.startsWith("{") || !trimmed.includes("Statement")) return undefined;
        try {
            const parsed: unknown = JSON.parse(trimmed);
            return isObject(parsed) && "Statement" in parsed ? { text: value } : undefined;
        } catch {
            return undefined;
        }
    }
    return isObject(value) && "Statement" in value ? { text: JSON.stringify(value) } : undefined;
}

/** Every document in a resource's inputs, with the path it was found at. */
function documentsIn(value: unknown, field: string, found: { field: string; text: string }[]): void {
    if (isObject(value) && value[SECRET_SIG] !== undefined) return documentsIn(value.value, field, found);
    const document = asDocument(value);
    if (document) {
        found.push({ field, text: document.text });
        return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => documentsIn(v, `${field}[${i}]`, found));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) documentsIn(v, field ? `${field}.${k}` : k, found);
}

export function iamDocuments(c: Pick<PackCase, "id" | "resources">): IamDocument[] {
    return c.resources.flatMap((r) => {
        const found: { field: string; text: string }[] = [];
        documentsIn(r.props, "", found);
        return found.map(({ field, text }) => ({
            caseId: c.id,
            resource: r.name,
            type: r.type,
            field,
            kind: documentKind(r.type, field),
            text,
        }));
    });
}

/** A document's key across the processes: unique within a run. */
export const documentKey = (d: Pick<IamDocument, "caseId" | "resource" | "field">) => `${d.caseId}/${d.resource}/${d.field}`;
