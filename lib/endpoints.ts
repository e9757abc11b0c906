/**
 * Interface VPC endpoints this project knows how to create: the endpoint's service short name
 * (`com.amazonaws.<region>.<name>`) and the IAM service prefix its endpoint policy scopes to.
 */
export interface EndpointService {
    /** IAM action prefix of the service behind the endpoint. */
    readonly iamPrefix: string;
    /** Whether the endpoint accepts an endpoint policy (VpcEndpointPolicySupported). */
    readonly supportsPolicy: boolean;
}

export const INTERFACE_ENDPOINTS: Readonly<Record<string, EndpointService>> = {
    "sts": { iamPrefix: "sts", supportsPolicy: true },
    "kms": { iamPrefix: "kms", supportsPolicy: true },
    "logs": { iamPrefix: "logs", supportsPolicy: true },
    "monitoring": { iamPrefix: "cloudwatch", supportsPolicy: true },
    "bedrock": { iamPrefix: "bedrock", supportsPolicy: true },
    "bedrock-runtime": { iamPrefix: "bedrock", supportsPolicy: true },
    "bedrock-agent": { iamPrefix: "bedrock", supportsPolicy: true },
    "bedrock-agent-runtime": { iamPrefix: "bedrock", supportsPolicy: true },
    "sagemaker.api": { iamPrefix: "sagemaker", supportsPolicy: true },
    "sagemaker.runtime": { iamPrefix: "sagemaker", supportsPolicy: true },
    "rekognition": { iamPrefix: "rekognition", supportsPolicy: true },
    "ssm": { iamPrefix: "ssm", supportsPolicy: true },
    "ecr.api": { iamPrefix: "ecr", supportsPolicy: true },
    "ecr.dkr": { iamPrefix: "ecr", supportsPolicy: true },
    "secretsmanager": { iamPrefix: "secretsmanager", supportsPolicy: true },
    "ec2": { iamPrefix: "ec2", supportsPolicy: true },
};

/** The expected form for an unknown endpoint name, for config messages. */
export function checkKnownEndpoint(name: string): string | undefined {
    return INTERFACE_ENDPOINTS[name]
        ? undefined
        : `"${name}" is not an interface endpoint this project supports; expected one of ${Object.keys(INTERFACE_ENDPOINTS).join(", ")}`;
}
