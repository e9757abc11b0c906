/**
 * ML resources with a direct internet path: Studio domains, notebooks, models, training, tuning
 * and monitoring jobs, Bedrock customisation and import jobs outside a VPC or without network
 * isolation, however that is spelt (absent, "false", empty or blank subnet lists, JSON text); and
 * look-alikes placed in the VPC with the same spellings turned the other way.
 */
import { DEV, PackCase } from "../types";
import { DEV_KEY, DEV_ROLE, DEV_SUBNETS, DLC_IMAGE, IN_VPC, REGION, WORKLOAD_SG, acceptable, inDev, insecure, model } from "./build";

const bad = (rule: string, id: string, why: string, resources: PackCase["resources"]) =>
    insecure("ml-internet-path", rule, id, why, resources);
const fine = (id: string, why: string, resources: PackCase["resources"]) => acceptable("ml-internet-path", id, why, resources);

const DOMAIN = "sagemaker-domain-vpc-only";
const NOTEBOOK = "sagemaker-notebook-vpc";
const MODEL = "sagemaker-model-vpc-isolation";
const JOB = "sagemaker-job-vpc-isolation";
const BEDROCK = "bedrock-job-vpc";

const XGBOOST_IMAGE = `683313688378.dkr.ecr.${REGION}.amazonaws.com/sagemaker-xgboost:1.7-1`;
const MONITOR_IMAGE = `156813124566.dkr.ecr.${REGION}.amazonaws.com/sagemaker-model-monitor-analyzer`;
const CLARIFY_IMAGE = `205585389593.dkr.ecr.${REGION}.amazonaws.com/sagemaker-clarify-processing:1.0`;
const BUCKET = `s3://ml-workspace-${DEV}`;

const domain = (props: Record<string, unknown>) =>
    inDev("aws:sagemaker/domain:Domain", "studio", {
        domainName: "research-studio",
        authMode: "IAM",
        vpcId: "vpc-b7e02b39aa3b1c7a4",
        subnetIds: DEV_SUBNETS,
        kmsKeyId: DEV_KEY,
        defaultUserSettings: { executionRole: DEV_ROLE, securityGroups: [WORKLOAD_SG] },
        ...props,
    });
const notebook = (props: Record<string, unknown>) =>
    inDev("aws:sagemaker/notebookInstance:NotebookInstance", "notebook", {
        instanceType: "ml.t3.medium",
        roleArn: DEV_ROLE,
        subnetId: DEV_SUBNETS[0],
        securityGroups: [WORKLOAD_SG],
        kmsKeyId: DEV_KEY,
        ...props,
    });
const trainingJob = (props: Record<string, unknown>) =>
    inDev("aws:sagemaker/trainingJob:TrainingJob", "train", {
        trainingJobName: "abalone-train",
        roleArn: DEV_ROLE,
        algorithmSpecification: { trainingImage: XGBOOST_IMAGE, trainingInputMode: "File" },
        outputDataConfig: { s3OutputPath: `${BUCKET}/output`, kmsKeyId: DEV_KEY },
        ...props,
    });
const tuningDefinition = (props: Record<string, unknown>) => ({
    roleArn: DEV_ROLE,
    algorithmSpecification: { trainingImage: XGBOOST_IMAGE, trainingInputMode: "File" },
    outputDataConfig: { s3OutputPath: `${BUCKET}/tuning` },
    stoppingCondition: { maxRuntimeInSeconds: 3600 },
    ...props,
});
const dataQuality = (props: Record<string, unknown>) =>
    inDev("aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", "data-quality", {
        name: "endpoint-data-quality",
        roleArn: DEV_ROLE,
        dataQualityAppSpecification: { imageUri: MONITOR_IMAGE },
        dataQualityJobInput: { endpointInput: { endpointName: "cross-account-models-dev" } },
        dataQualityJobOutputConfig: { monitoringOutputs: { s3Output: { s3Uri: `${BUCKET}/monitoring` } } },
        jobResources: { clusterConfig: { instanceCount: 1, instanceType: "ml.m5.large", volumeSizeInGb: 20 } },
        ...props,
    });
const nativeJob = (kind: "ModelQuality" | "ModelBias" | "ModelExplainability", networkConfig?: Record<string, unknown>) =>
    inDev(`aws-native:sagemaker:${kind}JobDefinition`, `${kind.toLowerCase()}-job`, {
        roleArn: DEV_ROLE,
        jobResources: { clusterConfig: { instanceCount: 1, instanceType: "ml.m5.large", volumeSizeInGb: 20 } },
        [`${kind[0].toLowerCase()}${kind.slice(1)}AppSpecification`]: {
            imageUri: CLARIFY_IMAGE,
            configUri: `${BUCKET}/clarify/analysis.json`,
        },
        tags: [{ key: "project", value: "cross-account-models" }],
        ...(networkConfig ? { networkConfig } : {}),
    });
