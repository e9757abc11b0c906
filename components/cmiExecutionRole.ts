import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ArtifactLocation, ImportJobVpc, cmiPermissionsPolicy, cmiTrustPolicy } from "../lib/policies/bedrock";
import { toJson } from "../lib/policies/document";

export interface CmiExecutionRoleArgs {
    readonly partition: string;
    readonly region: string;
    /** The hosting account the role lives in and import jobs run in. */
    readonly accountId: string;
    /** Deterministic, because the research account's bucket and key policies name it. */
    readonly roleName: string;
    /** The research account's bucket, key and the prefixes to read. */
    readonly artifacts: pulumi.Input<ArtifactLocation>;
    /** The hosting account's key that encrypts the imported model. */
    readonly importedModelKeyArn: pulumi.Input<string>;
    /** Roles of this account that may assume the role to troubleshoot (`npm run doctor`); none by default. */
    readonly troubleshooterArns?: readonly string[];
    /** Present when import jobs run in a VPC: grants the documented network-interface permissions. */
    readonly vpc?: pulumi.Input<ImportJobVpc>;
    readonly tags?: Record<string, string>;
    /** The permissions boundary of the roles it creates (the account's workload boundary, when deployed through its deployment role). */
    readonly permissionsBoundary?: string;
}

/**
 * The IAM role Amazon Bedrock assumes to run Custom Model Import jobs in a hosting account (AWS's
 * cross-account Custom Model Import guide, steps 2 and 5): trusted by Bedrock only for this
 * account's import jobs, able to read the shared artifacts and decrypt them, and to encrypt the
 * imported model with the hosting key.
 */
export class CmiExecutionRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: CmiExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:bedrock:CmiExecutionRole", name, {}, opts);
        const { partition, region, accountId } = args;
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                name: args.roleName,
                description: "IAM execution role to be used by CMI jobs",
                assumeRolePolicy: toJson(cmiTrustPolicy(partition, region, accountId, args.troubleshooterArns)),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-permissions`,
            {
                role: this.role.name,
                name: `BedrockCMIExecutionPolicy-${accountId}`,
                policy: pulumi
                    .all([args.artifacts, args.importedModelKeyArn, args.vpc])
                    .apply(([artifacts, importedModelKeyArn, vpc]) =>
                        toJson(cmiPermissionsPolicy({ partition, region, accountId, artifacts, importedModelKeyArn, vpc })),
                    ),
            },
            { parent: this },
        );
        this.arn = this.role.arn;
        this.name = this.role.name;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
