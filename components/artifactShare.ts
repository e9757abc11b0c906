import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryptionKey";
import { SecureBucket } from "./secureBucket";
import { BucketReader, accessLogBucketPolicy, artifactBucketPolicy } from "../lib/policies/s3";
import { artifactKeyPolicy } from "../lib/policies/kms";
import { Perimeter } from "../lib/policies/perimeter";
import { accessLogBucketName } from "../lib/naming";

/**
 * Arguments of an {@link ArtifactShare}. Account, Region and names are plain values: they are
 * known when the program starts and both sides of the cross-account grant derive them.
 */
export interface ArtifactShareArgs {
    readonly partition: string;
    readonly region: string;
    /** The research account that owns bucket and key. */
    readonly accountId: string;
    readonly bucketName: string;
    /** Roles in other accounts that may list and read the artifacts, and decrypt them. */
    readonly readers: readonly BucketReader[];
    readonly keyDeletionWindowInDays: number;
    /**
     * When set, other accounts reach bucket and key only through this perimeter (as SageMaker
     * hosting requires): by endpoint owner one perimeter serves both; by endpoint ID, the S3 and
     * KMS endpoints differ.
     */
    readonly otherAccountsPerimeter?: { readonly s3: Perimeter; readonly kms: Perimeter };
    readonly tags?: Record<string, string>;
}

/**
 * The model artifact bucket and its customer managed key in the research account (AWS's
 * cross-account Custom Model Import guide, steps 1 and 3): SSE-KMS with a bucket key, versioned,
 * private, access-logged, TLS only, and readable by the named consumer roles and nobody else
 * outside the account. Bucket and key are protected against accidental deletion.
 */
export class ArtifactShare extends pulumi.ComponentResource {
    public readonly key: EncryptionKey;
    public readonly bucket: SecureBucket;
    public readonly logBucket: SecureBucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: ArtifactShareArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:s3:ArtifactShare", name, {}, opts);
        const { partition, region, accountId, bucketName } = args;
        const logBucketName = accessLogBucketName(bucketName);
        const logPrefix = `${bucketName}/`;

        this.key = new EncryptionKey(
            `${name}-key`,
            {
                description: `Model artifacts in s3://${bucketName}`,
                policy: artifactKeyPolicy(
                    partition,
                    region,
                    accountId,
                    args.readers,
                    args.otherAccountsPerimeter && { perimeter: args.otherAccountsPerimeter.kms },
                ),
                deletionWindowInDays: args.keyDeletionWindowInDays,
                alias: `${bucketName}`,
                protect: true,
                tags: args.tags,
            },
            { parent: this },
        );

        // Server access logs can only be delivered to a bucket with SSE-S3 default encryption.
        this.logBucket = new SecureBucket(
            `${name}-logs`,
            {
                bucketName: logBucketName,
                encryption: "AES256",
                policy: accessLogBucketPolicy(partition, logBucketName, bucketName, accountId, logPrefix),
                protect: true,
                tags: args.tags,
            },
            { parent: this },
        );

        this.bucket = new SecureBucket(
            `${name}-artifacts`,
            {
                bucketName,
                encryption: this.key.arn,
                policy: artifactBucketPolicy(
                    partition,
                    bucketName,
                    args.readers,
                    args.otherAccountsPerimeter && { ownAccountId: accountId, perimeter: args.otherAccountsPerimeter.s3 },
                ),
                accessLogs: { bucket: this.logBucket.name, prefix: logPrefix },
                protect: true,
                tags: args.tags,
            },
            { parent: this },
        );

        this.bucketName = this.bucket.name;
        this.bucketArn = this.bucket.arn;
        this.keyArn = this.key.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
    }
}
