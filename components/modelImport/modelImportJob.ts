import * as pulumi from "@pulumi/pulumi";
import { ModelImportProvider } from "./provider";

export interface ModelImportJobArgs {
    readonly region: pulumi.Input<string>;
    /** Base job name; the provider appends the resource's generation (8 hex digits). */
    readonly jobName: pulumi.Input<string>;
    /** Base model name; the generation is appended, so a replacement imports beside the old model. */
    readonly importedModelName: pulumi.Input<string>;
    /** The CMI execution role Bedrock assumes. */
    readonly roleArn: pulumi.Input<string>;
    /** `s3://bucket/prefix/` of the model files in the research account. */
    readonly s3Uri: pulumi.Input<string>;
    /** The hosting account's key for the imported model. */
    readonly importedModelKmsKeyArn: pulumi.Input<string>;
    /** Run the job in these subnets and groups (the SecureVpc). */
    readonly vpcConfig?: pulumi.Input<{ subnetIds: string[]; securityGroupIds: string[] }>;
    /** Tags of the imported model; a change tags it in place. */
    readonly tags?: pulumi.Input<Record<string, string>>;
    readonly timeoutMinutes: pulumi.Input<number>;
    readonly pollSeconds: pulumi.Input<number>;
    readonly profile?: pulumi.Input<string>;
    /** The deployment role the stack's provider assumes; the job's Bedrock calls assume it too. */
    readonly assumeRole?: pulumi.Input<{ roleArn: string; sessionName: string; externalId?: pulumi.Input<string> }>;
}

/**
 * An Amazon Bedrock Custom Model Import job and the model it imports (AWS's cross-account Custom
 * Model Import guide, step 6). Creating it starts the job and waits for it; a change to the model's
 * inputs imports a new generation beside the old model, which is deleted once the new one has
 * completed; tags change in place; destroying it deletes the imported model (the guide's cleanup).
 * To read an existing model, pass its ARN or name as `opts.id` (a get). Output fields are
 * `declare`d: a class field would overwrite the outputs the base constructor sets.
 */
export class ModelImportJob extends pulumi.dynamic.Resource {
    declare public readonly jobArn: pulumi.Output<string>;
    declare public readonly fullJobName: pulumi.Output<string>;
    declare public readonly importedModelArn: pulumi.Output<string>;
    /** `<importedModelName>-<generation>`, the model's name in Bedrock. */
    declare public readonly modelName: pulumi.Output<string>;

    constructor(name: string, args: ModelImportJobArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            new ModelImportProvider(),
            name,
            {
                ...args,
                tags: args.tags ?? {},
                jobArn: undefined,
                fullJobName: undefined,
                importedModelArn: undefined,
                modelName: undefined,
            },
            opts,
            "bedrock",
            "ModelImportJob",
        );
    }
}
