import { ArtifactShare } from "../components/artifactShare";
import { ResearchConfig } from "../lib/config/stackConfig";
import { arn, stackTags } from "../lib/naming";

/**
 * The research (model development) account: the artifact bucket and key, shared with the CMI
 * execution role of every configured hosting account. Its exports are the contract hosting
 * stacks read through their StackReference (`ResearchExports`).
 */
export function researchProgram(config: ResearchConfig) {
    const share = new ArtifactShare("artifacts", {
        partition: config.partition,
        region: config.region,
        accountId: config.accountId,
        bucketName: config.artifactBucketName,
        readers: config.consumers,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        tags: stackTags(config.stack),
    });
    return {
        accountId: config.accountId,
        region: config.region,
        artifactBucketName: share.bucketName,
        artifactBucketArn: share.bucketArn,
        artifactKeyArn: share.keyArn,
        consumers: config.consumers.map((c) => ({ ...c, roleArn: arn.role(config.partition, c.accountId, c.roleName) })),
    };
}
