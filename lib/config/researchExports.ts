/**
 * The checks of a hosting stack's configuration against what the research stack exports (the
 * contract in lib/contracts/research.ts). These run before the hosting stack registers any
 * resource, so a mismatch between the two stack files is reported instead of deployed.
 */
import { IssueCollector } from "./errors";
import { Consumer, HostingConfig } from "./stackConfig";
import { PROJECT } from "../naming";
import type { ResearchExports } from "../contracts/research";

/**
 * Checks a hosting stack's configuration against what the research stack shares. Throws a
 * `ConfigError` that names both stacks and the keys to change.
 */
export function checkAgainstResearch(hosting: HostingConfig, research: ResearchExports, researchStack: string): Consumer {
    const issues = new IssueCollector(hosting.stackFile);
    const researchFile = `Pulumi.${researchStack.split("/").pop()}.yaml`;
    const consumer = research.consumers.find((c) => c.accountId === hosting.accountId);
    if (hosting.accountId === research.accountId) {
        issues.add(
            "aws:allowedAccountIds",
            `"${hosting.accountId}" is also the account of the research stack ${researchStack}; expected a separate hosting account`,
        );
    } else if (!consumer) {
        const shared = research.consumers.map((c) => `${c.stack} (${c.accountId})`).join(", ") || "no account";
        issues.add(
            "aws:allowedAccountIds",
            `stack ${hosting.stack} deploys into account ${hosting.accountId}, which the research stack ${researchStack} does not share with ` +
                `(it shares with ${shared}); expected an entry {stack: ${hosting.stack}, accountId: "${hosting.accountId}"} in ${PROJECT}:consumers of ${researchFile}, deployed with pulumi up -s research`,
        );
    }
    if (consumer && consumer.roleName !== hosting.cmiRoleName) {
        issues.add(
            `${PROJECT}:cmiRoleName`,
            `"${hosting.cmiRoleName}" is not the role the research stack ${researchStack} grants ("${consumer.roleName}"); expected the same name in both stack files (roleName of this account in ${researchFile})`,
        );
    }
    const model = hosting.modelImport;
    if (model?.bucketInUri !== undefined && model.bucketInUri !== research.artifactBucketName) {
        issues.add(
            `${PROJECT}:modelImport.modelPrefix`,
            `names bucket "${model.bucketInUri}", outside the artifact bucket of ${researchStack}; expected s3://${research.artifactBucketName}/<prefix>/ or a bare prefix`,
        );
    }
    if (model && consumer && consumer.prefixes.length > 0 && !consumer.prefixes.some((p) => model.modelPrefix.startsWith(p))) {
        issues.add(
            `${PROJECT}:modelImport.modelPrefix`,
            `"${model.modelPrefix}" is outside the prefixes ${researchStack} shares with this account (${consumer.prefixes.join(", ")}); expected a prefix under one of them`,
        );
    }
    if (consumer?.requireVpcEndpoint && model && !model.runInVpc) {
        issues.add(
            `${PROJECT}:modelImport.runInVpc`,
            `is false, but ${researchStack} lets this account read only through its VPC's S3 endpoint (requireVpcEndpoint in ${researchFile}); expected true, or requireVpcEndpoint: false there`,
        );
    }
    issues.throwIfAny();
    return consumer!;
}

/**
 * Checks a hosting stack that calls the shared Rekognition model against the research stack: it
 * must be a consumer there, call a version granted to it, and send the external ID if one is
 * required. Returns the access role to assume.
 */
export function checkRekognitionAgainstResearch(hosting: HostingConfig, research: ResearchExports, researchStack: string): string {
    const client = hosting.rekognition!;
    const issues = new IssueCollector(hosting.stackFile);
    const researchFile = `Pulumi.${researchStack.split("/").pop()}.yaml`;
    const share = research.rekognition?.consumers.find((c) => c.accountId === hosting.accountId);
    if (!share) {
        issues.add(
            `${PROJECT}:rekognition`,
            `stack ${hosting.stack} (account ${hosting.accountId}) calls the Rekognition model, but the research stack ${researchStack} does not share it with this account; expected an entry {stack: ${hosting.stack}, accountId: "${hosting.accountId}", grantedVersions: [...]} in ${PROJECT}:rekognition.consumers of ${researchFile}`,
        );
    } else {
        if (!share.grantedVersions.includes(client.activeVersionArn)) {
            issues.add(
                `${PROJECT}:rekognition.activeVersionArn`,
                `"${client.activeVersionArn}" is not granted to this account by ${researchStack} (granted: ${share.grantedVersions.join(", ") || "none"}); expected a granted version: grant it in ${researchFile} and deploy research first`,
            );
        }
        if (share.externalIdRequired && !client.externalId) {
            issues.add(
                `${PROJECT}:rekognition.externalId`,
                `is missing, but ${researchStack}'s access role requires an external ID; expected the same value as in ${researchFile}`,
            );
        }
    }
    issues.throwIfAny();
    return share!.accessRoleArn;
}

/**
 * Checks a hosting stack that serves a SageMaker model against the research stack's registry: the
 * account must be a target, the package an approved version of the registry's group, each deployer
 * a role of this account or of the development (research) account, and the zones ones the
 * SecureVpc has subnets in.
 */
export function checkSageMakerAgainstResearch(
    hosting: HostingConfig,
    research: ResearchExports,
    researchStack: string,
    vpcZones: readonly string[],
): void {
    const wanted = hosting.sagemaker!;
    const issues = new IssueCollector(hosting.stackFile);
    const researchFile = `Pulumi.${researchStack.split("/").pop()}.yaml`;
    const registry = research.sagemaker;
    if (!registry || !registry.targets.some((t) => t.accountId === hosting.accountId)) {
        issues.add(
            `${PROJECT}:sagemaker`,
            `stack ${hosting.stack} (account ${hosting.accountId}) serves a SageMaker model, but the research stack ${researchStack} has no registry target for this account; expected an entry {stack: ${hosting.stack}, accountId: "${hosting.accountId}"} in ${PROJECT}:sagemaker.targets of ${researchFile}`,
        );
    } else if (!registry.approvedModelPackages.includes(wanted.modelPackageArn)) {
        issues.add(
            `${PROJECT}:sagemaker.modelPackageArn`,
            `"${wanted.modelPackageArn}" is not an approved package of ${registry.modelPackageGroupName} (approved: ${registry.approvedModelPackages.join(", ") || "none"}); expected an approved version: approve it in ${PROJECT}:sagemaker.approvedModelPackages of ${researchFile} and deploy research first`,
        );
    }
    // The parser accepts the registry's account when it cannot read the research stack's: the deployers' accounts are checked here, against research's own.
    for (const [i, deployer] of wanted.deployerArns.entries()) {
        const account = deployer.split(":")[4];
        if (account !== hosting.accountId && account !== research.accountId) {
            issues.add(
                `${PROJECT}:sagemaker.deployerArns[${i}]`,
                `"${deployer}" is a role of account ${account}, neither this stack's account ${hosting.accountId} nor the development account ${research.accountId} of the research stack ${researchStack}; expected a role of one of them, e.g. arn:${hosting.partition}:iam::${research.accountId}:role/<pipeline role>`,
            );
        }
    }
    for (const [i, zone] of (wanted.availabilityZones ?? []).entries()) {
        if (!vpcZones.includes(zone)) {
            issues.add(
                `${PROJECT}:sagemaker.availabilityZones[${i}]`,
                `"${zone}" has no subnet of this stack's SecureVpc (zones: ${vpcZones.join(", ")}); expected one of them`,
            );
        }
    }
    issues.throwIfAny();
}
