import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { toJson } from "../lib/policies/document";
import { appRolePolicy, appRoleTrustPolicy } from "../lib/policies/rekognition";
import { parameterArn, rekognitionAppRoleName } from "../lib/naming";

export interface ModelConsumerArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The ML account's access role this application may assume. */
    readonly accessRoleArn: string;
    /** The service the application runs on (ECS tasks by default). */
    readonly appServicePrincipal: string;
    /** The SSM parameter holding the version to call, and its value. */
    readonly parameterName: string;
    readonly activeVersionArn: string;
    readonly tags?: Record<string, string>;
    /** The permissions boundary of the roles it creates (the account's workload boundary, when deployed through its deployment role). */
    readonly permissionsBoundary?: string;
}

/**
 * The consumer side of Rekognition Custom Labels sharing in a QA or production account: the
 * application role, which may assume the ML account's access role and read the version parameter,
 * nothing broader; and the parameter (Parameter Store) holding the model version ARN the
 * application calls. Promotion flips the parameter; the application reads it at run time.
 */
export class ModelConsumer extends pulumi.ComponentResource {
    public readonly appRole: aws.iam.Role;
    public readonly appRoleArn: pulumi.Output<string>;
    public readonly parameter: aws.ssm.Parameter;

    constructor(name: string, args: ModelConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:rekognition:ModelConsumer", name, {}, opts);
        const { partition, region, accountId } = args;
        this.appRole = new aws.iam.Role(
            `${name}-app-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                name: rekognitionAppRoleName(accountId),
                description: "Application role that calls the shared Rekognition Custom Labels model",
                assumeRolePolicy: toJson(appRoleTrustPolicy(partition, region, accountId, args.appServicePrincipal)),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-app-permissions`,
            {
                role: this.appRole.name,
                name: "AssumeModelAccessRoleAndReadVersion",
                policy: toJson(appRolePolicy(args.accessRoleArn, parameterArn(partition, region, accountId, args.parameterName))),
            },
            { parent: this },
        );
        this.parameter = new aws.ssm.Parameter(
            `${name}-version`,
            {
                name: args.parameterName,
                type: "String",
                tier: "Standard",
                // Not a secret: `insecureValue` keeps the version visible in previews, where a promotion's flip should show.
                insecureValue: args.activeVersionArn,
                description: "Rekognition Custom Labels model version ARN the application calls (seed 002)",
                tags: args.tags,
            },
            { parent: this },
        );
        this.appRoleArn = this.appRole.arn;
        this.registerOutputs({ appRoleArn: this.appRoleArn, parameterName: this.parameter.name });
    }
}
