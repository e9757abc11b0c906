import { ArtifactShare } from "../components/artifactShare";
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
    return {
        accountId: config.accountId,
        region: config.region,
        artifactBucketName: share.bucketName,
        artifactBucketArn: share.bucketArn,
        artifactKeyArn: share.keyArn,
        consumers: readers.map((c) => ({ ...c, roleArn: arn.role(config.partition, c.accountId, c.roleName) })),
    };
}
