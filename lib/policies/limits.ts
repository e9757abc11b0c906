/** AWS's size limits of the resource policies this project writes, and how AWS measures them. */
import { PolicyDocument, toJson } from "./document";

/**
 * Bytes: "Bucket policies are limited to 20 KB in size" (Amazon S3 User Guide, bucket policies);
 * a key policy may be up to 32 KB (32,768 bytes; AWS KMS Developer Guide, key policies, quotas).
 */
export const POLICY_SIZE_LIMITS = { bucket: 20 * 1024, key: 32 * 1024 } as const;

/** The size AWS counts: the document as serialised, without whitespace. */
export function policySize(document: PolicyDocument): number {
    return Buffer.byteLength(toJson(document), "utf8");
}
