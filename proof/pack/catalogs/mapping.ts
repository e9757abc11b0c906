/**
 * Which rule of the pack covers which check of the public catalogs (Checkov, cdk-nag's
 * AwsSolutions pack, parliament), and why the pack leaves the other in-scope checks out. Keys are
 * the catalogs' own IDs: Checkov `CKV_AWS_n` / `CKV2_AWS_n`, cdk-nag `AwsSolutions-X`, parliament
 * finding names. generate.ts checks that every in-scope check is covered or left out (once), and
 * that every rule named here is a rule of the pack.
 */

export interface Coverage {
    readonly rule: string;
    readonly extent: "full" | "partly";
    /** For "partly": what the rule leaves of the check ("as <ID>" refers to another check's note). */
    readonly leaves?: string;
}

const full = (rule: string): Coverage => ({ rule, extent: "full" });
const partly = (rule: string, leaves: string): Coverage => ({ rule, extent: "partly", leaves });

export const COVERS: Readonly<Record<string, readonly Coverage[]>> = {
    // ---- S3
    CKV_AWS_18: [full("s3-access-logging")],
    CKV_AWS_19: [full("s3-bucket-encryption-cmk")],
    CKV_AWS_145: [
        partly(
            "s3-bucket-encryption-cmk",
            "buckets that receive server access logs may keep SSE-S3 (allowSseS3ForAccessLogTargets), the only encryption S3 log delivery supports",
        ),
    ],
    CKV_AWS_20: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV_AWS_57: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV2_AWS_43: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV_AWS_375: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV_AWS_379: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV2_AWS_65: [full("s3-acls-disabled"), full("grant-resources-trusted")],
    CKV_AWS_21: [full("s3-versioning")],
    CKV_AWS_53: [full("s3-public-access-block")],
    CKV_AWS_54: [full("s3-public-access-block")],
    CKV_AWS_55: [full("s3-public-access-block")],
    CKV_AWS_56: [full("s3-public-access-block")],
    CKV2_AWS_6: [full("s3-public-access-block")],
    CKV_AWS_70: [full("s3-policy-no-open-grants")],
    "AwsSolutions-S1": [full("s3-access-logging")],
    "AwsSolutions-S2": [full("s3-public-access-block")],
    "AwsSolutions-S5": [
        partly(
            "s3-policy-no-open-grants",
            "the open-world policy half; CloudFront OAI/OAC for website buckets is not judged (these stacks serve no website)",
        ),
    ],
    "AwsSolutions-S10": [full("s3-tls-only")],

    // ---- KMS
    CKV_AWS_7: [full("kms-key-rotation")],
    "AwsSolutions-KMS5": [full("kms-key-rotation")],
    CKV_AWS_33: [full("kms-policy-no-open-grants")],
    CKV2_AWS_64: [full("kms-explicit-key-policy")],

    // ---- IAM: identity policies
    CKV_AWS_62: [full("iam-no-wildcard-action")],
    CKV_AWS_63: [full("iam-no-wildcard-action")],
    CKV_AWS_1: [full("iam-no-wildcard-action")],
    CKV_AWS_49: [full("iam-no-wildcard-action")],
    CKV2_AWS_68: [full("iam-no-wildcard-action")],
    CKV2_AWS_40: [
        partly("iam-no-wildcard-action", '"*" only'),
        partly(
            "iam-admin-power-to-administrators",
            '"iam:*" is reported on roles that are not administrators; on an administrator role, or in a policy attached to no role, it is not',
        ),
    ],
    "AwsSolutions-IAM5": [
        partly(
            "iam-no-wildcard-action",
            'service-scoped wildcards ("s3:Get*") and Resource "*" on actions other than iam:PassRole are not reported',
        ),
        partly("iam-no-passrole-wildcard", "as above"),
    ],
    "AwsSolutions-IAM4": [
        partly(
            "iam-admin-power-to-administrators",
            "AWS managed policies that grant administrative or full access (AdministratorAccess, PowerUserAccess, *FullAccess) only; other AWS managed policies are accepted",
        ),
    ],
    CKV_AWS_274: [partly("iam-admin-power-to-administrators", "roles only: users and groups are judged by iam-no-users instead")],
    CKV2_AWS_56: [partly("iam-admin-power-to-administrators", "roles only: users and groups are judged by iam-no-users instead")],
    CKV_AWS_289: [
        partly(
            "iam-admin-power-to-administrators",
            "permissions-management actions of roles that are not administrators; a policy attached to no role the stack declares is not judged",
        ),
    ],
    CKV_AWS_109: [partly("iam-admin-power-to-administrators", "as CKV_AWS_289")],
    PERMISSIONS_MANAGEMENT_ACTIONS: [partly("iam-admin-power-to-administrators", "as CKV_AWS_289")],
    CKV_AWS_355: [partly("iam-no-passrole-wildcard", 'Resource "*" is reported for iam:PassRole only, not for every restrictable action')],
    CKV_AWS_356: [partly("iam-no-passrole-wildcard", 'Resource "*" is reported for iam:PassRole only, not for every restrictable action')],
    RESOURCE_STAR: [partly("iam-no-passrole-wildcard", 'Resource "*" is reported for iam:PassRole only')],
    RESOURCE_EFFECTIVELY_STAR: [
        partly("iam-no-passrole-wildcard", "wildcard role ARNs (arn:aws:iam::*:role/*) are reported for iam:PassRole only"),
    ],
    CKV_AWS_286: [
        partly(
            "iam-admin-power-to-administrators",
            "the paths through permissions management (iam:PutRolePolicy, iam:CreatePolicyVersion, iam:UpdateAssumeRolePolicy, ...) and iam:PassRole; " +
                "paths through Write actions (iam:CreateAccessKey, iam:UpdateLoginProfile, lambda:UpdateFunctionCode) are not",
        ),
        partly("iam-no-passrole-wildcard", "as above"),
        partly("iam-passrole-to-service", "as above"),
    ],
    CKV_AWS_110: [
        partly("iam-admin-power-to-administrators", "as CKV_AWS_286"),
        partly("iam-no-passrole-wildcard", "as above"),
        partly("iam-passrole-to-service", "as above"),
    ],
    PRIVILEGE_ESCALATION: [
        partly("iam-admin-power-to-administrators", "as CKV_AWS_286"),
        partly("iam-no-passrole-wildcard", "as above"),
        partly("iam-passrole-to-service", "as above"),
    ],
    RESOURCE_POLICY_PRIVILEGE_ESCALATION: [
        partly(
            "iam-admin-power-to-administrators",
            "in roles' identity policies s3:PutBucketPolicy and the like are permissions management; in a resource policy, " +
                "shared-artifacts-read-only forbids them to other accounts only",
        ),
        partly("shared-artifacts-read-only", "as above"),
    ],

    // ---- IAM: Not* elements and conditions
    NOTPRINCIPAL_WITH_ALLOW: [full("policy-no-allow-with-not")],
    NOTRESOURCE_WITH_ALLOW: [full("policy-no-allow-with-not")],
    SINGLE_VALUE_CONDITION_TOO_PERMISSIVE: [
        partly(
            "iam-trust-not-public",
            "ForAllValues on a principal or source key does not count as a restriction in the trust and open-grant rules; " +
                "ForAnyValue, and conditions in identity policies, are not judged",
        ),
        partly("resource-policy-no-open-grants", "as above"),
    ],
    UNKNOWN_ACTION: [
        partly("scp-effective", "service and resource control policies"),
        partly(
            "policy-deny-effective",
            "Deny statements of other policies; an unknown action in an Allow grants nothing and is not reported",
        ),
    ],
    UNKNOWN_PREFIX: [
        partly("scp-effective", "service and resource control policies"),
        partly("policy-deny-effective", "Deny statements of other policies"),
    ],
    UNKNOWN_CONDITION_FOR_ACTION: [
        partly("scp-effective", "Deny statements of service and resource control policies"),
        partly("policy-deny-effective", "Deny statements of other policies"),
    ],

    // ---- IAM: trusts
    CKV_AWS_60: [
        partly(
            "iam-trust-not-public",
            'judged differently: "*" with a condition that really restricts the principal (aws:PrincipalOrgID, aws:PrincipalArn) is accepted; Checkov fails any "*"',
        ),
    ],
    CKV_AWS_61: [
        partly(
            "iam-cross-account-trust-allowed",
            "judged differently: an account root is accepted with a condition naming the roles (Checkov fails any root)",
        ),
    ],
    CKV_AWS_358: [full("iam-federated-trust-pins-subject")],
    CKV_AWS_393: [full("iam-federated-trust-pins-subject")],

    // ---- IAM: users and long-lived credentials
    CKV_AWS_273: [full("iam-no-users")],
    CKV2_AWS_22: [full("iam-no-long-lived-credentials")],
    CKV_AWS_348: [full("iam-no-long-lived-credentials")],
    CKV_AWS_40: [
        partly(
            "iam-no-users",
            "a user the stack declares is reported, and with it the reason for its policies; a policy for a user declared elsewhere is not",
        ),
    ],

    // ---- resource policies of every type
    CKV_AWS_283: [
        full("s3-policy-no-open-grants"),
        full("kms-policy-no-open-grants"),
        full("ecr-policy-no-open-grants"),
        full("resource-policy-no-open-grants"),
        full("iam-trust-not-public"),
    ],
    CKV_AWS_168: [full("resource-policy-no-open-grants")],
    CKV_AWS_387: [full("resource-policy-no-open-grants")],
    CKV_AWS_169: [full("resource-policy-no-open-grants")],
    CKV_AWS_385: [
        partly(
            "resource-policy-no-open-grants",
            "judged differently: accounts in allowedAccountIds may be granted (a root with a condition naming the roles); Checkov fails any account without a condition",
        ),
    ],
    CKV_AWS_167: [full("resource-policy-no-open-grants")],
    "AwsSolutions-EVB1": [full("resource-policy-no-open-grants")],
    "AwsSolutions-OS5": [
        partly(
            "resource-policy-no-open-grants",
            'judged differently: "*" with a condition that restricts the principal is accepted; a domain without an access policy is not reported',
        ),
    ],
    CKV_AWS_32: [full("ecr-policy-no-open-grants")],
    "AwsSolutions-ECR1": [full("ecr-policy-no-open-grants")],

    // ---- grants declared as resources
    CKV_AWS_301: [full("grant-resources-trusted")],
    CKV_AWS_364: [full("grant-resources-trusted")],
    CKV_AWS_258: [full("grant-resources-trusted")],
    CKV_AWS_303: [full("grant-resources-trusted")],
    CKV_AWS_205: [
        partly(
            "grant-resources-trusted",
            "judged differently: an image shared with an allowed account is fine; sharing with every account (group all) or another account is reported",
        ),
    ],

    // ---- network
    CKV_AWS_24: [full("vpc-no-open-ingress")],
    CKV_AWS_25: [full("vpc-no-open-ingress")],
    CKV_AWS_260: [full("vpc-no-open-ingress")],
    CKV_AWS_277: [full("vpc-no-open-ingress")],
    "AwsSolutions-EC23": [full("vpc-no-open-ingress")],
    CKV_AWS_382: [full("vpc-no-open-egress"), full("vpc-open-egress-with-gateway")],
    CKV_AWS_130: [full("vpc-no-public-ip-subnet")],
    CKV2_AWS_11: [full("vpc-flow-logs")],
    "AwsSolutions-VPC7": [full("vpc-flow-logs")],
    CKV2_AWS_12: [full("vpc-default-sg-closed")],

    // ---- logs and evidence
    CKV_AWS_158: [full("logs-group-kms")],
    CKV_AWS_338: [full("logs-retention-minimum")],
    CKV_AWS_36: [full("cloudtrail-trail-integrity")],
    CKV_AWS_67: [full("cloudtrail-trail-integrity")],
    CKV_AWS_251: [full("cloudtrail-trail-integrity")],
    CKV_AWS_51: [full("ecr-immutable-tags")],
    CKV_AWS_163: [full("ecr-scan-on-push")],

    // ---- secrets (secrets-no-plaintext reads every resource type)
    CKV_AWS_41: [full("secrets-no-plaintext")],
    CKV_AWS_45: [full("secrets-no-plaintext")],
    CKV_AWS_46: [
        partly("secrets-no-plaintext", "credential-shaped values in user data; a secret of no known shape in user data is not found"),
    ],
    CKV_AWS_295: [partly("secrets-no-plaintext", "credential-shaped values only")],
    CKV2_AWS_34: [
        partly(
            "secrets-no-plaintext",
            "judged differently: a String parameter is reported when it holds a secret (by name or shape); configuration in String parameters is fine",
        ),
    ],
    "AwsSolutions-ECS2": [
        partly(
            "secrets-no-plaintext",
            "judged differently: environment variables that hold secrets are reported, not every environment variable",
        ),
    ],

    // ---- ML services
    CKV_AWS_98: [full("sagemaker-endpoint-config-kms")],
    CKV_AWS_370: [full("sagemaker-model-vpc-isolation")],
    CKV_AWS_22: [full("sagemaker-notebook-vpc")],
    CKV_AWS_122: [full("sagemaker-notebook-vpc")],
    CKV_AWS_306: [full("sagemaker-notebook-vpc")],
    CKV_AWS_187: [partly("sagemaker-notebook-vpc", "notebook instances only; a SageMaker domain's KMS key is not judged")],
    "AwsSolutions-SM1": [full("sagemaker-notebook-vpc")],
    "AwsSolutions-SM2": [full("sagemaker-notebook-vpc")],
    "AwsSolutions-SM3": [full("sagemaker-notebook-vpc")],
};

