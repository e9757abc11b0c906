import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyDocument, toJson } from "../lib/policies/document";

export interface EncryptionKeyArgs {
    /** What the key protects; shown in the KMS console. */
    readonly description: string;
    /** The key's explicit policy, from `lib/policies/kms.ts`. */
    readonly policy: pulumi.Input<PolicyDocument>;
    /** Days KMS waits before deleting a key scheduled for deletion (7-30). */
    readonly deletionWindowInDays: number;
    /** Alias without the `alias/` prefix. */
    readonly alias: string;
    /** Protect the key against `pulumi destroy` and replacement: it guards models that must stay readable. */
    readonly protect: boolean;
    readonly tags?: Record<string, string>;
}

/**
 * A symmetric customer managed key with yearly rotation, an explicit key policy and an alias.
 * Every key in this project is one of these, so the key settings live in one place.
 */
export class EncryptionKey extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly arn: pulumi.Output<string>;
    public readonly alias: aws.kms.Alias;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:kms:EncryptionKey", name, {}, opts);
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: args.description,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.deletionWindowInDays,
                policy: pulumi.output(args.policy).apply(toJson),
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );
        this.alias = new aws.kms.Alias(
            `${name}-alias`,
            {
                // Alias names allow letters, digits, '/', '_' and '-' only.
                name: `alias/${args.alias.replace(/[^a-zA-Z0-9/_-]/g, "-")}`,
                targetKeyId: this.key.keyId,
            },
            { parent: this },
        );
        this.arn = this.key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
