/**
 * The research program's exports: what hosting stacks read through their StackReference, and
 * what the offline plan, the access proof and the doctor read of a research stack.
 */
import type { Consumer } from "../config/stackConfig";
import type { SageMakerTarget } from "../config/sagemakerConfig";
import { PROJECT } from "../naming";
import { Fields, checkExport, checkExports, exportNames, flag, listOf, optional, shapeOf, text } from "./check";

/** A hosting account the artifacts are shared with: its entry in `consumers`, and the role granted. */
export interface SharedConsumer extends Consumer {
    readonly roleArn: string;
}

/** One consumer account of the shared Rekognition model. */
export interface RekognitionGrant {
    readonly stack: string;
    readonly accountId: string;
    /** The role in the ML account that the consumer's application role assumes to call the model. */
    readonly accessRoleArn: string;
    readonly appRoleArn: string;
    readonly grantedVersions: readonly string[];
    readonly externalIdRequired: boolean;
}

/** Rekognition sharing, when the research stack shares a model. */
export interface RekognitionShareExports {
    /** The project, when this stack declares it. */
    readonly projectArn?: string;
    readonly consumers: readonly RekognitionGrant[];
}

/** SageMaker's model registry, when the research stack holds one. */
export interface RegistryExports {
    readonly modelPackageGroupArn: string;
    readonly modelPackageGroupName: string;
    readonly approvedModelPackages: readonly string[];
    readonly modelDataPrefix: string;
    readonly targets: readonly SageMakerTarget[];
    /** The inference image's repository in the research account, when research shares one. */
    readonly imageRepositoryArn?: string;
}

export interface ResearchExports {
    readonly accountId: string;
    readonly region: string;
    readonly artifactBucketName: string;
    readonly artifactBucketArn: string;
    readonly artifactKeyArn: string;
    readonly consumers: readonly SharedConsumer[];
    readonly rekognition?: RekognitionShareExports;
    readonly sagemaker?: RegistryExports;
}

export const RESEARCH_EXPORTS: Fields<ResearchExports> = {
    accountId: text,
    region: text,
    artifactBucketName: text,
    artifactBucketArn: text,
    artifactKeyArn: text,
    consumers: listOf(
        shapeOf<SharedConsumer>({
            stack: text,
            accountId: text,
            roleName: text,
            prefixes: listOf(text),
            requireVpcEndpoint: flag,
            roleArn: text,
        }),
    ),
    rekognition: optional(
        shapeOf<RekognitionShareExports>({
            projectArn: optional(text),
            consumers: listOf(
                shapeOf<RekognitionGrant>({
                    stack: text,
                    accountId: text,
                    accessRoleArn: text,
                    appRoleArn: text,
                    grantedVersions: listOf(text),
                    externalIdRequired: flag,
                }),
            ),
        }),
    ),
    sagemaker: optional(
        shapeOf<RegistryExports>({
            modelPackageGroupArn: text,
            modelPackageGroupName: text,
            approvedModelPackages: listOf(text),
            modelDataPrefix: text,
            targets: listOf(shapeOf<SageMakerTarget>({ stack: text, accountId: text })),
            imageRepositoryArn: optional(text),
        }),
    ),
};

/** Every export a reader asks a research stack's StackReference for. */
export const RESEARCH_EXPORT_NAMES = exportNames(RESEARCH_EXPORTS);

const redeploy = (stack: string) =>
    `Deploy the research stack first (pulumi up -s ${stack.split("/").pop()}), with this version of the program, or point ${PROJECT}:researchStack at it.`;

/** A research stack's exports, checked; the error names the stack, the export and how to fix it. */
export function parseResearchExports(stack: string, outputs: Readonly<Record<string, unknown>>): ResearchExports {
    return checkExports(RESEARCH_EXPORTS, stack, outputs, redeploy(stack));
}

/** One export of a research stack, checked. */
export function researchExport<K extends keyof ResearchExports & string>(
    stack: string,
    outputs: Readonly<Record<string, unknown>>,
    name: K,
): ResearchExports[K] {
    return checkExport(RESEARCH_EXPORTS, stack, outputs, name, redeploy(stack));
}
