import * as aws from "@pulumi/aws";
import { ArtifactShare } from "../components/artifactShare";
import { CrossAccountModelRole } from "../components/crossAccountModelRole";
import { RekognitionConsumer } from "../lib/config/rekognitionConfig";
import { Consumer, ResearchConfig } from "../lib/config/stackConfig";
import { BucketReader } from "../lib/policies/s3";
import { arn, sagemakerDeploymentRoleName, sagemakerExecutionRoleName, stackReferenceName, stackTags } from "../lib/naming";
import { toJson } from "../lib/policies/document";
import { imageRepositoryPolicy, registryPolicy } from "../lib/policies/sagemaker";
import { readFeedback } from "./references";

/** What the research stack reads back from a consumer stack (undefined before its first deployment). */
interface ConsumerFeedback {
    readonly s3EndpointId?: unknown;
    readonly interfaceEndpointIds?: unknown;
}

/**
 * Reads back, once per consumer stack (a stack may be referenced once only), the endpoint IDs
 * that the consumers who must call through their VPC endpoints need.
 */
async function readConsumerFeedback(config: ResearchConfig): Promise<Map<string, ConsumerFeedback>> {
    const stacks = new Set([
        ...config.consumers.filter((c) => c.requireVpcEndpoint || config.vpcEndpointOnly).map((c) => c.stack),
        ...(config.rekognition?.consumers ?? []).filter((c) => c.requireVpcEndpoint).map((c) => c.stack),
        ...(config.sagemaker?.targets ?? []).map((t) => t.stack),
    ]);
    const entries = await Promise.all([...stacks].map(async (stack) =>
        [stack, await readFeedback(stackReferenceName(stack), ["s3EndpointId", "interfaceEndpointIds"])] as const));
    return new Map(entries);
}

/**
 * A consumer as a bucket reader. One that must read through its VPC's S3 endpoint gets that
 * endpoint, or none before the consumer stack's first deployment: the role stays denied until the
 * orchestrator re-applies this stack.
 */
function readerFor(consumer: Consumer, feedback: Map<string, ConsumerFeedback>): BucketReader {
    if (!consumer.requireVpcEndpoint) return consumer;
    const id = feedback.get(consumer.stack)?.s3EndpointId;
    return { ...consumer, onlyThroughEndpoints: typeof id === "string" ? [id] : [] };
}

/** Seed 003: each target's SageMaker execution role reads the model data, only through its VPC's S3 endpoint. */
function sagemakerReaders(config: ResearchConfig, feedback: Map<string, ConsumerFeedback>): BucketReader[] {
    return (config.sagemaker?.targets ?? []).map((t) => {
        const id = feedback.get(t.stack)?.s3EndpointId;
        return {
            accountId: t.accountId,
            roleName: sagemakerExecutionRoleName(t.accountId),
            prefixes: [config.sagemaker!.modelDataPrefix],
            onlyThroughEndpoints: typeof id === "string" ? [id] : [],
            label: `${t.accountId}SageMaker`,
        };
    });
}

/** The endpoints other accounts must come through (seed 003): every consumer VPC's S3 and KMS endpoints known so far. */
function designatedEndpoints(feedback: Map<string, ConsumerFeedback>) {
    const values = [...feedback.values()];
    const strings = (xs: unknown[]) => xs.filter((x): x is string => typeof x === "string");
    return {
        s3: strings(values.map((f) => f.s3EndpointId)),
        kms: strings(values.map((f) => (f.interfaceEndpointIds as Record<string, string> | undefined)?.kms)),
    };
}

/** Seed 003: the model registry, readable by each target's execution and deployment roles. */
function modelRegistry(config: ResearchConfig, tags: Record<string, string>) {
    const registry = config.sagemaker;
    if (!registry) return undefined;
    const group = new aws.sagemaker.ModelPackageGroup("model-registry", {
        modelPackageGroupName: registry.modelPackageGroupName,
        modelPackageGroupDescription: "Approved models for the staging and production accounts (seed 003)",
        tags,
    }, { protect: true });
    new aws.sagemaker.ModelPackageGroupPolicy("model-registry-policy", {
        modelPackageGroupName: group.modelPackageGroupName,
        resourcePolicy: toJson(registryPolicy(config.partition, config.region, config.accountId, registry.modelPackageGroupName,
            registry.targets.map((t) => ({ accountId: t.accountId, roleNames: [sagemakerExecutionRoleName(t.accountId), sagemakerDeploymentRoleName(t.accountId)] })))),
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
 * Seed 003: the repository of the packages' inference image (it exists in this account; only its
 * policy is declared) lets each target's execution role pull, since SageMaker pulls as that role.
 */
function shareInferenceImage(config: ResearchConfig, repositoryName: string): string {
    new aws.ecr.RepositoryPolicy("inference-image-policy", {
        repository: repositoryName,
        policy: toJson(imageRepositoryPolicy(config.partition, config.sagemaker!.targets.map((t) => ({ accountId: t.accountId, roleName: sagemakerExecutionRoleName(t.accountId) })))),
    });
    return `arn:${config.partition}:ecr:${config.region}:${config.accountId}:repository/${repositoryName}`;
}

/** The consumer VPC's rekognition endpoint, when calls must come through it (none yet: all denied). */
function rekognitionEndpoints(consumer: RekognitionConsumer, feedback: Map<string, ConsumerFeedback>): string[] | undefined {
    if (!consumer.requireVpcEndpoint) return undefined;
    const id = (feedback.get(consumer.stack)?.interfaceEndpointIds as Record<string, string> | undefined)?.rekognition;
    return id ? [id] : [];
}

/** Seed 002: the Rekognition project (when configured) and one access role per consumer account. */
function shareRekognitionModel(config: ResearchConfig, feedback: Map<string, ConsumerFeedback>, tags: Record<string, string>) {
    const share = config.rekognition;
    if (!share) return undefined;
    const project = share.projectName === undefined ? undefined : new aws.rekognition.Project("rekognition-project", {
        name: share.projectName,
        feature: "CUSTOM_LABELS",
        tags,
    }, { protect: true });
    const consumers = share.consumers.map((consumer) => {
        const onlyThroughEndpoints = rekognitionEndpoints(consumer, feedback);
        const role = new CrossAccountModelRole(`rekognition-${consumer.stack}`, {
            partition: config.partition,
            consumerAccountId: consumer.accountId,
            appRoleName: consumer.appRoleName,
            externalId: consumer.externalId,
            grantedVersions: consumer.grantedVersions,
            onlyThroughEndpoints,
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
export async function researchProgram(config: ResearchConfig) {
    const feedback = await readConsumerFeedback(config);
    const readers = [...config.consumers.map((c) => readerFor(c, feedback)), ...sagemakerReaders(config, feedback)];
    const share = new ArtifactShare("artifacts", {
        partition: config.partition,
        region: config.region,
        accountId: config.accountId,
        bucketName: config.artifactBucketName,
        readers,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        designatedEndpoints: config.vpcEndpointOnly ? designatedEndpoints(feedback) : undefined,
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
        // Without the endpoint IDs read back from the consumers, so re-applying research for them
        // leaves its exports, and therefore the hosting stacks, unchanged.
        consumers: config.consumers.map((c) => ({ ...c, roleArn: arn.role(config.partition, c.accountId, c.roleName) })),
        ...(rekognition ? { rekognition } : {}),
        ...(sagemaker ? { sagemaker } : {}),
    };
}
