/** Bucket policies: the artifact bucket (Bedrock Custom Model Import, shared with SageMaker hosting) and its access log bucket. */
import { Statement, PolicyDocument, policy } from "./document";
import { Perimeter, mergeConditions, otherAccountsOutsidePerimeter } from "./perimeter";
import { CrossAccountRole, groupRoles, perimeterDenies } from "./readers";
import { arn } from "../naming";

/** A role in another account that may read the artifacts. */
export interface BucketReader extends CrossAccountRole {
    /** Key prefixes, each ending in `/`; empty for the whole bucket. */
    readonly prefixes: readonly string[];
    /** When present, the role is denied every request that does not come through this perimeter. */
    readonly perimeter?: Perimeter;
    /** When present, the role's direct use of the key is denied outside this perimeter (its KMS endpoint). */
    readonly keyPerimeter?: Perimeter;
}

/** Denies every request to the bucket that does not use TLS. */
export function denyInsecureTransport(partition: string, bucket: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn.bucket(partition, bucket), arn.objects(partition, bucket)],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * List and read access for a list of prefixes (or the whole bucket): the only S3 permissions
 * cross-account model readers get. Listing is limited with `s3:prefix` so a reader cannot see
 * other teams' object names.
 */
export function readStatements(
    partition: string,
    bucket: string,
    prefixes: readonly string[],
): Pick<Statement, "Action" | "Resource" | "Condition">[] {
    const list: Pick<Statement, "Action" | "Resource" | "Condition"> = {
        Action: "s3:ListBucket",
        Resource: arn.bucket(partition, bucket),
        ...(prefixes.length > 0 ? { Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } } } : {}),
    };
    const get = {
        Action: "s3:GetObject",
        Resource: prefixes.length > 0 ? prefixes.map((p) => arn.objects(partition, bucket, p)) : arn.objects(partition, bucket),
    };
    return [list, get];
}

/**
 * The artifact bucket's policy: TLS only; list/get for each reader role and nothing else; readers
 * with a perimeter denied outside it; and, with `otherAccounts`, every other account's request
 * denied outside that perimeter (SageMaker hosting's endpoint-only bucket).
 */
export function artifactBucketPolicy(
    partition: string,
    bucket: string,
    readers: readonly BucketReader[],
    otherAccounts?: { readonly ownAccountId: string; readonly perimeter: Perimeter },
): PolicyDocument {
    const everything = [arn.bucket(partition, bucket), arn.objects(partition, bucket)];
    const grants = groupRoles(partition, readers, (r) => r.prefixes.join(",")).flatMap((group) => {
        const [list, get] = readStatements(partition, bucket, group.roles[0].prefixes);
        return [
            {
                Sid: `List${group.label}`,
                Effect: "Allow" as const,
                Principal: group.principal,
                ...list,
                Condition: mergeConditions(list.Condition ?? {}, group.condition),
            },
            { Sid: `Read${group.label}`, Effect: "Allow" as const, Principal: group.principal, ...get, Condition: group.condition },
        ];
    });
    const denies = perimeterDenies(partition, readers, (r) => r.perimeter, ["s3:*"], everything);
    const perimeter = otherAccounts
        ? otherAccountsOutsidePerimeter(otherAccounts.perimeter, otherAccounts.ownAccountId, ["s3:*"], everything)
        : [];
    return policy([denyInsecureTransport(partition, bucket), ...perimeter, ...grants, ...denies], "ArtifactBucketPolicy");
}

/**
 * The access log bucket's policy: only the S3 logging service may write, only for the source
 * bucket in this account (the confused-deputy guard AWS documents for server access logging).
 */
export function accessLogBucketPolicy(
    partition: string,
    logBucket: string,
    sourceBucket: string,
    accountId: string,
    logPrefix: string,
): PolicyDocument {
    return policy(
        [
            denyInsecureTransport(partition, logBucket),
            {
                Sid: "S3ServerAccessLogsPolicy",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: arn.objects(partition, logBucket, logPrefix),
                Condition: {
                    ArnLike: { "aws:SourceArn": arn.bucket(partition, sourceBucket) },
                    StringEquals: { "aws:SourceAccount": accountId },
                },
            },
        ],
        "AccessLogBucketPolicy",
    );
}
