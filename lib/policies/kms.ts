/**
 * Key policies. Every key gets an explicit policy: the account root administers the key (so IAM
 * policies in the account can manage it and the key can never be locked out), and each use of the
 * key is a separate statement naming who may use it and how.
 */
import { Statement, PolicyDocument, policy, onlyRole, Conditions } from "./document";
import { arn } from "../naming";
import { Perimeter, mergeConditions, otherAccountsOutsidePerimeter } from "./perimeter";
import { CrossAccountRole, groupRoles, perimeterDenies } from "./readers";

/**
 * The key administration actions of AWS's default policy for key administrators, without any use
 * of the key: `kms:Create*` is narrowed to `kms:CreateAlias`, because `kms:CreateGrant` would let
 * an administrator grant anyone decryption.
 */
const ADMIN_ACTIONS = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];
/** What a principal needs to encrypt and decrypt data with the key. */
export const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
/** What a reader of data encrypted under the key needs. */
export const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];

export function keyAdministration(partition: string, accountId: string): Statement {
    return {
        Sid: "KeyAdministrationByAccount",
        Effect: "Allow",
        Principal: { AWS: arn.accountRoot(partition, accountId) },
        Action: ADMIN_ACTIONS,
        Resource: "*",
    };
}

/** Lets the account's own IAM principals use the key, but only through one AWS service in one account. */
export function useThroughService(partition: string, accountId: string, serviceEndpoint: string): Statement {
    return {
        Sid: `UseThrough${serviceEndpoint.split(".")[0].toUpperCase()}`,
        Effect: "Allow",
        Principal: { AWS: arn.accountRoot(partition, accountId) },
        Action: USE_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": serviceEndpoint, "kms:CallerAccount": accountId } },
    };
}

/** Lets roles of the account (by ARN, through its account root) use the key for `actions`, with extra conditions. */
export function allowRole(
    sid: string,
    partition: string,
    accountId: string,
    roleNames: string | readonly string[],
    actions: string[],
    extra: Conditions = {},
): Statement {
    const roles = (typeof roleNames === "string" ? [roleNames] : roleNames).map((n) => arn.role(partition, accountId, n));
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: arn.accountRoot(partition, accountId) },
        Action: actions,
        Resource: "*",
        Condition: { ...extra, ...onlyRole(roles.length === 1 ? roles[0] : roles) },
    };
}

/** Lets roles attach grants for AWS services (Bedrock stores the imported model with one), never for principals. */
export function allowRoleGrantsForAwsResources(partition: string, accountId: string, roleNames: string | readonly string[]): Statement {
    return allowRole("AllowGrantsForAwsResources", partition, accountId, roleNames, ["kms:CreateGrant"], {
        Bool: { "kms:GrantIsForAWSResource": "true" },
    });
}

/**
 * The artifact key (AWS's cross-account Custom Model Import guide, step 3): administered by the
 * research account, used by that account through S3, and usable by each reader role for decrypting
 * through S3 and describing the key; a reader with a key perimeter is denied direct use outside it,
 * and with `otherAccounts`, every other account's direct use is denied outside that perimeter.
 */
export function artifactKeyPolicy(
    partition: string,
    region: string,
    accountId: string,
    readers: readonly (CrossAccountRole & { keyPerimeter?: Perimeter })[],
    otherAccounts?: { readonly perimeter: Perimeter },
): PolicyDocument {
    const s3 = `s3.${region}.amazonaws.com`;
    const fencedActions = [...USE_ACTIONS, "kms:CreateGrant"];
    const perimeter = otherAccounts ? otherAccountsOutsidePerimeter(otherAccounts.perimeter, accountId, fencedActions, "*") : [];
    const grant = (sid: string, principal: Statement["Principal"], actions: string[], condition: Conditions): Statement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: principal,
        Action: actions,
        Resource: "*",
        Condition: condition,
    });
    return policy(
        [
            keyAdministration(partition, accountId),
            useThroughService(partition, accountId, s3),
            ...perimeter,
            ...groupRoles(partition, readers, () => "").flatMap((g) => [
                grant(
                    `Decrypt${g.label}`,
                    g.principal,
                    ["kms:Decrypt"],
                    mergeConditions({ StringEquals: { "kms:ViaService": s3 } }, g.condition),
                ),
                grant(`Describe${g.label}`, g.principal, ["kms:DescribeKey"], g.condition),
            ]),
            // S3 decrypting for a reader is an AWS service acting for it, with no endpoint of the reader's.
            ...perimeterDenies(partition, readers, (r) => r.keyPerimeter, fencedActions, "*", true),
        ],
        "ArtifactKeyPolicy",
    );
}

/**
 * The hosting account's key for imported models (AWS's cross-account Custom Model Import guide,
 * step 4). The CMI role uses it only through Bedrock (`kms:ViaService`): whoever assumes the role
 * (a troubleshooter, `npm run doctor`) cannot decrypt the imported model's data directly.
 */
export function importedModelKeyPolicy(partition: string, region: string, accountId: string, cmiRoleName: string): PolicyDocument {
    const throughBedrock = { StringEquals: { "kms:ViaService": `bedrock.${region}.amazonaws.com` } };
    return policy(
        [
            keyAdministration(partition, accountId),
            allowRole(
                "UseByCmiExecutionRole",
                partition,
                accountId,
                cmiRoleName,
                USE_ACTIONS.filter((a) => a !== "kms:DescribeKey"),
                throughBedrock,
            ),
            // Describing reveals no data, and the doctor describes the key as the role.
            allowRole("DescribeByCmiExecutionRole", partition, accountId, cmiRoleName, ["kms:DescribeKey"]),
            allowRoleGrantsForAwsResources(partition, accountId, cmiRoleName),
        ],
        "ImportedModelKeyPolicy",
    );
}

/** A key for a CloudWatch Logs log group: the logs service may use it only for that log group. */
export function logGroupKeyPolicy(partition: string, region: string, accountId: string, logGroupName: string): PolicyDocument {
    return policy(
        [
            keyAdministration(partition, accountId),
            {
                Sid: "UseByCloudWatchLogsForOneLogGroup",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: USE_ACTIONS,
                Resource: "*",
                Condition: {
                    ArnEquals: { "kms:EncryptionContext:aws:logs:arn": arn.logGroup(partition, region, accountId, logGroupName) },
                },
            },
        ],
        "LogGroupKeyPolicy",
    );
}
