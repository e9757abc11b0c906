import * as aws from "@pulumi/aws";
import { ArtifactShare } from "../components/artifactShare";
import { CrossAccountModelRole } from "../components/crossAccountModelRole";
import { RekognitionConsumer } from "../lib/config/rekognitionConfig";
import { Consumer, ResearchConfig } from "../lib/config/stackConfig";
import { BucketReader } from "../lib/policies/s3";
import { arn, stackReferenceName, stackTags } from "../lib/naming";
import { readFeedback } from "./references";

/**
 * A consumer as a bucket reader. For one that must read through its VPC's S3 endpoint, the
 * endpoint ID comes back from the consumer stack (undefined before its first deployment, which
 * leaves the role denied until the orchestrator re-applies this stack).
 */
async function readerFor(consumer: Consumer): Promise<BucketReader> {
    if (!consumer.requireVpcEndpoint) return consumer;
    const { s3EndpointId } = await readFeedback(stackReferenceName(consumer.stack), ["s3EndpointId"]);
    return { ...consumer, onlyThroughEndpoints: typeof s3EndpointId === "string" ? [s3EndpointId] : [] };
}

/**
 * The research (model development) account: the artifact bucket and key, shared with the CMI
 * execution role of every configured hosting account. Its exports are the contract hosting
 * stacks read through their StackReference (`ResearchExports`).
 */
/** The consumer VPC's rekognition endpoint, read back from its stack, when calls must come through it. */
async function rekognitionEndpoints(consumer: RekognitionConsumer): Promise<string[] | undefined> {
    if (!consumer.requireVpcEndpoint) return undefined;
    const { interfaceEndpointIds } = await readFeedback(stackReferenceName(consumer.stack), ["interfaceEndpointIds"]);
    const id = (interfaceEndpointIds as Record<string, string> | undefined)?.rekognition;
    return id ? [id] : [];
}

/** Seed 002: the Rekognition project (when configured) and one access role per consumer account. */
async function shareRekognitionModel(config: ResearchConfig, tags: Record<string, string>) {
    const share = config.rekognition;
    if (!share) return undefined;
    const project = share.projectName === undefined ? undefined : new aws.rekognition.Project("rekognition-project", {
        name: share.projectName,
        feature: "CUSTOM_LABELS",
        tags,
    }, { protect: true });
    const consumers = await Promise.all(share.consumers.map(async (consumer) => {
        const onlyThroughEndpoints = await rekognitionEndpoints(consumer);
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
    }));
    return { projectArn: project?.arn, consumers };
}

export async function researchProgram(config: ResearchConfig) {
    const readers = await Promise.all(config.consumers.map(readerFor));
    const share = new ArtifactShare("artifacts", {
        partition: config.partition,
        region: config.region,
        accountId: config.accountId,
        bucketName: config.artifactBucketName,
        readers,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        tags: stackTags(config.stack),
    });
    const rekognition = await shareRekognitionModel(config, stackTags(config.stack));
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
    };
}
