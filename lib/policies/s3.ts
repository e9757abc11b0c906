/** Bucket policies: the artifact bucket (seed 001) and its access log bucket. */
import { Conditions, Statement, PolicyDocument, policy, onlyRole } from "./document";
import { arn } from "../naming";

/** A role in another account that may read the artifacts. */
export interface BucketReader {
    readonly accountId: string;
    readonly roleName: string;
    /** Key prefixes, each ending in `/`; empty for the whole bucket. */
    readonly prefixes: readonly string[];
    /**
     * When present, the role is denied every request that does not come through one of these VPC
     * endpoints; an empty list (endpoint not known yet) denies the role everything: fail closed.
     */
    readonly onlyThroughEndpoints?: readonly string[];
    /** Distinguishes the statements of two readers in one account (default: the account ID). */
    readonly label?: string;
}

/**
 * The VPC endpoints through which principals of other accounts must come (seed 003). Requests
 * from the bucket's own account, and those AWS services make on a principal's behalf (the
 * `aws:ViaAWSService` exception AWS documents), are not affected.
 */
export interface DesignatedEndpoints {
    readonly ownAccountId: string;
    readonly endpointIds: readonly string[];
}

/** Conditions matching a request from another account that did not come through a designated endpoint. */
export function outsideDesignatedEndpoints(designated: DesignatedEndpoints): Conditions {
    return {
        StringNotEquals: { "aws:PrincipalAccount": designated.ownAccountId },
        BoolIfExists: { "aws:ViaAWSService": "false" },
        // No endpoint known yet (consumers not deployed): every other account is refused.
        ...(designated.endpointIds.length > 0 ? { StringNotEqualsIfExists: { "aws:SourceVpce": [...designated.endpointIds] } } : {}),
    };
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
export function readStatements(partition: string, bucket: string, prefixes: readonly string[]): Pick<Statement, "Action" | "Resource" | "Condition">[] {
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

/** The artifact bucket's policy: TLS only, list/get for each reader role and nothing else, and optionally designated endpoints only. */
export function artifactBucketPolicy(partition: string, bucket: string, readers: readonly BucketReader[], designated?: DesignatedEndpoints): PolicyDocument {
    const grants = readers.flatMap((reader) => {
        const principal = { AWS: arn.accountRoot(partition, reader.accountId) };
        const roleArn = arn.role(partition, reader.accountId, reader.roleName);
        const [list, get] = readStatements(partition, bucket, reader.prefixes);
        const endpoints = reader.onlyThroughEndpoints;
        const vpcOnly: Statement[] = endpoints === undefined ? [] : [{
            Sid: `DenyOutsideVpcEndpoint${reader.label ?? reader.accountId}`,
            Effect: "Deny",
            Principal: principal,
            Action: "s3:*",
            Resource: [arn.bucket(partition, bucket), arn.objects(partition, bucket)],
            Condition: { ...onlyRole(roleArn), ...(endpoints.length > 0 ? { StringNotEquals: { "aws:sourceVpce": [...endpoints] } } : {}) },
        }];
        return [
            { Sid: `List${reader.label ?? reader.accountId}`, Effect: "Allow" as const, Principal: principal, ...list, Condition: { ...list.Condition, ...onlyRole(roleArn) } },
            { Sid: `Read${reader.label ?? reader.accountId}`, Effect: "Allow" as const, Principal: principal, ...get, Condition: onlyRole(roleArn) },
            ...vpcOnly,
        ];
    });
    const endpointOnly: Statement[] = designated ? [{
        Sid: "DenyOtherAccountsOutsideDesignatedEndpoints",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn.bucket(partition, bucket), arn.objects(partition, bucket)],
        Condition: outsideDesignatedEndpoints(designated),
    }] : [];
    return policy([denyInsecureTransport(partition, bucket), ...endpointOnly, ...grants], "ArtifactBucketPolicy");
}

/**
 * The access log bucket's policy: only the S3 logging service may write, only for the source
 * bucket in this account (the confused-deputy guard AWS documents for server access logging).
 */
export function accessLogBucketPolicy(partition: string, logBucket: string, sourceBucket: string, accountId: string, logPrefix: string): PolicyDocument {
    return policy([
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
    ], "AccessLogBucketPolicy");
}
