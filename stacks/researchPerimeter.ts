/**
 * The research stack's network perimeter (SageMaker hosting's endpoint-only bucket and key, and the
 * consumers' endpoint-only options): which perimeter each reader role and every other account gets,
 * the endpoint IDs read back from pinned consumer stacks, and the check that the bucket and key
 * policies fit AWS's size limits.
 */
import { BucketReader, artifactBucketPolicy } from "../lib/policies/s3";
import { artifactKeyPolicy } from "../lib/policies/kms";
import { Perimeter } from "../lib/policies/perimeter";
import { POLICY_SIZE_LIMITS, policySize } from "../lib/policies/limits";
import { PolicyDocument } from "../lib/policies/document";
import { ConfigError } from "../lib/config/errors";
import { isPinned } from "../lib/config/perimeterConfig";
import { pinnedFeedbackStacks } from "../lib/contracts/references";
import { Consumer, ResearchConfig, consumerStacks } from "../lib/config/stackConfig";
import { sagemakerExecutionRoleName, stackReferenceName, PROJECT } from "../lib/naming";
import { EndpointFeedback, FEEDBACK_EXPORT_NAMES, parseEndpointFeedback } from "../lib/contracts/hosting";
import { readFeedback } from "./references";

/** Endpoint IDs read back from pinned consumer stacks, by stack. */
export type Feedback = ReadonlyMap<string, EndpointFeedback>;

/** Reads back, once per pinned consumer stack (a stack may be referenced once only), its endpoint IDs. */
export async function readConsumerFeedback(config: ResearchConfig): Promise<Feedback> {
    const entries = await Promise.all(
        pinnedFeedbackStacks(config).map(
            async (stack) =>
                [
                    stack,
                    parseEndpointFeedback(stackReferenceName(stack), await readFeedback(stackReferenceName(stack), FEEDBACK_EXPORT_NAMES)),
                ] as const,
        ),
    );
    return new Map(entries);
}

const known = (ids: readonly (string | undefined)[]) => ids.filter((id): id is string => id !== undefined);
const interfaceEndpoint = (f: EndpointFeedback | undefined, service: string) => f?.interfaceEndpointIds?.[service];

/**
 * The perimeter of one consumer stack's roles for one service: by endpoint owner, or, when pinned,
 * the endpoint ID read back (none before the stack's first deployment: denied until research is
 * re-applied, fail closed).
 */
export function perimeterOf(config: ResearchConfig, feedback: Feedback, stack: string, service: "s3" | "kms" | "rekognition"): Perimeter {
    if (!isPinned(config.perimeter, stack)) return { kind: "endpoint-owner", organizationId: config.perimeter.organizationId };
    const f = feedback.get(stack);
    return { kind: "endpoint-id", endpointIds: known([service === "s3" ? f?.s3EndpointId : interfaceEndpoint(f, service)]) };
}

/** The perimeter of every other account (SageMaker hosting's endpoint-only bucket and key): by owner, or every pinned consumer's endpoints. */
export function otherAccountsPerimeter(config: ResearchConfig, feedback: Feedback): { s3: Perimeter; kms: Perimeter } {
    if (config.perimeter.mode === "endpoint-owner") {
        const owner: Perimeter = { kind: "endpoint-owner", organizationId: config.perimeter.organizationId };
        return { s3: owner, kms: owner };
    }
    const values = [...feedback.values()];
    return {
        s3: { kind: "endpoint-id", endpointIds: known(values.map((f) => f.s3EndpointId)) },
        kms: { kind: "endpoint-id", endpointIds: known(values.map((f) => interfaceEndpoint(f, "kms"))) },
    };
}

/** A consumer as a bucket reader, fenced to its perimeter when it must read through its VPC endpoint. */
function readerFor(config: ResearchConfig, consumer: Consumer, feedback: Feedback): BucketReader {
    return consumer.requireVpcEndpoint ? { ...consumer, ...fencesOf(config, feedback, consumer.stack) } : consumer;
}

/** A fenced reader's perimeters: its S3 reads, and its direct use of the key through KMS. */
function fencesOf(config: ResearchConfig, feedback: Feedback, stack: string): Pick<BucketReader, "perimeter" | "keyPerimeter"> {
    return { perimeter: perimeterOf(config, feedback, stack, "s3"), keyPerimeter: perimeterOf(config, feedback, stack, "kms") };
}

