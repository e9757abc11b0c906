/**
 * Interface VPC endpoints this project knows how to create: the endpoint's service short name
 * (`com.amazonaws.<region>.<name>`), whether it takes an endpoint policy, and the actions the
 * workloads of the hosting VPC call through it. Endpoint policies admit those actions only, for
 * principals of the trusted accounts and, where the action names a resource, only on resources of
 * the trusted accounts (`aws:ResourceAccount`): the VPC cannot reach another account's keys, roles,
 * models or parameters even with credentials that IAM would allow (the data perimeter's resource side).
 *
 * Endpoint policy support, from AWS text (checked with the `search` tool; without AWS access here,
 * `aws ec2 describe-vpc-endpoint-services --service-names com.amazonaws.<region>.<name> --query
 * "ServiceDetails[].VpcEndpointPolicySupported"` is the authoritative check before deploying):
 * - kms: confirmed. KMS Developer Guide, "Connect to an AWS KMS VPC endpoint" (vpce-connect.html):
 *   a request through the endpoint needs both a key/IAM policy and "a VPC endpoint policy" allowing
 *   it; "Identity and access management for AWS KMS" (security-iam.html): endpoint policies decide
 *   which principals, API calls and KMS keys the endpoint serves.
 * - ssm, sts, ec2, ecr.api: AWS's data perimeter examples (aws-samples/data-perimeter-policy-examples,
 *   vpc_endpoint_policies/*_endpoint_policy.json) publish endpoint policies for them, with
 *   `aws:ResourceOrgID` on every action: the resource side is supported. For ssm they note
 *   AWS-owned public parameters (`arn:aws:ssm:<region>::parameter/aws/*`) carry no account, so a
 *   resource-account condition refuses them; these workloads read only their own parameter.
 * - bedrock, bedrock-runtime: the Bedrock User Guide ("Use interface VPC endpoints (AWS
 *   PrivateLink)", vpc-interface-endpoints.html) lists both endpoint suffixes; the excerpts
 *   retrievable here did not show its endpoint-policy section, so support stays unconfirmed from
 *   text and is marked so below (a policy is still set: the PrivateLink Guide says a service
 *   without support allows full access, so setting one never loosens anything).
 * - aws:ResourceAccount is left out for actions that name no resource (sts:GetCallerIdentity,
 *   ecr:GetAuthorizationToken, cloudwatch:PutMetricData, List and EC2 Describe calls): they have no
 *   resource account to match, and reach no other account's data.
 */
export interface EndpointService {
    /** Whether the endpoint accepts an endpoint policy (VpcEndpointPolicySupported). */
    readonly supportsPolicy: boolean;
    /** Whether AWS text seen for this project confirms the endpoint policy support. */
    readonly policySupportConfirmed: boolean;
    /** Actions on resources, allowed only where the resource is in a trusted account. */
    readonly actions: readonly string[];
    /** Actions that name no resource, allowed for trusted principals alone. */
    readonly actionsWithoutResource?: readonly string[];
}

const ECR_PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

export const INTERFACE_ENDPOINTS: Readonly<Record<string, EndpointService>> = {
    // Assume the shared Rekognition access role (Rekognition Custom Labels sharing), the CMI role
    // (doctor); who am I (doctor).
    sts: {
        supportsPolicy: true,
        policySupportConfirmed: true,
        actions: ["sts:AssumeRole", "sts:TagSession"],
        actionsWithoutResource: ["sts:GetCallerIdentity"],
    },
    // Use and describe keys of the trusted accounts; no key administration through the VPC.
    kms: {
        supportsPolicy: true,
        policySupportConfirmed: true,
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
    },
    logs: {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
    },
    monitoring: { supportsPolicy: true, policySupportConfirmed: false, actions: [], actionsWithoutResource: ["cloudwatch:PutMetricData"] },
    // Follow the import job and the imported model; creating jobs is the deployer's, from outside the VPC.
    bedrock: {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ["bedrock:GetImportedModel", "bedrock:GetModelImportJob"],
        actionsWithoutResource: ["bedrock:ListImportedModels", "bedrock:ListModelImportJobs"],
    },
    "bedrock-runtime": {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
    },
    "bedrock-agent": { supportsPolicy: true, policySupportConfirmed: false, actions: ["bedrock:GetAgent", "bedrock:GetKnowledgeBase"] },
    "bedrock-agent-runtime": { supportsPolicy: true, policySupportConfirmed: false, actions: ["bedrock:InvokeAgent", "bedrock:Retrieve"] },
    // Read the registry's packages (research) and the endpoint's state; invoke the endpoint (smoke test).
    "sagemaker.api": {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ["sagemaker:DescribeEndpoint", "sagemaker:DescribeModelPackage", "sagemaker:DescribeModelPackageGroup"],
        actionsWithoutResource: ["sagemaker:ListModelPackages"],
    },
    "sagemaker.runtime": { supportsPolicy: true, policySupportConfirmed: false, actions: ["sagemaker:InvokeEndpoint"] },
    rekognition: { supportsPolicy: true, policySupportConfirmed: false, actions: ["rekognition:DetectCustomLabels"] },
    ssm: { supportsPolicy: true, policySupportConfirmed: true, actions: ["ssm:GetParameter", "ssm:GetParameters"] },
    "ecr.api": {
        supportsPolicy: true,
        policySupportConfirmed: true,
        actions: ECR_PULL,
        actionsWithoutResource: ["ecr:GetAuthorizationToken"],
    },
    "ecr.dkr": {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ECR_PULL,
        actionsWithoutResource: ["ecr:GetAuthorizationToken"],
    },
    secretsmanager: {
        supportsPolicy: true,
        policySupportConfirmed: false,
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    },
    ec2: {
        supportsPolicy: true,
        policySupportConfirmed: true,
        actions: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission"],
        actionsWithoutResource: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
    },
};

/** The expected form for an unknown endpoint name, for config messages. */
export function checkKnownEndpoint(name: string): string | undefined {
    return INTERFACE_ENDPOINTS[name]
        ? undefined
        : `"${name}" is not an interface endpoint this project supports; expected one of ${Object.keys(INTERFACE_ENDPOINTS).join(", ")}`;
}
