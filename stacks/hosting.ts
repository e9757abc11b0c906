import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CmiExecutionRole } from "../components/cmiExecutionRole";
import { EncryptionKey } from "../components/encryptionKey";
import { ModelImportJob } from "../components/modelImport/modelImportJob";
import { SecureVpc } from "../components/secureVpc";
import { ConfigError } from "../lib/config/errors";
import { checkAgainstResearch, checkRekognitionAgainstResearch, checkSageMakerAgainstResearch } from "../lib/config/researchExports";
import { RESEARCH_EXPORT_NAMES, ResearchExports, parseResearchExports } from "../lib/contracts/research";
import type { HostingExports } from "../lib/contracts/hosting";
import type { Exported } from "../lib/contracts/exported";
import { SageMakerEndpoint } from "../components/sagemakerEndpoint";
import { ModelConsumer } from "../components/modelConsumer";
import { HostingConfig } from "../lib/config/stackConfig";
import { importedModelKeyPolicy } from "../lib/policies/kms";
import { readUpstream } from "./references";
import { PROJECT, stackTags } from "../lib/naming";

/** Reads the research stack's exports, awaiting them so they can be checked before anything is declared. */
async function readResearch(config: HostingConfig): Promise<ResearchExports> {
    return parseResearchExports(config.researchStack, await readUpstream(config.researchStack, RESEARCH_EXPORT_NAMES));
}

/** The zones to place subnets in: configured, or the first available ones of the Region. */
async function zonesFor(config: HostingConfig): Promise<readonly string[]> {
    if (config.network.availabilityZones) return config.network.availabilityZones;
    const available = await aws.getAvailabilityZones({ state: "available" });
    if (available.names.length < config.network.zoneCount) {
        throw new ConfigError(config.stackFile, [{
            key: `${PROJECT}:network.zoneCount`,
            message: `${config.region} offers ${available.names.length} zones to this account; expected at most that many`,
        }]);
    }
    return available.names.slice(0, config.network.zoneCount);
}

/**
 * The research bucket's prefixes this account's workloads read through the S3 endpoint: the
 * model import's prefix (or all research shares with it) and the SageMaker model data. Empty
 * means the whole bucket, when research shares all of it and no import narrows it.
 */
function sharedPrefixes(config: HostingConfig, consumerPrefixes: readonly string[], research: ResearchExports): string[] {
    const cmi = config.modelImport ? [config.modelImport.modelPrefix] : consumerPrefixes;
    if (cmi.length === 0) return [];
    const sagemaker = config.sagemaker && research.sagemaker ? [research.sagemaker.modelDataPrefix] : [];
    return [...new Set([...cmi, ...sagemaker])];
}

/**
 * A model hosting account (dev, prod): a VPC-only network, the CMI execution role, the key for
 * imported models and, when `modelImport` is configured, the import job itself.
 */