const customModel = (props: Record<string, unknown>) =>
    inDev("aws:bedrock/customModel:CustomModel", "fine-tune", {
        customModelName: "titan-support",
        jobName: "titan-support-1",
        baseModelIdentifier: `arn:aws:bedrock:${REGION}::foundation-model/amazon.titan-text-express-v1`,
        customModelKmsKeyId: DEV_KEY,
        roleArn: `arn:aws:iam::${DEV}:role/BedrockCustomization`,
        hyperparameters: { epochCount: "1", batchSize: "1", learningRate: "0.00001" },
        trainingDataConfig: { s3Uri: `${BUCKET}/train.jsonl` },
        outputDataConfig: { s3Uri: `${BUCKET}/bedrock-output/` },
        ...props,
    });
const importJob = (vpcConfig: unknown) =>
    inDev("pulumi-nodejs:dynamic/bedrock:ModelImportJob", "model-import", {
        jobName: `cmi-job-${DEV}-01`,
        importedModelName: `mistral-${DEV}-01`,
        roleArn: `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`,
        s3Uri: "s3://model-artifacts-111122223333/mistral-model-weights/",
        importedModelKmsKeyArn: DEV_KEY,
        vpcConfig,
    });
const IN_VPC_IDS = { subnetIds: DEV_SUBNETS, securityGroupIds: [WORKLOAD_SG] };

