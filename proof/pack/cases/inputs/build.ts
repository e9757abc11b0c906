/** Building blocks of the resource-input cases: resources in the development account, as the engine sends them. */
import { CaseResource, DEV, OUTSIDER, PackCase, RESEARCH, providerIn } from "../types";

/** A resource of the development account (its default provider pinned to it). */
export const inDev = (type: string, name: string, props: Record<string, unknown>, deps?: CaseResource["deps"]): CaseResource => ({
    type,
    name,
    props,
    provider: providerIn(DEV),
    ...(deps ? { deps } : {}),
});

/** An insecure case: `rule` must report it. */
export const insecure = (
    threat: PackCase["threat"],
    rule: string,
    id: string,
    why: string,
    resources: readonly CaseResource[],
    config?: PackCase["config"],
): PackCase => ({ id, threat, verdict: "insecure", rule, why, resources, ...(config ? { config } : {}) });

/** An acceptable look-alike: no rule may report anything. */
export const acceptable = (
    threat: PackCase["threat"],
    id: string,
    why: string,
    resources: readonly CaseResource[],
    config?: PackCase["config"],
): PackCase => ({ id, threat, verdict: "acceptable", why, resources, ...(config ? { config } : {}) });

export const REGION = "us-east-1";
export const DEV_KEY = `arn:aws:kms:${REGION}:${DEV}:key/0b6c3a8e-5d0f-4b1e-9a53-2f8f2a1c7d10`;
export const DEV_ROLE = `arn:aws:iam::${DEV}:role/SageMakerModelExecutionRole-${DEV}`;
export const DEV_SUBNETS = ["subnet-61a7099c177437112", "subnet-b84aade53073e19aa"];
export const WORKLOAD_SG = "sg-0c66c867655ee097d";
export const IN_VPC = { subnets: DEV_SUBNETS, securityGroupIds: [WORKLOAD_SG] };
/** The Deep Learning Containers registry (an AWS-owned account, allowed by default). */
export const DLC_IMAGE = `763104351884.dkr.ecr.${REGION}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311`;
export const MODEL_PACKAGE = `arn:aws:sagemaker:${REGION}:${RESEARCH}:model-package/abalone-models/4`;
export const OUTSIDE_ARN = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${OUTSIDER}:${resource}`;

/** A SageMaker model in the VPC with network isolation, its containers (primaryContainer or containers) given. */
export const model = (name: string, props: Record<string, unknown>): CaseResource =>
    inDev("aws:sagemaker/model:Model", name, { executionRoleArn: DEV_ROLE, vpcConfig: IN_VPC, enableNetworkIsolation: true, ...props });

/** A Lambda function with the environment variables given. */
export const lambda = (name: string, variables: Record<string, string>): CaseResource =>
    inDev("aws:lambda/function:Function", name, {
        role: `arn:aws:iam::${DEV}:role/${name}-role`,
        runtime: "python3.12",
        handler: "app.handler",
        environment: { variables },
    });
