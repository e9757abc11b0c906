import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { toJson } from "../lib/policies/document";
import { modelAccessPolicy, modelAccessTrustPolicy } from "../lib/policies/rekognition";
import { rekognitionAccessRoleName } from "../lib/naming";
import { Perimeter } from "../lib/policies/perimeter";

export interface CrossAccountModelRoleArgs {
    readonly partition: string;
    /** The consumer account whose application role may assume this role. */
    readonly consumerAccountId: string;
    readonly appRoleName: string;
    /** Required of the consumer when set; pass it as a secret, and the trust policy stays secret too. */
    readonly externalId?: pulumi.Input<string>;
    /** Model version ARNs the consumer may call; two during a promotion, one otherwise. */
    readonly grantedVersions: readonly string[];
    /** When set, calls must come through the consumer's VPC endpoints: any of its account's, or the named ones. */
    readonly perimeter?: Perimeter;
    readonly tags?: Record<string, string>;
    /** The permissions boundary of the roles it creates (the account's workload boundary, when deployed through its deployment role). */
    readonly permissionsBoundary?: string;
}

/**
 * The role in the ML account that one consumer account assumes to call the shared Rekognition
 * Custom Labels model (Rekognition Custom Labels sharing): trusted by the consumer's application
 * role only, allowed `rekognition:DetectCustomLabels` on the promoted versions only. Its name is
 * deterministic, so the consumer's policy can name it before it exists.
 */
export class CrossAccountModelRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: CrossAccountModelRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:rekognition:CrossAccountModelRole", name, {}, opts);
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                name: rekognitionAccessRoleName(args.consumerAccountId),
                description: `Calls the shared Rekognition Custom Labels model for account ${args.consumerAccountId}`,
                assumeRolePolicy: pulumi
                    .output(args.externalId)
                    .apply((externalId) =>
                        toJson(modelAccessTrustPolicy(args.partition, args.consumerAccountId, args.appRoleName, externalId)),
                    ),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent: this },
        );
        const permissions = modelAccessPolicy(args.grantedVersions, args.consumerAccountId, args.perimeter);
        if (permissions) {
            new aws.iam.RolePolicy(
                `${name}-detect`,
                { role: this.role.name, name: "DetectCustomLabelsOnPromotedVersions", policy: toJson(permissions) },
                { parent: this },
            );
        }
        this.arn = this.role.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
