/** The organization program's exports: the service control policies it manages. */
import { Fields, checkExports, optional, text } from "./check";

export interface OrganizationExports {
    readonly accountId: string;
    /** The SCP that keeps consumer accounts from changing Rekognition projects, when it has targets. */
    readonly rekognitionGuardrailId?: string;
    /** The SCP that keeps SageMaker compute inside a VPC, when it has targets. */
    readonly sagemakerGuardrailId?: string;
}

export const ORGANIZATION_EXPORTS: Fields<OrganizationExports> = {
    accountId: text,
    rekognitionGuardrailId: optional(text),
    sagemakerGuardrailId: optional(text),
};

export function parseOrganizationExports(stack: string, outputs: Readonly<Record<string, unknown>>): OrganizationExports {
    return checkExports(
        ORGANIZATION_EXPORTS,
        stack,
        outputs,
        `Deploy it with this version of the program (pulumi up -s ${stack.split("/").pop()}).`,
    );
}
