import * as aws from "@pulumi/aws";
import { OrganizationConfig } from "../lib/config/stackConfig";
import { PolicyDocument, toJson } from "../lib/policies/document";
import { rekognitionProjectGuardrail, sagemakerVpcGuardrail } from "../lib/policies/guardrails";
import { stackTags } from "../lib/naming";
import type { Exported } from "../lib/contracts/exported";
import type { OrganizationExports } from "../lib/contracts/organization";

/**
 * The optional Organizations management stack: service control policies that stop consumer accounts
 * from changing Rekognition projects (Rekognition Custom Labels sharing) and SageMaker compute from
 * running outside a VPC (SageMaker hosting), attached to the configured accounts or OUs.
 */
export function organizationProgram(config: OrganizationConfig): Exported<OrganizationExports> {
    const tags = stackTags(config.stack);
    const guardrail = (name: string, description: string, content: PolicyDocument, targets: readonly string[]) => {
        if (targets.length === 0) return undefined;
        const scp = new aws.organizations.Policy(name, {
            name,
            description,
            type: "SERVICE_CONTROL_POLICY",
            content: toJson(content),
            tags,
        });
        for (const target of targets) {
            new aws.organizations.PolicyAttachment(`${name}-${target}`, { policyId: scp.id, targetId: target });
        }
        return scp.id;
    };
    return {
        accountId: config.accountId,
        rekognitionGuardrailId: guardrail(
            "deny-rekognition-project-changes",
            "Consumers call shared Rekognition models; they never create, delete, start or stop projects (seed 002)",
            rekognitionProjectGuardrail(),
            config.guardrails.rekognitionConsumers,
        ),
        sagemakerGuardrailId: guardrail(
            "deny-sagemaker-outside-vpc",
            "SageMaker models, jobs and notebooks only with VPC subnets and security groups (seed 003)",
            sagemakerVpcGuardrail(),
            config.guardrails.sagemakerVpcOnly,
        ),
    };
}