/** SageMaker hosting: each target's SageMaker execution role reads the model data, only through its VPC's S3 endpoint. */
function sagemakerReaders(config: ResearchConfig, feedback: Feedback): BucketReader[] {
    return (config.sagemaker?.targets ?? []).map((t) => ({
        accountId: t.accountId,
        roleName: sagemakerExecutionRoleName(t.accountId),
        prefixes: [config.sagemaker!.modelDataPrefix],
        ...fencesOf(config, feedback, t.stack),
        label: `${t.accountId}SageMaker`,
    }));
}

/** Every reader of the artifacts: the CMI roles of the consumers and the SageMaker targets' execution roles. */
export function artifactReaders(config: ResearchConfig, feedback: Feedback): BucketReader[] {
    return [...config.consumers.map((c) => readerFor(config, c, feedback)), ...sagemakerReaders(config, feedback)];
}

/** Distinct endpoint IDs of the form AWS gives (vpce- and 17 hex digits), for sizing policies before the real ones are known. */
const placeholderEndpoint = (n: number) => `vpce-${n.toString(16).padStart(17, "0")}`;

/** Feedback as it will be once every pinned consumer is deployed: policies at their full size. */
function placeholderFeedback(config: ResearchConfig): Feedback {
    return new Map(
        pinnedFeedbackStacks(config).map((stack, i) => [
            stack,
            {
                s3EndpointId: placeholderEndpoint(3 * i),
                interfaceEndpointIds: { kms: placeholderEndpoint(3 * i + 1), rekognition: placeholderEndpoint(3 * i + 2) },
            },
        ]),
    );
}

/** The artifact bucket and key policies a configuration produces once its pinned consumers are deployed. */
export function artifactPolicies(config: ResearchConfig): { bucket: PolicyDocument; key: PolicyDocument } {
    const feedback = placeholderFeedback(config);
    const readers = artifactReaders(config, feedback);
    const others = config.vpcEndpointOnly ? otherAccountsPerimeter(config, feedback) : undefined;
    return {
        bucket: artifactBucketPolicy(
            config.partition,
            config.artifactBucketName,
            readers,
            others && { ownAccountId: config.accountId, perimeter: others.s3 },
        ),
        key: artifactKeyPolicy(config.partition, config.region, config.accountId, readers, others && { perimeter: others.kms }),
    };
}

/** The configuration sharing with the first `count` consumer stacks only. */
function withFirstConsumers(config: ResearchConfig, count: number): ResearchConfig {
    const kept = new Set(consumerStacks(config).slice(0, count));
    return {
        ...config,
        consumers: config.consumers.filter((c) => kept.has(c.stack)),
        rekognition: config.rekognition && {
            ...config.rekognition,
            consumers: config.rekognition.consumers.filter((c) => kept.has(c.stack)),
        },
        sagemaker: config.sagemaker && { ...config.sagemaker, targets: config.sagemaker.targets.filter((t) => kept.has(t.stack)) },
    };
}

/**
 * Fails before anything is registered when the artifact bucket or key policy would exceed its AWS
 * size limit, saying how many consumer stacks fit with this configuration: AWS would refuse the
 * policy in the middle of an update otherwise.
 */
export function checkPolicySizes(config: ResearchConfig): void {
    const over = (c: ResearchConfig) => {
        const policies = artifactPolicies(c);
        return (["bucket", "key"] as const)
            .filter((kind) => policySize(policies[kind]) > POLICY_SIZE_LIMITS[kind])
            .map((kind) => ({ kind, size: policySize(policies[kind]) }));
    };
    const problems = over(config);
    if (problems.length === 0) return;
    const stacks = consumerStacks(config);
    let fit = 0;
    for (let lo = 0, hi = stacks.length; lo <= hi; ) {
        const mid = Math.floor((lo + hi) / 2);
        if (over(withFirstConsumers(config, mid)).length === 0) {
            fit = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    const pinned = config.perimeter.mode === "endpoint-id" || config.perimeter.pinnedStacks.length > 0;
    throw new ConfigError(
        config.stackFile,
        problems.map(({ kind, size }) => ({
            key: `${PROJECT}:consumers`,
            message: `the artifact ${kind} policy would be ${size} bytes with ${stacks.length} consumer stacks; AWS allows ${POLICY_SIZE_LIMITS[kind]} bytes for a ${kind} policy. At most ${fit} consumer stacks fit with this configuration; expected at most ${fit}${pinned ? ", or fewer stacks pinned to endpoint IDs (perimeter.mode endpoint-owner adds no IDs)" : ""}, or a second research stack for the rest`,
        })),
    );
}
