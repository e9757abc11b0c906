/** Service control policies: the guardrails of Rekognition Custom Labels sharing and SageMaker hosting, set in the Organizations management account. */
import { PolicyDocument, policy } from "./document";

/**
 * Rekognition Custom Labels sharing: consumer accounts call the shared model but never create,
 * delete, start or stop Rekognition projects or versions. AWS's example SCP limits the resource to
 * `project/*`, but `rekognition:CreateProject` supports no resource-level permissions (the IAM
 * simulator refuses a resource for it), so that statement would never deny it: this one applies to
 * every resource.
 */
export function rekognitionProjectGuardrail(): PolicyDocument {
    return policy([
        {
            Sid: "DenyModifyingRekognitionProjects",
            Effect: "Deny",
            Action: ["rekognition:CreateProject*", "rekognition:DeleteProject*", "rekognition:StartProject*", "rekognition:StopProject*"],
            Resource: "*",
        },
    ]);
}

/** The SageMaker actions that place compute in a network (SageMaker hosting's preventive control). */
const SAGEMAKER_NETWORKED_ACTIONS = [
    "sagemaker:CreateModel",
    "sagemaker:CreateTrainingJob",
    "sagemaker:CreateProcessingJob",
    "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateNotebookInstance",
];

/**
 * SageMaker hosting: no SageMaker model, job or notebook without VPC subnets and security groups.
 * One statement per key, so a request missing either is denied (AWS's example SCP, one Null block
 * for both, denies only when both are missing).
 */
export function sagemakerVpcGuardrail(): PolicyDocument {
    return policy(
        ["VpcSubnets", "VpcSecurityGroupIds"].map((key) => ({
            Sid: `DenySageMakerWithout${key}`,
            Effect: "Deny" as const,
            Action: SAGEMAKER_NETWORKED_ACTIONS,
            Resource: "*",
            Condition: { Null: { [`sagemaker:${key}`]: "true" } },
        })),
    );
}