export interface LeftOutGroup {
    readonly group: string;
    readonly why: string;
    /** Checks no rule judges yet that a regulated ML platform would expect: candidate rules, not decisions. */
    readonly notYet?: boolean;
    /** Check ID -> a note on this check ("" for none). */
    readonly ids: Readonly<Record<string, string>>;
}

const none = (...ids: string[]): Record<string, string> => Object.fromEntries(ids.map((id) => [id, ""]));

export const LEFT_OUT: readonly LeftOutGroup[] = [
    {
        group: "Not a security property of these stacks",
        why: "cost, operations or hygiene: no access, encryption or network path depends on it",
        ids: {
            CKV2_AWS_61: "lifecycle rules are a cost and retention choice per bucket",
            CKV2_AWS_62: "event notifications feed workflows; evidence of access comes from CloudTrail and access logs",
            CKV_AWS_23: "a description documents a group; it changes nothing the group admits",
            "AwsSolutions-EC27": "as CKV_AWS_23",
            CKV2_AWS_5: "a security group attached to nothing admits nothing",
            CKV_AWS_252: "an SNS topic for log delivery notifies; cloudtrail-trail-integrity judges what is logged",
            "AwsSolutions-SQS3": "a dead-letter queue keeps failed messages; it protects delivery, not access",
        },
    },
    {
        group: "Resilience choices the pack leaves to each stack",
        why: "they protect availability, not confidentiality; the pack requires versioning and a key deletion window instead",
        ids: {
            CKV_AWS_144: "cross-region replication copies models to a second region, a residency decision as much as a recovery one",
            CKV_AWS_143: "object lock (WORM) is chosen when a bucket is created; s3-versioning keeps overwritten objects",
            CKV_AWS_227: "a disabled key fails closed (nothing can decrypt); kms-deletion-window covers the destructive case",
        },
    },
    {
        group: "Judged differently by the pack",
        why: "the pack holds a stricter or a different line on the same risk",
        ids: {
            CKV2_AWS_35:
                "asks for NAT gateways on the default route; the pack forbids any internet route (vpc-no-nat-gateway, vpc-no-internet-gateway)",
            CKV_AWS_93: "a policy that locks out all but root is an availability mistake the root user undoes; it grants nothing",
            CKV2_AWS_1: "NACLs are not part of the model: security groups, no internet gateway and endpoint policies are",
            CKV_AWS_66: "asks for an explicit retention; none keeps events forever, which logs-retention-minimum accepts",
            CKV_AWS_72:
                "an Allow of every SQS action to a principal of the environment is fine; who is granted is what resource-policy-no-open-grants judges",
            CKV_AWS_392:
                "an access point's own block matters only under a bucket without one; s3-public-access-block requires all four flags on every bucket",
            "AwsSolutions-OS3": "asks for IP allow-lists on open grants; the pack allows no open grant (resource-policy-no-open-grants)",
            SENSITIVE_ACCESS:
                "a list the user configures (empty by default); shared-artifacts-* and data-vpc-endpoint-only judge access to the data",
            BAD_PATTERN_FOR_MFA: "no statement of these stacks conditions on MFA: services and pipelines assume their roles",
        },
    },
    {
        group: "Types the pack reads only for whom they let in",
        why:
            "the stacks declare none of these services; the pack reads their resource policies and sharing settings (who may act on " +
            "them) wherever they appear, and leaves the services' own hardening to the team that adopts them",
        ids: none(
            "CKV_AWS_5",
            "CKV_AWS_6",
            "CKV_AWS_83",
            "CKV_AWS_84",
            "CKV_AWS_137",
            "CKV_AWS_228",
            "CKV_AWS_247",
            "CKV_AWS_248",
            "CKV_AWS_317",
            "CKV_AWS_318",
            "CKV2_AWS_52",
            "CKV2_AWS_59",
            "AwsSolutions-OS1",
            "AwsSolutions-OS2",
            "AwsSolutions-OS4",
            "AwsSolutions-OS7",
            "AwsSolutions-OS8",
            "AwsSolutions-OS9",
            "AwsSolutions-APIG2",
            "CKV_AWS_112",
            "CKV_AWS_113",
        ),
    },
    {
        group: "Policy grammar and lint",
        why:
            "how a document is written, not what it grants: AWS rejects malformed JSON, missing elements, unknown versions, operators " +
            "and principals when the policy is set, and in an Allow a misspelt action, ARN or key can only grant less. In a Deny it can " +
            "deny nothing: the rules that rely on a Deny read its operator and key (s3-tls-only, data-vpc-endpoint-only) and " +
            "scp-effective reports unknown actions and keys in guardrails; a lint of every document is IAM Access Analyzer's policy validation",
        ids: {
            EXCEPTION: "parliament's own crash report",
            MALFORMED_JSON: "the pack reads an unparsable document as empty",
            ...none(
                "MALFORMED",
                "DUPLICATE_SID",
                "INVALID_SID",
                "NO_VERSION",
                "OLD_VERSION",
                "INVALID_VERSION",
                "INVALID_ARN",
                "RESOURCE_MISMATCH",
                "MISMATCHED_TYPE",
                "MISMATCHED_TYPE_BUT_USABLE",
                "MISMATCHED_TYPE_OPERATION_TO_NULL",
                "UNKNOWN_OPERATOR",
                "UNKNOWN_PRINCIPAL",
                "UNKNOWN_FEDERATION_SOURCE",
            ),
        },
    },
    {
        group: "Not covered yet",
        notYet: true,
        why: "no rule judges these; each is a candidate rule for a regulated ML platform (the note says what it would require)",
        ids: {
            CKV_AWS_287:
                "no credentials exposure (iam:CreateAccessKey, sts:GetFederationToken, ecr:GetAuthorizationToken, ...) outside administrators",
            CKV_AWS_107: "as CKV_AWS_287",
            CREDENTIALS_EXPOSURE: "as CKV_AWS_287",
            CKV_AWS_288: "no data exfiltration: s3:GetObject, ssm:GetParameter*, secretsmanager:GetSecretValue on every resource",
            CKV_AWS_108: "as CKV_AWS_288",
            CKV_AWS_290: 'no Write action on Resource "*" without a condition',
            CKV_AWS_111: "as CKV_AWS_290",
            CKV_AWS_35: "CloudTrail logs encrypted with a customer managed key",
            CKV2_AWS_10: "CloudTrail delivered to CloudWatch Logs, for alarms on API activity",
            CKV_AWS_136: "ECR images (the model containers) encrypted with a customer managed key",
            CKV_AWS_149: "Secrets Manager secrets encrypted with a customer managed key",
            CKV_AWS_337: "SecureString parameters with a customer managed key",
            CKV2_AWS_57: "secrets rotated",
            "AwsSolutions-SMG4": "as CKV2_AWS_57",
            CKV_AWS_26: "SNS topics encrypted",
            CKV_AWS_27: "SQS queues encrypted",
            CKV2_AWS_73: "SQS queues with a customer managed key",
            "AwsSolutions-SQS2": "as CKV_AWS_27",
            "AwsSolutions-SQS4": "a queue policy denying requests without TLS, as s3-tls-only for buckets",
            "AwsSolutions-SNS3": "a topic policy denying publishes without TLS",
            CKV_AWS_307: "notebook instances without root access",
            CKV_AWS_371: "notebook instances with IMDSv2 only (the instance role's credentials)",
            CKV_AWS_367: "monitoring job outputs encrypted with a KMS key",
            CKV_AWS_368: "monitoring job volumes encrypted with a KMS key",
            CKV_AWS_369: "inter-container traffic of monitoring jobs encrypted",
            CKV2_AWS_44: "route tables: no 0.0.0.0/0 route to a peering connection, transit gateway or gateway declared outside the stack",
        },
    },
];

