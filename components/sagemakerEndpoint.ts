import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EncryptionKey } from "./encryptionKey";
import { toJson } from "../lib/policies/document";
import {
    deploymentPolicy,
    deploymentTrustPolicy,
    endpointKeyPolicy,
    executionPolicy,
    executionTrustPolicy,
} from "../lib/policies/sagemaker";
import { arn, endpointKeyAlias, endpointLogGroupName, sagemakerDeploymentRoleName, sagemakerExecutionRoleName } from "../lib/naming";

export interface SageMakerEndpointArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The approved model package version to serve (registry in the development account). */
    readonly modelPackageArn: string;
    readonly registry: { readonly accountId: string; readonly group: string };
    /** The development account's artifact bucket, key and the prefix of the models' data. */
    readonly artifacts: { readonly accountId: string; readonly bucket: string; readonly keyArn: string; readonly prefix: string };
    readonly instanceType: string;
    readonly instanceCount: number;
    /** The SecureVpc's private subnets for the model and its workload security group. */
    readonly subnetIds: pulumi.Input<string[]>;
    readonly securityGroupIds: pulumi.Input<string[]>;
    readonly deployerArns: readonly string[];
    readonly endpointName: string;
    readonly logRetentionInDays: number;
    readonly keyDeletionWindowInDays: number;
    /** The ECR repository of the inference image the execution role pulls (config or research's export). */
    readonly imageRepositoryArn?: string;
    readonly tags?: Record<string, string>;
    /** The permissions boundary of the roles it creates (the account's workload boundary, when deployed through its deployment role). */
    readonly permissionsBoundary?: string;
}

/**
 * A VPC-only SageMaker endpoint in a target account (SageMaker hosting): the model execution role
 * SageMaker assumes (reading only the approved artifacts and packages), the deployment role the
 * pipeline assumes (passing only that role, creating models only in the VPC), a key for the
 * endpoint's volume and logs, an encrypted log group, the model with network isolation in the
 * SecureVpc, its encrypted endpoint configuration, and the endpoint.
 */
export class SageMakerEndpoint extends pulumi.ComponentResource {
    public readonly executionRoleArn: pulumi.Output<string>;
    public readonly deploymentRoleArn: pulumi.Output<string>;
    public readonly endpointName: pulumi.Output<string>;
    public readonly modelName: pulumi.Output<string>;

    constructor(name: string, args: SageMakerEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:sagemaker:SageMakerEndpoint", name, {}, opts);
        const { key, logGroup } = this.encryption(name, args);
        const execution = this.executionRole(name, args);
        const deploymentRole = this.deploymentRole(name, args, execution.role, key);
        const { model, endpoint } = this.servedModel(name, args, execution, key, logGroup);

        this.executionRoleArn = execution.role.arn;
        this.deploymentRoleArn = deploymentRole.arn;
        this.endpointName = endpoint.name;
        this.modelName = model.name;
        this.registerOutputs({
            executionRoleArn: this.executionRoleArn,
            deploymentRoleArn: this.deploymentRoleArn,
            endpointName: this.endpointName,
        });
    }

