import * as aws from "@pulumi/aws";
import { ArtifactShare } from "../components/artifactShare";
import { CrossAccountModelRole } from "../components/crossAccountModelRole";
import { ResearchConfig } from "../lib/config/stackConfig";
import { arn, deploymentRoleName, sagemakerDeploymentRoleName, sagemakerExecutionRoleName, stackTags } from "../lib/naming";
import { toJson } from "../lib/policies/document";
import { imageRepositoryPolicy, registryPolicy } from "../lib/policies/sagemaker";
import type { Exported } from "../lib/contracts/exported";
import { permissionsBoundaryOf } from "../lib/deployment/scope";
import type { RegistryExports, RekognitionShareExports, ResearchExports } from "../lib/contracts/research";
import {
    Feedback,
    artifactReaders,
    checkPolicySizes,
    otherAccountsPerimeter,
    perimeterOf,
    readConsumerFeedback,
} from "./researchPerimeter";

/** SageMaker hosting: the model registry, readable by each target's execution and deployment roles. */
function modelRegistry(config: ResearchConfig, tags: Record<string, string>): Exported<RegistryExports> | undefined {
    const registry = config.sagemaker;
    if (!registry) return undefined;
    const group = new aws.sagemaker.ModelPackageGroup(
        "model-registry",
        {
            modelPackageGroupName: registry.modelPackageGroupName,
            // Kept as deployed (its old label): SageMaker cannot update a group's description, so a new
            // one would replace this protected group.
            modelPackageGroupDescription: "Approved models for the staging and production accounts (seed 003)",
            tags,
        },
        { protect: true },
    );
    new aws.sagemaker.ModelPackageGroupPolicy("model-registry-policy", {
        modelPackageGroupName: group.modelPackageGroupName,
        resourcePolicy: toJson(
            registryPolicy(
                config.partition,
                config.region,
                config.accountId,
                registry.modelPackageGroupName,
                registry.targets.map((t) => ({
                    accountId: t.accountId,
                    // The account's deployment role creates the model from the package (CreateModel describes it).
                    roleNames: [
                        sagemakerExecutionRoleName(t.accountId),
                        sagemakerDeploymentRoleName(t.accountId),
                        deploymentRoleName(t.accountId),
                    ],
                })),
            ),
        ),
    });
    const imageRepositoryArn = registry.imageRepositoryName && shareInferenceImage(config, registry.imageRepositoryName);
    return {
        ...(imageRepositoryArn ? { imageRepositoryArn } : {}),
        modelPackageGroupArn: group.arn,
        modelPackageGroupName: registry.modelPackageGroupName,
        approvedModelPackages: registry.approvedModelPackages,
        modelDataPrefix: registry.modelDataPrefix,
        targets: registry.targets,
    };
}

/**
 * SageMaker hosting: the repository of the packages' inference image (it exists in this account;
 * only its policy is declared) lets each target's execution role pull, since SageMaker pulls as
 * that role.
 */
function shareInferenceImage(config: ResearchConfig, repositoryName: string): string {
    new aws.ecr.RepositoryPolicy("inference-image-policy", {
        repository: repositoryName,
        policy: toJson(
            imageRepositoryPolicy(
                config.partition,
                config.sagemaker!.targets.map((t) => ({ accountId: t.accountId, roleName: sagemakerExecutionRoleName(t.accountId) })),
            ),
        ),
    });
    return `arn:${config.partition}:ecr:${config.region}:${config.accountId}:repository/${repositoryName}`;
}

/** Rekognition Custom Labels sharing: the Rekognition project (when configured) and one access role per consumer account. */
function shareRekognitionModel(
    config: ResearchConfig,
    feedback: Feedback,
    tags: Record<string, string>,
): Exported<RekognitionShareExports> | undefined {
    const share = config.rekognition;
    if (!share) return undefined;
    const project =
        share.projectName === undefined
            ? undefined
            : new aws.rekognition.Project(
                  "rekognition-project",
                  {
                      name: share.projectName,
                      feature: "CUSTOM_LABELS",
                      tags,
                  },
                  { protect: true },
              );
    const consumers = share.consumers.map((consumer) => {
        const role = new CrossAccountModelRole(`rekognition-${consumer.stack}`, {
            partition: config.partition,
            consumerAccountId: consumer.accountId,
            appRoleName: consumer.appRoleName,
            externalId: consumer.externalId?.output(),
            grantedVersions: consumer.grantedVersions,
            perimeter: consumer.requireVpcEndpoint ? perimeterOf(config, feedback, consumer.stack, "rekognition") : undefined,
            permissionsBoundary: permissionsBoundaryOf(config),
            tags,
        });
        return {
            stack: consumer.stack,
            accountId: consumer.accountId,
            accessRoleArn: role.arn,
            appRoleArn: arn.role(config.partition, consumer.accountId, consumer.appRoleName),
            grantedVersions: consumer.grantedVersions,
            externalIdRequired: consumer.externalId !== undefined,
        };
    });
    return { projectArn: project?.arn, consumers };
}

/**
 * The research (model development, ML) account: the artifact bucket and key, shared with the CMI
 * execution role of every configured hosting account, and the shared Rekognition model. Its
 * exports are the contract hosting stacks read through their StackReference (`ResearchExports`).
 */
export async function researchProgram(config: ResearchConfig): Promise<Exported<ResearchExports>> {
    checkPolicySizes(config);
    const feedback = await readConsumerFeedback(config);
    const share = new ArtifactShare("artifacts", {
        partition: config.partition,
        region: config.region,
        accountId: config.accountId,
        bucketName: config.artifactBucketName,
        readers: artifactReaders(config, feedback),
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        otherAccountsPerimeter: config.vpcEndpointOnly ? otherAccountsPerimeter(config, feedback) : undefined,
        tags: stackTags(config.stack),
    });
    const rekognition = shareRekognitionModel(config, feedback, stackTags(config.stack));
    const sagemaker = modelRegistry(config, stackTags(config.stack));
    return {
        accountId: config.accountId,
        region: config.region,
        artifactBucketName: share.bucketName,
        artifactBucketArn: share.bucketArn,
        artifactKeyArn: share.keyArn,
        // Without endpoint IDs read back from pinned consumers, so re-applying research for them
        // leaves its exports, and therefore the hosting stacks, unchanged.
        consumers: config.consumers.map((c) => ({ ...c, roleArn: arn.role(config.partition, c.accountId, c.roleName) })),
        ...(rekognition ? { rekognition } : {}),
        ...(sagemaker ? { sagemaker } : {}),
    };
}
