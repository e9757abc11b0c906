/** The Bedrock Custom Model Import execution role's trust and permissions (AWS's cross-account Custom Model Import guide, steps 2 and 5). */
import { PolicyDocument, Statement, onlyRole, policy, serviceTrustPolicy } from "./document";
import { readStatements } from "./s3";
import { DECRYPT_ACTIONS, USE_ACTIONS } from "./kms";
import { describeNetworkStatement } from "./network";
import { arn } from "../naming";

/**
 * Trust: only Bedrock, only for import jobs of this account in this Region. Without the source
 * conditions any Bedrock customer could pass this role to a job of theirs (confused deputy).
 */
export function cmiTrustPolicy(
    partition: string,
    region: string,
    accountId: string,
    troubleshooters: readonly string[] = [],
): PolicyDocument {
    const trust = serviceTrustPolicy(
        "BedrockModelImportJobsOfThisAccount",
        "bedrock.amazonaws.com",
        accountId,
        arn.modelImportJobs(partition, region, accountId),
    );
    if (troubleshooters.length === 0) return trust;
    // AWS's Custom Model Import troubleshooting assumes the role to list and read the artifacts;
    // only named roles of this account may.
    return policy([
        ...trust.Statement,
        {
            Sid: "TroubleshootingRolesOfThisAccount",
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(partition, accountId) },
            Action: "sts:AssumeRole",
            Condition: onlyRole([...troubleshooters]),
        },
    ]);
}

/** Where the artifacts are: the research account's bucket and key. */
export interface ArtifactLocation {
    readonly accountId: string;
    readonly bucket: string;
    readonly keyArn: string;
    /** Prefixes the role may read, each ending in `/`; empty for the whole bucket. */
    readonly prefixes: readonly string[];
}

/** The VPC an import job runs in, as the network-interface statements need it. */
export interface ImportJobVpc {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
}

export interface CmiPermissionsArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly artifacts: ArtifactLocation;
    readonly importedModelKeyArn: string;
    readonly vpc?: ImportJobVpc;
}

/** The role's identity policy: read the artifacts, decrypt them, encrypt the imported model. */
export function cmiPermissionsPolicy(args: CmiPermissionsArgs): PolicyDocument {
    const { partition, artifacts } = args;
    // Only buckets owned by the research account: a same-named bucket elsewhere is not trusted.
    const ownedByResearch = { StringEquals: { "aws:ResourceAccount": artifacts.accountId } };
    const [list, get] = readStatements(partition, artifacts.bucket, artifacts.prefixes);
    const statements: Statement[] = [
        { Sid: "ListArtifacts", Effect: "Allow", ...list, Condition: { ...list.Condition, ...ownedByResearch } },
        { Sid: "ReadArtifacts", Effect: "Allow", ...get, Condition: ownedByResearch },
        { Sid: "DecryptArtifacts", Effect: "Allow", Action: DECRYPT_ACTIONS, Resource: artifacts.keyArn },
        { Sid: "UseImportedModelKey", Effect: "Allow", Action: USE_ACTIONS, Resource: args.importedModelKeyArn },
        {
            Sid: "GrantImportedModelKeyToAwsResources",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: args.importedModelKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        ...(args.vpc ? vpcStatements(args, args.vpc) : []),
    ];
    return policy(statements);
}

/**
 * The network-interface permissions AWS documents for import jobs in a VPC ("Protect custom model
 * import jobs using a VPC"): Bedrock may create interfaces only in the named subnets and groups,
 * tagged as Bedrock-managed, and manage only interfaces it tagged.
 */
function vpcStatements(args: CmiPermissionsArgs, vpc: ImportJobVpc): Statement[] {
    const { partition, region, accountId } = args;
    const ec2 = (type: string, id: string) => `arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
    const subnets = vpc.subnetIds.map((id) => ec2("subnet", id));
    const jobs = arn.modelImportJobs(partition, region, accountId);
    return [
        describeNetworkStatement(),
        {
            Sid: "CreateTaggedNetworkInterfaces",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: ec2("network-interface", "*"),
            Condition: {
                StringEquals: { "aws:RequestTag/BedrockManaged": "true" },
                ArnEquals: { "aws:RequestTag/BedrockModelImportJobArn": jobs },
            },
        },
        {
            Sid: "CreateNetworkInterfacesInJobSubnetsAndGroups",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [...subnets, ...vpc.securityGroupIds.map((id) => ec2("security-group", id))],
        },
        {
            Sid: "ManageBedrockNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
            // AWS's example uses "*"; these actions act on network interfaces, so scope to this account's.
            Resource: ec2("network-interface", "*"),
            Condition: {
                ArnEquals: { "ec2:Subnet": subnets, "ec2:ResourceTag/BedrockModelImportJobArn": jobs },
                StringEquals: { "ec2:ResourceTag/BedrockManaged": "true" },
            },
        },
        {
            Sid: "TagNetworkInterfacesOnCreate",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: ec2("network-interface", "*"),
            Condition: {
                StringEquals: { "ec2:CreateAction": "CreateNetworkInterface" },
                "ForAllValues:StringEquals": { "aws:TagKeys": ["BedrockManaged", "BedrockModelImportJobArn"] },
            },
        },
    ];
}
