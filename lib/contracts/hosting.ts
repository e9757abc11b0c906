/**
 * The hosting program's exports: what the research stack reads back from pinned consumer stacks
 * (their endpoint IDs), and what the offline plan, the access proof and the doctor read.
 */
import { Check, Fields, checkExport, checkExports, exportNames, listOf, mapOf, optional, text } from "./check";

export interface HostingExports {
    readonly accountId: string;
    readonly region: string;
    /** The research stack it reads, fully qualified. */
    readonly researchStack: string;
    readonly cmiRoleArn: string;
    readonly importedModelKeyArn: string;
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly workloadSecurityGroupId: string;
    readonly s3EndpointId: string;
    /** Interface endpoint IDs by service name (`kms`, `rekognition`, ...). */
    readonly interfaceEndpointIds: Readonly<Record<string, string>>;
    /** With `modelImport`: the Bedrock import job and the model it imported. */
    readonly modelImportJobArn?: string;
    readonly importedModelArn?: string;
    /** With `rekognition`: the application role, the version parameter and the version it names. */
    readonly rekognitionAppRoleArn?: string;
    readonly modelVersionParameter?: string;
    readonly activeModelVersionArn?: string;
    /** With `sagemaker`: the endpoint, its roles and the package it serves. */
    readonly sagemakerEndpointName?: string;
    readonly sagemakerExecutionRoleArn?: string;
    readonly sagemakerDeploymentRoleArn?: string;
    readonly servedModelPackageArn?: string;
}

const endpointIds: Check<Readonly<Record<string, string>>> = mapOf(text);

export const HOSTING_EXPORTS: Fields<HostingExports> = {
    accountId: text,
    region: text,
    researchStack: text,
    cmiRoleArn: text,
    importedModelKeyArn: text,
    vpcId: text,
    subnetIds: listOf(text),
    workloadSecurityGroupId: text,
    s3EndpointId: text,
    interfaceEndpointIds: endpointIds,
    modelImportJobArn: optional(text),
    importedModelArn: optional(text),
    rekognitionAppRoleArn: optional(text),
    modelVersionParameter: optional(text),
    activeModelVersionArn: optional(text),
    sagemakerEndpointName: optional(text),
    sagemakerExecutionRoleArn: optional(text),
    sagemakerDeploymentRoleArn: optional(text),
    servedModelPackageArn: optional(text),
};

const redeploy = (stack: string) => `Deploy it with this version of the program (pulumi up -s ${stack.split("/").pop()}).`;

export function parseHostingExports(stack: string, outputs: Readonly<Record<string, unknown>>): HostingExports {
    return checkExports(HOSTING_EXPORTS, stack, outputs, redeploy(stack));
}

/** One export of a hosting stack, checked. */
export function hostingExport<K extends keyof HostingExports & string>(
    stack: string,
    outputs: Readonly<Record<string, unknown>>,
    name: K,
): HostingExports[K] {
    return checkExport(HOSTING_EXPORTS, stack, outputs, name, redeploy(stack));
}

/**
 * What the research stack reads back from a consumer stack pinned to its endpoint IDs: nothing
 * before that stack's first deployment (research denies until it is re-applied, fail closed).
 */
export type EndpointFeedback = Partial<Pick<HostingExports, "s3EndpointId" | "interfaceEndpointIds">>;

const FEEDBACK: Fields<EndpointFeedback> = { s3EndpointId: optional(text), interfaceEndpointIds: optional(endpointIds) };

export const FEEDBACK_EXPORT_NAMES = exportNames(FEEDBACK);

export function parseEndpointFeedback(stack: string, outputs: Readonly<Record<string, unknown>>): EndpointFeedback {
    return checkExports(FEEDBACK, stack, outputs, redeploy(stack));
}