export const mlNetworkCases: readonly PackCase[] = [
    bad(
        DOMAIN,
        "ml-internet-path-domain-default-access",
        "A Studio domain without appNetworkAccessType gets AWS's default, PublicInternetOnly.",
        [domain({})],
    ),
    bad(
        DOMAIN,
        "ml-internet-path-domain-public",
        "A Studio domain set to PublicInternetOnly: every app reaches the internet through SageMaker's network.",
        [domain({ appNetworkAccessType: "PublicInternetOnly" })],
    ),
    bad(
        NOTEBOOK,
        "ml-internet-path-notebook-default-access",
        "A notebook in a subnet without directInternetAccess gets AWS's default, Enabled.",
        [notebook({})],
    ),
    bad(NOTEBOOK, "ml-internet-path-notebook-enabled-lower-case", 'A notebook with directInternetAccess "enabled", in lower case.', [
        notebook({ directInternetAccess: "enabled" }),
    ]),
    bad(
        NOTEBOOK,
        "ml-internet-path-notebook-blank-subnet",
        "A notebook whose subnet ID is blank is in no subnet, whatever directInternetAccess says.",
        [notebook({ subnetId: "", directInternetAccess: "Disabled" })],
    ),
    bad(MODEL, "ml-internet-path-model-subnets-json-empty", 'A model whose subnets are the JSON text "[]": no subnet.', [
        model("model", { primaryContainer: { image: DLC_IMAGE }, vpcConfig: { subnets: "[]", securityGroupIds: [WORKLOAD_SG] } }),
    ]),
    bad(MODEL, "ml-internet-path-model-isolation-false-string", 'A model in the VPC with enableNetworkIsolation "false".', [
        model("model", { primaryContainer: { image: DLC_IMAGE }, enableNetworkIsolation: "false" }),
    ]),
    bad(MODEL, "ml-internet-path-model-blank-subnet", 'A model whose subnet list holds only "".', [
        model("model", { primaryContainer: { image: DLC_IMAGE }, vpcConfig: { subnets: [""], securityGroupIds: [WORKLOAD_SG] } }),
    ]),
    bad(JOB, "ml-internet-path-training-job-no-vpc", "A training job with network isolation but no VPC configuration.", [
        trainingJob({ enableNetworkIsolation: true }),
    ]),
    bad(JOB, "ml-internet-path-training-job-isolation-absent", "A training job in the VPC without network isolation (absent: off).", [
        trainingJob({ vpcConfig: IN_VPC }),
    ]),
    bad(JOB, "ml-internet-path-tuning-second-definition", "A tuning job whose second training job definition has no VPC.", [
        inDev("aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", "tune", {
            name: "abalone-tune",
            config: { strategy: "Bayesian", resourceLimits: { maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 2 } },
            trainingJobDefinitions: [
                tuningDefinition({ definitionName: "a", vpcConfig: IN_VPC, enableNetworkIsolation: true }),
                tuningDefinition({ definitionName: "b", enableNetworkIsolation: true }),
            ],
        }),
    ]),
    bad(
        JOB,
        "ml-internet-path-data-quality-no-network-config",
        "A data-quality job definition without networkConfig: no VPC, no isolation.",
        [dataQuality({})],
    ),
    bad(
        JOB,
        "ml-internet-path-monitoring-schedule-inline",
        'A monitoring schedule\'s inline job with isolation "false" and no security group.',
        [
            inDev("aws:sagemaker/monitoringSchedule:MonitoringSchedule", "schedule", {
                name: "hourly-quality",
                monitoringScheduleConfig: {
                    monitoringType: "DataQuality",
                    scheduleConfig: { scheduleExpression: "cron(0 * ? * * *)" },
                    monitoringJobDefinition: {
                        roleArn: DEV_ROLE,
                        monitoringAppSpecification: { imageUri: MONITOR_IMAGE },
                        networkConfig: { enableNetworkIsolation: "false", vpcConfig: { subnets: DEV_SUBNETS, securityGroupIds: [] } },
                    },
                },
            }),
        ],
    ),
    bad(JOB, "ml-internet-path-native-bias-no-vpc", "An aws-native model bias job definition isolated but outside the VPC.", [
        nativeJob("ModelBias", { enableNetworkIsolation: true }),
    ]),
    bad(
        JOB,
        "ml-internet-path-native-explainability-isolation-string",
        'An aws-native explainability job in the VPC with enableNetworkIsolation "False".',
        [nativeJob("ModelExplainability", { enableNetworkIsolation: "False", vpcConfig: IN_VPC })],
    ),
    bad(
        BEDROCK,
        "ml-internet-path-bedrock-custom-model-no-vpc",
        "A Bedrock fine-tuning job without vpcConfig reads its training data outside the VPC.",
        [customModel({})],
    ),
    bad(
        BEDROCK,
        "ml-internet-path-bedrock-import-subnets-json-empty",
        'A Custom Model Import job whose subnetIds are the JSON text "[]".',
        [importJob({ subnetIds: "[]", securityGroupIds: [WORKLOAD_SG] })],
    ),

    fine("ml-internet-path-domain-vpc-only-any-case", 'A Studio domain with appNetworkAccessType "vpconly": VpcOnly in any case.', [
        domain({ appNetworkAccessType: "vpconly" }),
    ]),
    fine("ml-internet-path-notebook-disabled-lower-case", 'A notebook in a subnet with directInternetAccess "disabled".', [
        notebook({ directInternetAccess: "disabled" }),
    ]),
    fine(
        "ml-internet-path-model-json-lists",
        'A model whose subnets and groups are JSON text and isolation "true": in the VPC, isolated.',
        [
            model("model", {
                primaryContainer: { image: DLC_IMAGE, modelDataUrl: "s3://model-artifacts-111122223333/model.tar.gz" },
                vpcConfig: { subnets: JSON.stringify(DEV_SUBNETS), securityGroupIds: JSON.stringify([WORKLOAD_SG]) },
                enableNetworkIsolation: "true",
            }),
        ],
    ),
    fine("ml-internet-path-training-job-in-vpc", 'A training job with an AWS algorithm image, in the VPC, isolation "TRUE".', [
        trainingJob({ vpcConfig: IN_VPC, enableNetworkIsolation: "TRUE" }),
    ]),
    fine("ml-internet-path-tuning-all-definitions", "A tuning job whose training job definition (one block) is in the VPC and isolated.", [
        inDev("aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob", "tune", {
            name: "abalone-tune",
            config: { strategy: "Bayesian", resourceLimits: { maxNumberOfTrainingJobs: 4, maxParallelTrainingJobs: 2 } },
            trainingJobDefinition: tuningDefinition({ vpcConfig: IN_VPC, enableNetworkIsolation: true }),
        }),
    ]),
    fine(
        "ml-internet-path-schedule-names-definition",
        "A schedule that names its job definition; the definition itself runs in the VPC, isolated.",
        [
            dataQuality({ networkConfig: { enableNetworkIsolation: true, vpcConfig: IN_VPC } }),
            inDev("aws:sagemaker/monitoringSchedule:MonitoringSchedule", "schedule", {
                name: "hourly-quality",
                monitoringScheduleConfig: {
                    monitoringType: "DataQuality",
                    monitoringJobDefinitionName: "endpoint-data-quality",
                    scheduleConfig: { scheduleExpression: "cron(0 * ? * * *)" },
                },
            }),
        ],
    ),
    fine("ml-internet-path-native-model-quality-in-vpc", "An aws-native model quality job definition in the VPC with isolation.", [
        nativeJob("ModelQuality", { enableNetworkIsolation: true, vpcConfig: IN_VPC }),
    ]),
    fine(
        "ml-internet-path-bedrock-custom-model-in-vpc",
        "A Bedrock fine-tuning job in the VPC (the foundation model's ARN names no account).",
        [customModel({ vpcConfig: IN_VPC_IDS })],
    ),
    fine("ml-internet-path-bedrock-import-shipped", "The shipped Custom Model Import job: in the workload subnets and group.", [
        importJob(IN_VPC_IDS),
    ]),
];
