/** Service rules: SageMaker in the VPC with encryption, Bedrock imports with a customer managed key, guarded providers, scoped ECR repository policies. */
import { allowedAccountsConfig, resourceRule } from "../lib/rule";
import { ownAccountOf } from "../lib/accounts";
import { openGrants } from "../lib/iam/openGrants";
import { enumIs, rawInputs, stringsOf } from "../lib/values";
import { inVpc, isolated } from "./ml";

export const sagemakerModelInVpc = resourceRule(
    {
        name: "sagemaker-model-vpc-isolation",
        description: "SageMaker models run in the VPC (subnets and security groups) with network isolation.",
        category: "vpc-only",
        severity: "high",
        remediation:
            "Set vpcConfig {subnets, securityGroupIds} to the private subnets and workload group, and enableNetworkIsolation: true.",
    },
    ["aws:sagemaker/model:Model"],
    (model, report) => {
        // Whatever the spelling: subnets as a JSON string or [""], isolation as "true" (ml.ts).
        if (!inVpc(model.props.vpcConfig)) report("The model does not run in VPC subnets with security groups.");
        if (!isolated(model.props.enableNetworkIsolation)) report("The model does not enable network isolation.");
    },
);

export const sagemakerEndpointConfigEncrypted = resourceRule(
    {
        name: "sagemaker-endpoint-config-kms",
        description: "SageMaker endpoint configurations encrypt the ML storage volume with a customer managed KMS key.",
        category: "encryption",
        severity: "high",
        remediation: "Set kmsKeyArn on the aws.sagemaker.EndpointConfiguration.",
    },
    ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"],
    (config, report) => {
        if (!("kmsKeyArn" in config.props)) report("The endpoint configuration has no KMS key.");
    },
);

export const sagemakerNotebookInVpc = resourceRule(
    {
        name: "sagemaker-notebook-vpc",
        description: "SageMaker notebook instances run in a VPC subnet, without direct internet access, with a KMS key.",
        category: "vpc-only",
        severity: "high",
        remediation: 'Set subnetId and securityGroups, directInternetAccess: "Disabled", and kmsKeyId on the notebook instance.',
    },
    ["aws:sagemaker/notebookInstance:NotebookInstance"],
    (notebook, report) => {
        // An empty subnet ID is none; one unknown during preview is set (ml.ts, inVpc).
        if (stringsOf(rawInputs(notebook.props).subnetId).length === 0) report("The notebook instance is not in a VPC subnet.");
        // Absent is AWS's default, Enabled; the value is compared without case.
        if (!enumIs(notebook.props.directInternetAccess, "Disabled")) report("The notebook instance has direct internet access.");
        if (!("kmsKeyId" in notebook.props)) report("The notebook instance's volume has no KMS key.");
    },
);

export const bedrockImportCmk = resourceRule(
    {
        name: "bedrock-import-cmk",
        description: "Models imported or customised in Bedrock are encrypted with a customer managed key.",
        category: "encryption",
        severity: "high",
        remediation:
            "Set importedModelKmsKeyArn on the ModelImportJob (or customModelKmsKeyId on aws.bedrock.CustomModel) to a hosting-account key.",
    },
    ["pulumi-nodejs:dynamic/bedrock:ModelImportJob", "aws:bedrock/customModel:CustomModel"],
    (model, report) => {
        const missing = (field: string) => report(`The model is not encrypted with a customer managed key (${field} is not set).`);
        if (model.type === "aws:bedrock/customModel:CustomModel") {
            if (!("customModelKmsKeyId" in model.props) || model.props.customModelKmsKeyId === "") missing("customModelKmsKeyId");
        } else if (!("importedModelKmsKeyArn" in model.props) || model.props.importedModelKmsKeyArn === "") {
            missing("importedModelKmsKeyArn");
        }
    },
);

export const providerAllowedAccounts = resourceRule(
    {
        name: "aws-provider-allowed-accounts",
        description: "Every AWS provider sets allowedAccountIds, so credentials for the wrong account fail before anything is deployed.",
        category: "deployment-safety",
        severity: "high",
        remediation: "Set aws:allowedAccountIds in the stack file (default provider) or allowedAccountIds on the explicit aws.Provider.",
    },
    ["pulumi:providers:aws"],
    (provider, report) => {
        const value = provider.props.allowedAccountIds;
        // Provider inputs reach analyzers as JSON strings for lists.
        const ids = typeof value === "string" ? JSON.parse(value) : value;
        if (!Array.isArray(ids) || ids.length === 0) report("The AWS provider does not set allowedAccountIds.");
    },
);

export const ecrPolicyNoOpenGrants = resourceRule(
    {
        name: "ecr-policy-no-open-grants",
        description:
            'ECR repository policies allow neither "*", nor accounts outside the allowed list (with or without a condition), nor a whole account root without a condition naming the principals.',
        category: "public-access",
        severity: "high",
        remediation:
            "Grant the pulling roles' accounts (listed in allowedAccountIds) with an aws:PrincipalArn condition naming the roles, e.g. SageMaker execution roles.",
        config: allowedAccountsConfig("ECR repository policies"),
    },
    ["aws:ecr/repositoryPolicy:RepositoryPolicy"],
    (repository, report, config) => {
        for (const problem of openGrants(repository.props.policy, config.allowedAccountIds, {
            ownAccount: ownAccountOf(repository, config.stackAccounts),
        }))
            report(problem);
    },
);

export const servicePolicies = [
    sagemakerModelInVpc,
    sagemakerEndpointConfigEncrypted,
    sagemakerNotebookInVpc,
    bedrockImportCmk,
    providerAllowedAccounts,
    ecrPolicyNoOpenGrants,
];
