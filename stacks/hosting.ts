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
import { Consumer, HostingConfig } from "../lib/config/stackConfig";
import { importedModelKeyPolicy } from "../lib/policies/kms";
import { readUpstream } from "./references";
import { permissionsBoundaryOf } from "../lib/deployment/scope";
import { PROJECT, flowLogGroupName, importedModelKeyAlias, sagemakerEndpointName, stackTags } from "../lib/naming";

/** Reads the research stack's exports, awaiting them so they can be checked before anything is declared. */
async function readResearch(config: HostingConfig): Promise<ResearchExports> {
    return parseResearchExports(config.researchStack, await readUpstream(config.researchStack, RESEARCH_EXPORT_NAMES));
}

/** The zones to place subnets in: configured, or the first available ones of the Region. */
async function zonesFor(config: HostingConfig): Promise<readonly string[]> {
    if (config.network.availabilityZones) return config.network.availabilityZones;
    const available = await aws.getAvailabilityZones({ state: "available" });
    if (available.names.length < config.network.zoneCount) {
        throw new ConfigError(config.stackFile, [
            {
                key: `${PROJECT}:network.zoneCount`,
                message: `${config.region} offers ${available.names.length} zones to this account; expected at most that many`,
            },
        ]);
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
 * The VPC-only network every workload of the account runs in: interface endpoints for the services
 * it calls, trusting this account and research, and S3 reaching only research's shared prefixes.
 */
function secureNetwork(
    config: HostingConfig,
    research: ResearchExports,
    consumer: Consumer,
    zones: readonly string[],
    tags: Record<string, string>,
): SecureVpc {
    const { partition, region, accountId } = config;
    return new SecureVpc("network", {
        partition,
        region,
        accountId,
        tags,
        cidr: config.network.cidr,
        availabilityZones: zones,
        // Calls to the shared Rekognition model stay off the internet: STS to assume, SSM to read the version.
        interfaceEndpoints: [
            ...new Set([...config.network.interfaceEndpoints, ...(config.rekognition ? ["rekognition", "sts", "ssm"] : [])]),
        ],
        trustedAccounts: [accountId, research.accountId],
        s3Shared: [{ bucket: research.artifactBucketName, prefixes: sharedPrefixes(config, consumer.prefixes, research) }],
        flowLogRetentionInDays: config.network.flowLogRetentionDays,
        keyDeletionWindowInDays: config.keyDeletionWindowDays,
        logGroupName: flowLogGroupName(config.stack),
        permissionsBoundary: permissionsBoundaryOf(config),
    });
}

/**
 * Bedrock Custom Model Import: the key for imported models and the CMI execution role, always
 * (the role reads what research shares with this account); the import job itself when
 * `modelImport` is configured, in the VPC's subnets and workload group if it runs in the VPC.
 */
function importModel(
    config: HostingConfig,
    research: ResearchExports,
    consumer: Consumer,
    network: SecureVpc,
    tags: Record<string, string>,
) {
    const { partition, region, accountId } = config;
    const model = config.modelImport;
    const importedModelKey = new EncryptionKey("imported-model", {
        description: `Models imported into Amazon Bedrock in ${config.stack}`,
        policy: importedModelKeyPolicy(partition, region, accountId, config.cmiRoleName),
        deletionWindowInDays: config.keyDeletionWindowDays,
        alias: importedModelKeyAlias(config.stack),
        protect: true,
        tags,
    });

    const jobVpc = model?.runInVpc
        ? pulumi
              .all([network.subnetIds, network.workloadSecurityGroupId])
              .apply(([subnetIds, group]) => ({ subnetIds, securityGroupIds: [group] }))
        : undefined;
    const role = new CmiExecutionRole("cmi", {
        partition,
        region,
        accountId,
        tags,
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
        permissionsBoundary: permissionsBoundaryOf(config),
    });

    const job =
        model &&
        new ModelImportJob(
            "model-import",
            {
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
                assumeRole: config.assumeRole && {
                    roleArn: config.assumeRole.roleArn,
                    sessionName: config.assumeRole.sessionName,
                    ...(config.assumeRole.externalId ? { externalId: config.assumeRole.externalId.output() } : {}),
                },
            },
            { dependsOn: [role, importedModelKey], protect: model.protect },
        );
    return { importedModelKey, role, job };
}

/** Rekognition Custom Labels sharing, consumer side: the application role and the parameter naming the version it calls. */
function callSharedRekognitionModel(
    config: HostingConfig,
    accessRoleArn: string | undefined,
    tags: Record<string, string>,
): ModelConsumer | undefined {
    const { partition, region, accountId } = config;
    return (
        config.rekognition &&
        new ModelConsumer("rekognition", {
            partition,
            region,
            accountId,
            tags,
            accessRoleArn: accessRoleArn!, // checked against research whenever rekognition is configured
            appServicePrincipal: config.rekognition.appServicePrincipal,
            parameterName: config.rekognition.parameterName,
            activeVersionArn: config.rekognition.activeVersionArn,
            permissionsBoundary: permissionsBoundaryOf(config),
        })
    );
}

/** SageMaker hosting: the approved package served from a VPC-only endpoint in the SecureVpc's zones (all, or those configured). */
function serveSageMakerModel(
    config: HostingConfig,
    research: ResearchExports,
    network: SecureVpc,
    zones: readonly string[],
    tags: Record<string, string>,
): SageMakerEndpoint | undefined {
    const { partition, region, accountId } = config;
    return (
        config.sagemaker &&
        new SageMakerEndpoint("sagemaker", {
            partition,
            region,
            accountId,
            tags,
            modelPackageArn: config.sagemaker.modelPackageArn,
            registry: { accountId: research.accountId, group: research.sagemaker!.modelPackageGroupName },
            artifacts: {
                accountId: research.accountId,
                bucket: research.artifactBucketName,
                keyArn: research.artifactKeyArn,
                prefix: research.sagemaker!.modelDataPrefix,
            },
            instanceType: config.sagemaker.instanceType,
            instanceCount: config.sagemaker.instanceCount,
            subnetIds: network.subnetIdsByZone.apply((byZone) => (config.sagemaker!.availabilityZones ?? zones).map((z) => byZone[z])),
            securityGroupIds: network.workloadSecurityGroupId.apply((id) => [id]),
            deployerArns: config.sagemaker.deployerArns,
            endpointName: sagemakerEndpointName(config.stack),
            logRetentionInDays: config.sagemaker.logRetentionDays,
            keyDeletionWindowInDays: config.keyDeletionWindowDays,
            imageRepositoryArn: config.sagemaker.imageRepositoryArn ?? research.sagemaker!.imageRepositoryArn,
            permissionsBoundary: permissionsBoundaryOf(config),
        })
    );
}

/**
 * A model hosting account (dev, prod): a VPC-only network, the CMI execution role, the key for
 * imported models and, when `modelImport` is configured, the import job itself; the consumer side
 * of a shared Rekognition model and a SageMaker endpoint when configured. Everything the research
 * stack must grant is checked before anything is declared.
 */
export async function hostingProgram(config: HostingConfig): Promise<Exported<HostingExports>> {
    const research = await readResearch(config);
    const consumer = checkAgainstResearch(config, research, config.researchStack);
    const accessRoleArn = config.rekognition && checkRekognitionAgainstResearch(config, research, config.researchStack);
    const zones = await zonesFor(config);
    if (config.sagemaker) checkSageMakerAgainstResearch(config, research, config.researchStack, zones);
    const { region, accountId } = config;
    const tags = stackTags(config.stack);

    const network = secureNetwork(config, research, consumer, zones, tags);
    const { importedModelKey, role, job } = importModel(config, research, consumer, network, tags);
    const rekognition = callSharedRekognitionModel(config, accessRoleArn, tags);
    const sagemaker = serveSageMakerModel(config, research, network, zones, tags);

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
        ...(rekognition
            ? {
                  rekognitionAppRoleArn: rekognition.appRoleArn,
                  modelVersionParameter: rekognition.parameter.name,
                  activeModelVersionArn: config.rekognition!.activeVersionArn,
              }
            : {}),
        ...(sagemaker
            ? {
                  sagemakerEndpointName: sagemaker.endpointName,
                  sagemakerExecutionRoleArn: sagemaker.executionRoleArn,
                  sagemakerDeploymentRoleArn: sagemaker.deploymentRoleArn,
                  servedModelPackageArn: config.sagemaker!.modelPackageArn,
              }
            : {}),
    };
}
