import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyDocument, toJson } from "../lib/policies/document";

export interface SecureBucketArgs {
    readonly bucketName: string;
    /**
     * Default encryption: a KMS key ARN for SSE-KMS with an S3 bucket key, or `"AES256"` for
     * SSE-S3 where AWS allows no KMS key (server access log target buckets).
     */
    readonly encryption: pulumi.Input<string>;
    readonly policy: pulumi.Input<PolicyDocument>;
    /** Where to deliver server access logs, if anywhere. */
    readonly accessLogs?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
    readonly protect: boolean;
    readonly tags?: Record<string, string>;
}

/**
 * A private S3 bucket with the settings `@pulumi/aws` v7 keeps as separate resources: public
 * access fully blocked, ACLs disabled, versioning, default encryption, optional access logging,
 * and a bucket policy. Used for the artifact bucket and its log bucket.
 */
export class SecureBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly name: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:s3:SecureBucket", name, {}, opts);
        const parent = { parent: this };
        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: args.bucketName,
                forceDestroy: false,
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );
        const bucket = this.bucket.id;

        const publicAccess = this.closeToTheWorld(name, bucket, args.encryption);
        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                `${name}-logging`,
                {
                    bucket,
                    targetBucket: args.accessLogs.bucket,
                    targetPrefix: args.accessLogs.prefix,
                },
                parent,
            );
        }
        // After the public access block, so the policy is never evaluated on a bucket without it.
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket,
                policy: pulumi.output(args.policy).apply(toJson),
            },
            { parent: this, dependsOn: [publicAccess] },
        );

        this.name = this.bucket.bucket;
        this.arn = this.bucket.arn;
        this.registerOutputs({ name: this.name, arn: this.arn });
    }

    /**
     * Public access blocked, ACLs disabled (the bucket owner owns every object), every version kept
     * and every object encrypted by default. Returns the public access block, which the bucket
     * policy waits for.
     */
    private closeToTheWorld(name: string, bucket: pulumi.Input<string>, encryption: SecureBucketArgs["encryption"]) {
        const parent = { parent: this };
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            {
                bucket,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            },
            parent,
        );
        new aws.s3.BucketVersioning(
            `${name}-versioning`,
            {
                bucket,
                versioningConfiguration: { status: "Enabled" },
            },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    pulumi.output(encryption).apply((encryption) =>
                        encryption === "AES256"
                            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                            : {
                                  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption },
                                  bucketKeyEnabled: true,
                              },
                    ),
                ],
            },
            parent,
        );
        return publicAccess;
    }
}
