/**
 * Administrative power stays with administrators: actions that change who may do what (the
 * Service Authorization Reference's "Permissions management" access level) or that remove what is
 * deployed and kept (keys, buckets, versions, logs, trails, images, registered models) are granted
 * only to the roles whose job it is; managed policies that grant administrative or full access are
 * attached to none of the roles the program creates.
 */
import { stackRule } from "../lib/rule";
import { actionsAtLevel, grants, someActions } from "../lib/iam/actions";
import { Statement } from "../lib/iam/policy";
import { restricting } from "../lib/iam/conditions";
import { isNamedRole, roleNameOf, rolePermissions } from "../lib/iam/attachments";

/**
 * Actions that destroy or switch off what must be kept (evidence and models): not "Permissions
 * management" in the reference, yet as consequential. Services the reference lists them under.
 */
export const KEEP_ACTIONS = [
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:DeleteImportedKeyMaterial",
    "s3:DeleteBucket",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketObjectLockConfiguration",
    "s3:BypassGovernanceRetention",
    "s3:DeleteObjectVersion",
    "logs:DeleteLogGroup",
    "logs:PutRetentionPolicy",
    "logs:DeleteRetentionPolicy",
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:UpdateTrail",
    "cloudtrail:PutEventSelectors",
    "ec2:DeleteFlowLogs",
    "ecr:DeleteRepository",
    "ecr:BatchDeleteImage",
    "ecr:PutImageTagMutability",
    "ecr:PutImageScanningConfiguration",
    "sagemaker:DeleteModelPackage",
    "sagemaker:DeleteModelPackageGroup",
    "rekognition:DeleteProject",
    "rekognition:DeleteProjectVersion",
    "bedrock:DeleteImportedModel",
    "bedrock:DeleteCustomModel",
    "guardduty:DeleteDetector",
    "config:StopConfigurationRecorder",
    "config:DeleteConfigurationRecorder",
    "securityhub:DisableSecurityHub",
];

/** AWS managed policies that grant administrative or full access (`*FullAccess`, `AdministratorAccess`, ...). */
const ADMIN_MANAGED_POLICY =
    /^arn:[^:]+:iam::aws:policy\/(.*\/)?([A-Za-z0-9]*Administrator(Access)?[A-Za-z0-9-]*|PowerUserAccess|[A-Za-z0-9]*FullAccess(V\d+)?)$/;

/**
 * Whether a statement's permissions-management action is confined to what a workload needs: KMS
 * grants only for AWS resources (`kms:GrantIsForAWSResource` true), or only through a named AWS
 * service (`kms:ViaService`), how SageMaker and Bedrock use a customer managed key (AWS KMS
 * Developer Guide, "kms:GrantIsForAWSResource" and "kms:ViaService").
 */
function confinedToAwsResources(s: Statement, action: string): boolean {
    if (!/^kms:(CreateGrant|RetireGrant|RevokeGrant|ListGrants)$/i.test(action)) return false;
    const forAwsResource = s.conditions.some(
        (c) =>
            c.base === "Bool" &&
            !c.ifExists &&
            c.key === "kms:grantisforawsresource" &&
            c.values.length > 0 &&
            c.values.every((v) => v === "true"),
    );
    return forAwsResource || restricting(s.conditions, ["kms:viaservice"]).length > 0;
}

/** The services whose actions a statement may reach, for expanding `*` and NotAction. */
const SERVICES_FOR_EVERYTHING = ["iam", "kms", "s3", "organizations", "sts", "sagemaker", "ecr", "logs", "cloudtrail"];

/** The administrative actions an Allow grants, beyond the exempt ones. */
function administrativeActions(s: Statement, exempt: readonly string[]): string[] {
    const services = SERVICES_FOR_EVERYTHING;
    const power = actionsAtLevel(s.actions, "Permissions management", services);
    const keep = KEEP_ACTIONS.filter((a) => grants(s.actions, a));
    return [...new Set([...power, ...keep])].filter(
        (a) => !exempt.some((e) => e.toLowerCase() === a.toLowerCase()) && !confinedToAwsResources(s, a),
    );
}

export const adminPowerToAdministrators = stackRule(
    {
        name: "iam-admin-power-to-administrators",
        description:
            "Only administrator roles may change who may do what (permissions-management actions) or remove what is kept (keys, buckets, versions, logs, trails, images, models); no role the program creates has an administrative or full-access AWS managed policy.",
        category: "least-privilege",
        severity: "critical",
        remediation:
            "Move the action to an administrator role (listed in administratorRoles), or confine it (kms:CreateGrant with kms:GrantIsForAWSResource true); attach scoped customer managed policies instead of *FullAccess / AdministratorAccess.",
        config: {
            administratorRoles: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description:
                        "Roles (resource or role names, * and ? wildcards) whose job is administration or deployment of the stacks.",
                },
                default: [] as string[],
            },
            exemptActions: {
                schema: {
                    type: "array",
                    items: { type: "string" },
                    description: "Permissions-management actions workloads need (AWS documents them).",
                },
                // SageMaker and Bedrock attach network interfaces in the VPC for the workload (SageMaker Developer Guide, "Give SageMaker access to resources in your Amazon VPC").
                default: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterfacePermission"],
            },
        },
    },
    (resources, report, config) => {
        for (const { role, statements, managedPolicyArns } of rolePermissions(resources)) {
            for (const arn of managedPolicyArns.filter((a) => ADMIN_MANAGED_POLICY.test(a)))
                report(`Role ${roleNameOf(role)} has the AWS managed policy ${arn}, which grants administrative or full access.`, role.urn);
            if (isNamedRole(role, config.administratorRoles)) continue;
            for (const { from, statement } of statements.filter((x) => x.statement.effect === "Allow")) {
                const actions = administrativeActions(statement, config.exemptActions);
                if (actions.length > 0)
                    report(
                        `Role ${roleNameOf(role)} (${from}, statement ${statement.sid}) may ${someActions(actions, 6)}: administrative power for a role that is not an administrator.`,
                        role.urn,
                    );
            }
        }
    },
);
