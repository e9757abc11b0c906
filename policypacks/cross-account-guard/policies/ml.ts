/**
 * ML resources with a direct internet path (issue 21): SageMaker Studio domains, training,
 * tuning and monitoring jobs, and Bedrock customisation and import jobs, judged on what their
 * network settings mean whatever the spelling: an absent setting is AWS's default, which for
 * each of them is the internet path (SageMaker Developer Guide, "Connect SageMaker AI Studio in a
 * VPC to external resources", "Run training and processing jobs in a VPC"; Bedrock User Guide,
 * "Protect model customization jobs using a VPC"). Models and notebooks: services.ts.
 */
import { resourceRule } from "../lib/rule";
import { booleanOf, enumIs, inputOf, listOf, objectOf, rawInputs, stringsOf } from "../lib/values";
import { PropsByType } from "../lib/props";

/**
 * Whether a VPC configuration places the workload in subnets with security groups (an empty
 * list, `"[]"` or `[""]` does not). The IDs are read behind the framework's proxy: subnets and
 * groups created in the same preview are unknown there, and count as set, as they will be.
 */
export function inVpc(vpcConfig: unknown, subnetsField = "subnets"): boolean {
    const vpc = objectOf(vpcConfig);
    const ids = vpc && rawInputs(vpc);
    return !!ids && stringsOf(ids[subnetsField]).length > 0 && stringsOf(ids.securityGroupIds).length > 0;
}

/** Whether network isolation is on: `true` or `"true"`; absent is AWS's default, off. */
export function isolated(value: unknown): boolean {
    return booleanOf(value) === true;
}

export const sagemakerDomainVpcOnly = resourceRule(
    {
        name: "sagemaker-domain-vpc-only",
        description:
            "SageMaker Studio domains send app traffic through the VPC only (appNetworkAccessType VpcOnly); AWS's default, PublicInternetOnly, gives every app a direct internet path through SageMaker's network.",
        category: "vpc-only",
        severity: "high",
        remediation:
            'Set appNetworkAccessType: "VpcOnly" on the aws.sagemaker.Domain, with subnetIds in private subnets and the VPC endpoints Studio needs (sagemaker.api, sagemaker.runtime, sts, s3).',
    },
    ["aws:sagemaker/domain:Domain"],
    (domain, report) => {
        const access = domain.props.appNetworkAccessType;
        if (!enumIs(access, "VpcOnly"))
            report(
                `The domain's apps have a direct internet path (appNetworkAccessType ${access === undefined ? "absent: PublicInternetOnly" : String(access)}).`,
            );
    },
);

const JOB_TYPES = [
    "aws:sagemaker/trainingJob:TrainingJob",
    "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob",
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
    "aws-native:sagemaker:DataQualityJobDefinition",
    "aws-native:sagemaker:ModelQualityJobDefinition",
    "aws-native:sagemaker:ModelBiasJobDefinition",
    "aws-native:sagemaker:ModelExplainabilityJobDefinition",
    "aws-native:sagemaker:MonitoringSchedule",
] as const;
type JobType = (typeof JOB_TYPES)[number];

/** One job's network settings, where the provider's schema keeps them. */
interface JobNetwork {
    readonly where: string;
    readonly vpcConfig: unknown;
    readonly isolation: unknown;
}

/** A monitoring job's `networkConfig` (absent: no VPC, no isolation). */
function fromNetworkConfig(networkConfig: unknown, where: string): JobNetwork {
    const config = objectOf(networkConfig);
    return { where, vpcConfig: config?.vpcConfig, isolation: config?.enableNetworkIsolation };
}

/**
 * The network settings of each job a resource runs. A monitoring schedule that names a job
 * definition (monitoringJobDefinitionName) has none of its own: that definition is judged itself.
 */
function jobNetworks(type: JobType, props: PropsByType[JobType]): JobNetwork[] {
    switch (type) {
        case "aws:sagemaker/trainingJob:TrainingJob":
            return [
                { where: "The training job", vpcConfig: inputOf(props, "vpcConfig"), isolation: inputOf(props, "enableNetworkIsolation") },
            ];
        case "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob": {
            const definitions = [...listOf(inputOf(props, "trainingJobDefinition")), ...listOf(inputOf(props, "trainingJobDefinitions"))];
            return definitions.map((d, i) => {
                const definition = objectOf(d) ?? {};
                return {
                    where: `Training job definition ${i + 1}`,
                    vpcConfig: definition.vpcConfig,
                    isolation: definition.enableNetworkIsolation,
                };
            });
        }
        case "aws:sagemaker/monitoringSchedule:MonitoringSchedule":
        case "aws-native:sagemaker:MonitoringSchedule": {
            const inline = objectOf(objectOf(inputOf(props, "monitoringScheduleConfig"))?.monitoringJobDefinition);
            return inline ? [fromNetworkConfig(inline.networkConfig, "The schedule's monitoring job")] : [];
        }
        default:
            return [fromNetworkConfig(inputOf(props, "networkConfig"), "The monitoring job")];
    }
}

export const sagemakerJobVpcIsolation = resourceRule(
    {
        name: "sagemaker-job-vpc-isolation",
        description:
            "SageMaker training, tuning and monitoring jobs (data quality, model quality, bias and explainability job definitions, monitoring schedules) run in VPC subnets with security groups and with network isolation.",
        category: "vpc-only",
        severity: "high",
        remediation:
            "Set vpcConfig {subnets, securityGroupIds} (networkConfig.vpcConfig for monitoring jobs) to private subnets and the workload group, and enableNetworkIsolation: true.",
    },
    JOB_TYPES,
    (job, report) => {
        for (const network of jobNetworks(job.type, job.props)) {
            if (!inVpc(network.vpcConfig)) report(`${network.where} does not run in VPC subnets with security groups.`);
            if (!isolated(network.isolation)) report(`${network.where} does not enable network isolation.`);
        }
    },
);

export const bedrockJobVpc = resourceRule(
    {
        name: "bedrock-job-vpc",
        description:
            "Bedrock model customisation jobs (aws.bedrock.CustomModel) and Custom Model Import jobs run in VPC subnets with security groups, so they reach the training data through the VPC's endpoints.",
        category: "vpc-only",
        severity: "high",
        remediation: "Set vpcConfig {subnetIds, securityGroupIds} to private subnets with an S3 gateway endpoint and the workload group.",
    },
    ["aws:bedrock/customModel:CustomModel", "pulumi-nodejs:dynamic/bedrock:ModelImportJob"],
    (job, report) => {
        if (!inVpc(inputOf(job.props, "vpcConfig"), "subnetIds")) report("The job does not run in VPC subnets with security groups.");
    },
);

export const mlPolicies = [sagemakerDomainVpcOnly, sagemakerJobVpcIsolation, bedrockJobVpc];