    /** The key for the endpoint's volume and logs, and the encrypted log group SageMaker writes the endpoint's logs to. */
    private encryption(name: string, args: SageMakerEndpointArgs) {
        const { partition, region, accountId, tags } = args;
        const logGroupName = endpointLogGroupName(args.endpointName);
        const key = new EncryptionKey(
            `${name}-key`,
            {
                description: `SageMaker endpoint ${args.endpointName}: ML storage volume and logs`,
                policy: endpointKeyPolicy(
                    partition,
                    region,
                    accountId,
                    sagemakerExecutionRoleName(accountId),
                    sagemakerDeploymentRoleName(accountId),
                    arn.logGroup(partition, region, accountId, logGroupName),
                ),
                deletionWindowInDays: args.keyDeletionWindowInDays,
                alias: endpointKeyAlias(args.endpointName),
                protect: false,
                tags,
            },
            { parent: this },
        );
        // Created before the endpoint, so SageMaker writes into an encrypted group with a retention.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: logGroupName, kmsKeyId: key.arn, retentionInDays: args.logRetentionInDays, tags },
            { parent: this },
        );
        return { key, logGroup };
    }

    /** The role SageMaker assumes to host the model: reads only the approved artifacts, packages and image, places interfaces only in the model's subnets. */
    private executionRole(name: string, args: SageMakerEndpointArgs) {
        const { partition, region, accountId, tags } = args;
        const role = new aws.iam.Role(
            `${name}-execution-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                name: sagemakerExecutionRoleName(accountId),
                description: "Assumed by SageMaker to host approved models from the development account",
                assumeRolePolicy: toJson(executionTrustPolicy(partition, region, accountId)),
                tags,
            },
            { parent: this },
        );
        const logGroupArn = arn.logGroup(partition, region, accountId, endpointLogGroupName(args.endpointName));
        const permissions = new aws.iam.RolePolicy(
            `${name}-execution-permissions`,
            {
                role: role.name,
                name: "HostApprovedModelsInTheVpc",
                policy: pulumi.all([args.subnetIds, args.securityGroupIds]).apply(([subnetIds, securityGroupIds]) =>
                    toJson(
                        executionPolicy({
                            partition,
                            region,
                            accountId,
                            artifacts: args.artifacts,
                            registry: args.registry,
                            subnetIds,
                            securityGroupIds,
                            logGroupArn,
                            imageRepositoryArn: args.imageRepositoryArn,
                        }),
                    ),
                ),
            },
            { parent: this },
        );
        return { role, permissions };
    }

    /** The role the pipeline assumes to deploy: passes only the execution role, creates models only in the VPC, and only this endpoint. */
    private deploymentRole(name: string, args: SageMakerEndpointArgs, executionRole: aws.iam.Role, key: EncryptionKey): aws.iam.Role {
        const { partition, region, accountId, tags } = args;
        const role = new aws.iam.Role(
            `${name}-deployment-role`,
            {
                permissionsBoundary: args.permissionsBoundary,
                name: sagemakerDeploymentRoleName(accountId),
                description: "Assumed by the deployment pipeline to deploy approved models to this account",
                assumeRolePolicy: toJson(deploymentTrustPolicy(partition, accountId, args.deployerArns)),
                tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-deployment-permissions`,
            {
                role: role.name,
                name: "DeployApprovedModelsInTheVpc",
                policy: pulumi.all([executionRole.arn, key.arn]).apply(([executionRoleArn, keyArn]) =>
                    toJson(
                        deploymentPolicy({
                            partition,
                            region,
                            accountId,
                            executionRoleArn,
                            endpointName: args.endpointName,
                            keyArn,
                            registry: args.registry,
                        }),
                    ),
                ),
            },
            { parent: this },
        );
        return role;
    }

    /**
     * The approved package as a model with network isolation in the VPC (once the execution role
     * may host it), its encrypted endpoint configuration, and the endpoint (once its log group exists).
     */
    private servedModel(
        name: string,
        args: SageMakerEndpointArgs,
        execution: { role: aws.iam.Role; permissions: aws.iam.RolePolicy },
        key: EncryptionKey,
        logGroup: aws.cloudwatch.LogGroup,
    ) {
        const { tags } = args;
        const model = new aws.sagemaker.Model(
            `${name}-model`,
            {
                executionRoleArn: execution.role.arn,
                primaryContainer: { modelPackageName: args.modelPackageArn },
                vpcConfig: { subnets: args.subnetIds, securityGroupIds: args.securityGroupIds },
                enableNetworkIsolation: true,
                tags,
            },
            { parent: this, dependsOn: [execution.permissions] },
        );
        const config = new aws.sagemaker.EndpointConfiguration(
            `${name}-config`,
            {
                kmsKeyArn: key.arn,
                productionVariants: [
                    {
                        variantName: "primary",
                        modelName: model.name,
                        instanceType: args.instanceType,
                        initialInstanceCount: args.instanceCount,
                    },
                ],
                tags,
            },
            { parent: this },
        );
        const endpoint = new aws.sagemaker.Endpoint(
            `${name}-endpoint`,
            { name: args.endpointName, endpointConfigName: config.name, tags },
            { parent: this, dependsOn: [logGroup] },
        );
        return { model, endpoint };
    }
}