/** CloudFormation classes cdk-nag tests -> the Pulumi types that carry the same settings (others: aws-<svc>.Cfn<Name> -> aws:<svc>/<name>:<Name>). */
export const CFN_TO_PULUMI: Readonly<Record<string, readonly string[]>> = {
    "aws-s3.CfnBucket": [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketLogging:BucketLogging",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ],
    "aws-ec2.CfnSecurityGroupIngress": [
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ],
    "aws-ec2.CfnVPC": ["aws:ec2/vpc:Vpc"],
    "aws-ec2.CfnVolume": ["aws:ebs/volume:Volume"],
    "aws-ecr.CfnRepository": ["aws:ecr/repository:Repository", "aws:ecr/repositoryPolicy:RepositoryPolicy"],
    "aws-iam.CfnRole": ["aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
    "aws-iam.CfnPolicy": ["aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"],
    "aws-iam.CfnManagedPolicy": ["aws:iam/policy:Policy"],
    "aws-iam.CfnUser": ["aws:iam/user:User", "aws:iam/userPolicyAttachment:UserPolicyAttachment"],
    "aws-iam.CfnGroup": ["aws:iam/group:Group", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"],
    "aws-secretsmanager.CfnRotationSchedule": ["aws:secretsmanager/secretRotation:SecretRotation"],
};

/** Module names that differ between the CDK (aws-<module>) and @pulumi/aws. */
export const CDK_MODULE_RENAMES: Readonly<Record<string, string>> = {
    opensearchservice: "opensearch",
    events: "cloudwatch",
    logs: "cloudwatch",
    elasticloadbalancing: "elb",
    elasticloadbalancingv2: "lb",
};

/** cdk-nag rules whose classes include one only as the neighbour of the resource judged: the classes judged. */
export const CDK_NAG_SUBJECTS: Readonly<Record<string, readonly string[]>> = {
    "AwsSolutions-LEX4": ["aws-lex.CfnBotAlias", "aws-lex.CfnBot"],
    "AwsSolutions-CFR7": ["aws-cloudfront.CfnDistribution"],
    "AwsSolutions-SQS3": ["aws-sqs.CfnQueue"],
    "AwsSolutions-ECS2": ["aws-ecs.CfnTaskDefinition"],
};

/**
 * Checks of types outside the scope (neither declared nor judged) that a regulated ML platform
 * would expect next to these stacks: listed in the document as candidates, not counted.
 */
export const OUTSIDE_SCOPE: Readonly<Record<string, string>> = {
    CKV_AWS_238: "GuardDuty on in every account",
    CKV2_AWS_3: "GuardDuty on for the organization and region",
    CKV2_AWS_45: "AWS Config recording all supported resources",
    CKV2_AWS_48: "as CKV2_AWS_45",
    CKV_AWS_121: "AWS Config aggregated across regions",
    CKV_AWS_294: "CloudTrail Lake event data stores with a customer managed key",
    CKV_AWS_373: "Bedrock agents with a customer managed key",
    CKV_AWS_383: "Bedrock agents with a guardrail",
    CKV_AWS_372: "SageMaker human-review flow definitions with a KMS key for their output",
    CKV_AWS_123: "endpoint services (PrivateLink) that accept connections manually",
    CKV_AWS_331: "transit gateways that do not accept VPC attachments automatically",
    CKV_AWS_117: "Lambda functions in the VPC",
    CKV_AWS_173: "Lambda environment variables encrypted with a customer managed key",
    CKV_AWS_272: "Lambda code signing",
    CKV_AWS_79: "EC2 instances and launch templates with IMDSv2 only",
    CKV_AWS_189: "EBS volumes with a customer managed key",
};