export async function hostingProgram(config: HostingConfig): Promise<Exported<HostingExports>> {
    const research = await readResearch(config);
    const consumer = checkAgainstResearch(config, research, config.researchStack);
    const accessRoleArn = config.rekognition && checkRekognitionAgainstResearch(config, research, config.researchStack);
    const zones = await zonesFor(config);
    if (config.sagemaker) checkSageMakerAgainstResearch(config, research, config.researchStack, zones);
    const { partition, region, accountId } = config;
    const tags = stackTags(config.stack);
    const model = config.modelImport;

    const network = new SecureVpc("network", {
        partition, region, accountId, tags,
        cidr: config.network.cidr,
        availabilityZones: zones,
        // Calls to the shared Rekognition model stay off the internet: STS to assume, SSM to read the version.
        interfaceEndpoints: [...new Set([...config.network.interfaceEndpoints, ...(config.rekognition ? ["rekognition", "sts", "ssm"] : [])])],
        trustedAccounts: [accountId, research.accountId],
        s3Shared: [{ bucket: research.artifactBucketName, prefixes: sharedPrefixes(config, consumer.prefixes, research) }],
        flowLogRetentionInDays: config.network.flowLogRetentionDays,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        logGroupName: `/${PROJECT}/${config.stack}/vpc-flow-logs`,
    });

    const importedModelKey = new EncryptionKey("imported-model", {
        description: `Models imported into Amazon Bedrock in ${config.stack}`,
        policy: importedModelKeyPolicy(partition, region, accountId, config.cmiRoleName),
        deletionWindowInDays: config.keyDeletionWindowDays,
        alias: `${PROJECT}/${config.stack}/imported-models`,
        protect: true,
        tags,
    });

    const jobVpc = model?.runInVpc
        ? pulumi.all([network.subnetIds, network.workloadSecurityGroupId]).apply(([subnetIds, group]) => ({ subnetIds, securityGroupIds: [group] }))
        : undefined;
    const role = new CmiExecutionRole("cmi", {
        partition, region, accountId, tags,
        roleName: config.cmiRoleName,
        troubleshooterArns: config.troubleshooterArns,
        artifacts: {
            accountId: research.accountId,
            bucket: research.artifactBucketName,
            keyArn: research.artifactKeyArn,
            // The tightest grant: the one model's prefix if an import is configured, else what research shares.
            prefixes: model ? [model.modelPrefix] : consumer.prefixes,
        },
        importedModelKeyArn: importedModelKey.arn,
        vpc: jobVpc,
    });

    const job = model && new ModelImportJob("model-import", {
        region,
        jobName: model.jobName,
        importedModelName: model.importedModelName,
        roleArn: role.arn,
        s3Uri: `s3://${research.artifactBucketName}/${model.modelPrefix}`,
        importedModelKmsKeyArn: importedModelKey.arn,
        vpcConfig: jobVpc,
        tags,
        timeoutMinutes: model.timeoutMinutes,
        pollSeconds: model.pollSeconds,
        profile: config.awsProfile,
    }, { dependsOn: [role, importedModelKey], protect: model.protect });

    const rekognition = config.rekognition && new ModelConsumer("rekognition", {
        partition, region, accountId, tags,
        accessRoleArn: accessRoleArn!,
        appServicePrincipal: config.rekognition.appServicePrincipal,
        parameterName: config.rekognition.parameterName,
        activeVersionArn: config.rekognition.activeVersionArn,
    });

    const sagemaker = config.sagemaker && new SageMakerEndpoint("sagemaker", {
        partition, region, accountId, tags,
        modelPackageArn: config.sagemaker.modelPackageArn,
        registry: { accountId: research.accountId, group: research.sagemaker!.modelPackageGroupName },
        artifacts: { accountId: research.accountId, bucket: research.artifactBucketName, keyArn: research.artifactKeyArn, prefix: research.sagemaker!.modelDataPrefix },
        instanceType: config.sagemaker.instanceType,
        instanceCount: config.sagemaker.instanceCount,
        subnetIds: network.subnetIdsByZone.apply((byZone) => (config.sagemaker!.availabilityZones ?? zones).map((z) => byZone[z])),
        securityGroupIds: network.workloadSecurityGroupId.apply((id) => [id]),
        deployerArns: config.sagemaker.deployerArns,
        endpointName: `${PROJECT}-${config.stack}`,
        logRetentionInDays: config.sagemaker.logRetentionDays,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        imageRepositoryArn: config.sagemaker.imageRepositoryArn ?? research.sagemaker!.imageRepositoryArn,
    });

    return {
        accountId,
        region,
        researchStack: config.researchStack,
        cmiRoleArn: role.arn,
        importedModelKeyArn: importedModelKey.arn,
        vpcId: network.vpcId,
        subnetIds: network.subnetIds,
        workloadSecurityGroupId: network.workloadSecurityGroupId,
        s3EndpointId: network.s3EndpointId,
        interfaceEndpointIds: network.interfaceEndpointIds,
        ...(job ? { modelImportJobArn: job.jobArn, importedModelArn: job.importedModelArn } : {}),
        ...(rekognition ? {
            rekognitionAppRoleArn: rekognition.appRoleArn,
            modelVersionParameter: rekognition.parameter.name,
            activeModelVersionArn: config.rekognition!.activeVersionArn,
        } : {}),
        ...(sagemaker ? {
            sagemakerEndpointName: sagemaker.endpointName,
            sagemakerExecutionRoleArn: sagemaker.executionRoleArn,
            sagemakerDeploymentRoleArn: sagemaker.deploymentRoleArn,
            servedModelPackageArn: config.sagemaker!.modelPackageArn,
        } : {}),
    };
}
