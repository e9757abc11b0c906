/**
 * Threat-model cases over policy documents (identity, resource, trust, endpoint, SCP) and the
 * grants declared beside them. Each insecure case is a spelling of a threat (several per class);
 * each acceptable one is a look-alike a reviewer would pass, which no rule may report.
 */
import { CaseResource, DEV, ORG_ID, OUTSIDER, PROD, PackCase, RESEARCH, doc, providerIn } from "./types";

const ARTIFACTS = "model-artifacts-111122223333";
const DEV_APP_ROLE = `arn:aws:iam::${DEV}:role/rekognition-app`;
const DEV_CMI_ROLE = `arn:aws:iam::${DEV}:role/BedrockCmiRole-${DEV}`;
const GITHUB = `arn:aws:iam::${DEV}:oidc-provider/token.actions.githubusercontent.com`;

/** Every request without TLS denied, as every bucket policy must (s3-tls-only). */
const TLS_DENY = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${ARTIFACTS}`, `arn:aws:s3:::${ARTIFACTS}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
/** Other accounts' requests denied outside their VPC endpoints (data-vpc-endpoint-only). */
const NETWORK_DENY = {
    Sid: "DenyOutsideConsumerEndpoints",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${ARTIFACTS}`, `arn:aws:s3:::${ARTIFACTS}/*`],
    Condition: { StringNotEquals: { "aws:VpceAccount": "${aws:PrincipalAccount}" }, BoolIfExists: { "aws:ViaAWSService": "false" } },
};

/** The research account's artifact bucket policy with the given statements beside the TLS and network denies. */
const bucketPolicy = (...statements: object[]): CaseResource => ({
    type: "aws:s3/bucketPolicy:BucketPolicy",
    name: "artifacts-policy",
    props: { bucket: ARTIFACTS, policy: doc(...statements, TLS_DENY, NETWORK_DENY) },
    provider: providerIn(RESEARCH),
});

const readArtifacts = (extra: object = {}) => ({
    Sid: "ReadArtifacts",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${DEV}:root` },
    Action: ["s3:GetObject", "s3:ListBucket"],
    Resource: [`arn:aws:s3:::${ARTIFACTS}`, `arn:aws:s3:::${ARTIFACTS}/*`],
    Condition: { ArnEquals: { "aws:PrincipalArn": DEV_CMI_ROLE } },
    ...extra,
});

const role = (name: string, trust: object[], props: Record<string, unknown> = {}, account = DEV): CaseResource => ({
    type: "aws:iam/role:Role",
    name,
    props: { name, assumeRolePolicy: doc(...trust), ...props },
    provider: providerIn(account),
});

/** A role that SageMaker assumes, tied to this account (a workload role). */
const sagemakerTrust = {
    Sid: "SageMakerAssumes",
    Effect: "Allow",
    Principal: { Service: "sagemaker.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": DEV }, ArnLike: { "aws:SourceArn": `arn:aws:sagemaker:us-east-1:${DEV}:*` } },
};

/** A workload role with one inline identity statement. */
const workloadWith = (name: string, statement: object, props: Record<string, unknown> = {}) =>
    role(name, [sagemakerTrust], { inlinePolicies: [{ name: "permissions", policy: doc(statement) }], ...props });

/** A role and a RolePolicy attached to it by dependency, as the engine reports them. */
const roleWithPolicy = (name: string, statement: object, account = DEV): CaseResource[] => [
    role(name, [sagemakerTrust], {}, account),
    {
        type: "aws:iam/rolePolicy:RolePolicy",
        name: `${name}-permissions`,
        props: { role: name, policy: doc(statement) },
        deps: { role: [name] },
        provider: providerIn(account),
    },
];

const trustOf = (name: string, statement: object) => role(name, [statement]);
const anyoneAssumes = (condition?: object) => ({
    Sid: "AnyoneInTheOrganization",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "sts:AssumeRole",
    ...(condition ? { Condition: condition } : {}),
});

const serviceTrust = (condition: object) => trustOf("sagemaker-execution", { ...sagemakerTrust, Condition: condition });

const githubTrust = (condition: object) =>
    trustOf("deploy-from-github", {
        Sid: "GitHubActions",
        Effect: "Allow",
        Principal: { Federated: GITHUB },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
    });

const scp = (...statements: object[]): CaseResource => ({
    type: "aws:organizations/policy:Policy",
    name: "guardrail",
    props: { name: "guardrail", type: "SERVICE_CONTROL_POLICY", content: doc(...statements) },
    provider: providerIn("112233445566"),
});

const resourceOfType = (type: string, props: Record<string, unknown>, account = DEV): CaseResource => ({
    type,
    name: type.split(":")[2].toLowerCase(),
    props,
    provider: providerIn(account),
});

const KEY_ADMIN = {
    Sid: "EnableIamPolicies",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${DEV}:root` },
    Action: "kms:*",
    Resource: "*",
};
const key = (provider: CaseResource["provider"], ...statements: object[]): CaseResource => ({
    type: "aws:kms/key:Key",
    name: "models-key",
    props: { description: "models", enableKeyRotation: true, deletionWindowInDays: 30, policy: doc(KEY_ADMIN, ...statements) },
    provider,
});

const hollow: PackCase[] = [
    {
        id: "hollow-forallvalues-orgid-bucket",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "s3-policy-no-open-grants",
        why: "ForAllValues on the single-valued aws:PrincipalOrgID passes when the key is absent, so anonymous requests read the artifacts.",
        resources: [
            bucketPolicy(readArtifacts({ Principal: "*", Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ORG_ID } } })),
        ],
    },
    {
        id: "hollow-forallvalues-orgid-trust",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "iam-trust-not-public",
        why: "A trust in everyone narrowed only by ForAllValues on aws:PrincipalOrgID lets any principal without the key assume the role.",
        resources: [trustOf("org-wide", anyoneAssumes({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ORG_ID } }))],
    },
    {
        id: "hollow-ifexists-orgid-trust",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "iam-trust-not-public",
        why: "StringEqualsIfExists passes when the key is absent.",
        resources: [trustOf("org-wide", anyoneAssumes({ StringEqualsIfExists: { "aws:PrincipalOrgID": ORG_ID } }))],
    },
    {
        id: "hollow-wildcard-principalarn-trust",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "iam-trust-not-public",
        why: 'ArnLike aws:PrincipalArn "*" matches every principal.',
        resources: [trustOf("anyone", { ...anyoneAssumes(), Principal: "*", Condition: { ArnLike: { "aws:PrincipalArn": "*" } } })],
    },
    {
        id: "hollow-question-marks-account-bucket",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "s3-policy-no-open-grants",
        why: "StringLike aws:PrincipalAccount with twelve ? matches every account.",
        resources: [bucketPolicy(readArtifacts({ Principal: "*", Condition: { StringLike: { "aws:PrincipalAccount": "????????????" } } }))],
    },
    {
        id: "hollow-negated-orgid-key",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "kms-policy-no-open-grants",
        why: "StringNotEquals on aws:PrincipalOrgID lets everyone outside one organization (and anonymous callers) decrypt.",
        resources: [
            key(providerIn(DEV), {
                Sid: "DecryptForEveryoneButOneOrg",
                Effect: "Allow",
                Principal: "*",
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" } },
            }),
        ],
    },
    {
        id: "hollow-wildcard-sourceaccount-service-trust",
        threat: "service-trust",
        verdict: "insecure",
        rule: "iam-service-trust-confused-deputy",
        why: 'StringLike aws:SourceAccount "*" lets SageMaker act for any account\'s resources.',
        resources: [serviceTrust({ StringLike: { "aws:SourceAccount": "*" } })],
    },
    {
        id: "hollow-sourcearn-any-account-service-trust",
        threat: "service-trust",
        verdict: "insecure",
        rule: "iam-service-trust-confused-deputy",
        why: "An aws:SourceArn pattern whose account is a wildcard ties the request to no account.",
        resources: [serviceTrust({ ArnLike: { "aws:SourceArn": "arn:aws:sagemaker:us-east-1:*:training-job/*" } })],
    },
    {
        id: "hollow-self-referencing-sourceaccount",
        threat: "service-trust",
        verdict: "insecure",
        rule: "iam-service-trust-confused-deputy",
        why: "Comparing aws:SourceAccount with itself is always true.",
        resources: [serviceTrust({ StringEquals: { "aws:SourceAccount": "${aws:SourceAccount}" } })],
    },
    {
        id: "hollow-ifexists-sourceaccount-service-trust",
        threat: "service-trust",
        verdict: "insecure",
        rule: "iam-service-trust-confused-deputy",
        why: "StringEqualsIfExists on aws:SourceAccount passes for requests that carry no source.",
        resources: [serviceTrust({ StringEqualsIfExists: { "aws:SourceAccount": DEV } })],
    },
    {
        id: "hollow-foreign-sourceaccount-service-trust",
        threat: "service-trust",
        verdict: "insecure",
        rule: "iam-service-trust-confused-deputy",
        why: "The source condition pins an account outside the environment: SageMaker acts for its resources.",
        resources: [serviceTrust({ StringEquals: { "aws:SourceAccount": OUTSIDER } })],
    },
    {
        id: "hollow-sqs-forallvalues-orgpaths",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "resource-policy-no-open-grants",
        why: "ForAllValues on aws:PrincipalOrgPaths without a Null check passes for callers outside any organization.",
        resources: [
            resourceOfType("aws:sqs/queuePolicy:QueuePolicy", {
                queueUrl: `https://sqs.us-east-1.amazonaws.com/${DEV}/jobs`,
                policy: doc({
                    Sid: "OrgSends",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "sqs:SendMessage",
                    Resource: `arn:aws:sqs:us-east-1:${DEV}:jobs`,
                    Condition: { "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": `${ORG_ID}/*` } },
                }),
            }),
        ],
    },
    {
        id: "ok-orgid-and-principalarn-trust",
        threat: "hollow-condition",
        verdict: "acceptable",
        why: "StringEquals on aws:PrincipalOrgID with ArnEquals naming the role is a real restriction.",
        resources: [
            trustOf(
                "org-app",
                anyoneAssumes({ StringEquals: { "aws:PrincipalOrgID": ORG_ID }, ArnEquals: { "aws:PrincipalArn": DEV_APP_ROLE } }),
            ),
        ],
    },
    {
        id: "ok-forallvalues-orgpaths-with-null-check",
        threat: "hollow-condition",
        verdict: "acceptable",
        why: "ForAllValues on a multi-valued key is real when a Null condition requires the key.",
        resources: [
            trustOf(
                "org-path",
                anyoneAssumes({
                    "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": `${ORG_ID}/r-ab12/ou-ab12-11111111/*` },
                    Null: { "aws:PrincipalOrgPaths": "false" },
                    ArnEquals: { "aws:PrincipalArn": DEV_APP_ROLE },
                }),
            ),
        ],
    },
    {
        id: "ok-service-trust-pinned",
        threat: "service-trust",
        verdict: "acceptable",
        why: "aws:SourceAccount and an aws:SourceArn with the account pin SageMaker to this account.",
        resources: [serviceTrust(sagemakerTrust.Condition)],
    },
    {
        id: "ok-service-trust-sourcearn-only",
        threat: "service-trust",
        verdict: "acceptable",
        why: "An aws:SourceArn naming this account's jobs is enough on its own.",
        resources: [serviceTrust({ ArnLike: { "aws:SourceArn": `arn:aws:bedrock:us-east-1:${DEV}:model-import-job/*` } })],
    },
];

const notElements: PackCase[] = [
    {
        id: "not-principal-bucket",
        threat: "not-element",
        verdict: "insecure",
        rule: "policy-no-allow-with-not",
        why: "Allow with NotPrincipal grants everyone but the list.",
        resources: [bucketPolicy(readArtifacts({ Principal: undefined, NotPrincipal: { AWS: DEV_CMI_ROLE }, Condition: undefined }))],
    },
    {
        id: "not-principal-trust",
        threat: "not-element",
        verdict: "insecure",
        rule: "iam-trust-not-public",
        why: "A trust with NotPrincipal lets every other principal assume the role.",
        resources: [
            trustOf("all-but-one", {
                Sid: "AllButOne",
                Effect: "Allow",
                NotPrincipal: { AWS: `arn:aws:iam::${OUTSIDER}:root` },
                Action: "sts:AssumeRole",
            }),
        ],
    },
    {
        id: "not-action-inline",
        threat: "not-element",
        verdict: "insecure",
        rule: "policy-no-allow-with-not",
        why: "Allow NotAction iam:* grants every other action of every service.",
        resources: [workloadWith("everything-but-iam", { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" })],
    },
    {
        id: "not-resource-role-policy",
        threat: "not-element",
        verdict: "insecure",
        rule: "policy-no-allow-with-not",
        why: "Allow with NotResource reads every bucket but one.",
        resources: roleWithPolicy("reads-all-but-one", {
            Sid: "ReadAllButSecrets",
            Effect: "Allow",
            Action: "s3:GetObject",
            NotResource: "arn:aws:s3:::secrets/*",
        }),
    },
    {
        id: "not-action-endpoint-policy",
        threat: "not-element",
        verdict: "insecure",
        rule: "policy-no-allow-with-not",
        why: "An endpoint policy Allow with NotAction lets every other action through the endpoint.",
        resources: [
            resourceOfType("aws:ec2/vpcEndpoint:VpcEndpoint", {
                serviceName: "com.amazonaws.us-east-1.sts",
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                policy: doc({ Sid: "AllButKms", Effect: "Allow", Principal: "*", NotAction: "kms:*", Resource: "*" }),
            }),
        ],
    },
    {
        id: "ok-deny-with-not-action",
        threat: "not-element",
        verdict: "acceptable",
        why: "NotAction in a Deny narrows the deny (the usual Region guardrail), it grants nothing.",
        resources: roleWithPolicy("reads-artifacts", {
            Sid: "ReadArtifacts",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: `arn:aws:s3:::${ARTIFACTS}/*`,
        }).concat([
            {
                type: "aws:iam/rolePolicy:RolePolicy",
                name: "region-guard",
                props: {
                    role: "reads-artifacts",
                    policy: doc({
                        Sid: "DenyOutsideRegion",
                        Effect: "Deny",
                        NotAction: ["sts:*", "iam:Get*"],
                        Resource: "*",
                        Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } },
                    }),
                },
                deps: { role: ["reads-artifacts"] },
                provider: providerIn(DEV),
            },
        ]),
    },
];

const consumerWrites: PackCase[] = [
    {
        id: "consumer-write-putobject-bucket-policy",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-read-only",
        why: "The research bucket lets a dev role put objects: consumers read, only research writes.",
        stack: "research",
        resources: [bucketPolicy(readArtifacts({ Action: ["s3:GetObject", "s3:PutObject"] }))],
    },
    {
        id: "consumer-write-star-object",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-read-only",
        why: "s3:*Object includes PutObject and DeleteObject.",
        stack: "research",
        resources: [bucketPolicy(readArtifacts({ Action: "s3:*Object" }))],
    },
    {
        id: "consumer-write-delete-star",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-read-only",
        why: "s3:Delete* lets the consumer delete artifacts and versions.",
        stack: "research",
        resources: [bucketPolicy(readArtifacts(), readArtifacts({ Sid: "Cleanup", Action: "s3:Delete*" }))],
    },
    {
        id: "consumer-write-registry",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-read-only",
        why: "The model registry lets prod register model packages in research's group.",
        stack: "research",
        resources: [
            resourceOfType(
                "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy",
                {
                    modelPackageGroupName: "models",
                    resourcePolicy: doc({
                        Sid: "ProdRegisters",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${PROD}:root` },
                        Action: ["sagemaker:DescribeModelPackage", "sagemaker:CreateModelPackage"],
                        Resource: `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package/models/*`,
                        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${PROD}:role/deployer` } },
                    }),
                },
                RESEARCH,
            ),
        ],
    },
    {
        id: "consumer-write-identity-putobject",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-no-foreign-writes",
        why: "A dev workload role may put objects into research's artifact bucket.",
        resources: roleWithPolicy("cmi-role", {
            Sid: "WriteArtifacts",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: `arn:aws:s3:::${ARTIFACTS}/*`,
        }),
    },
    {
        id: "consumer-write-identity-put-star-anywhere",
        threat: "consumer-write",
        verdict: "insecure",
        rule: "shared-artifacts-no-foreign-writes",
        why: "s3:Put* on every bucket includes the shared one.",
        resources: roleWithPolicy("app-role", { Sid: "PutAnywhere", Effect: "Allow", Action: "s3:Put*", Resource: "*" }),
    },
    {
        id: "ok-consumer-reads",
        threat: "consumer-write",
        verdict: "acceptable",
        why: "The research bucket lets a named dev role get and list, denied outside VPC endpoints and without TLS.",
        stack: "research",
        resources: [bucketPolicy(readArtifacts())],
    },
    {
        id: "ok-owner-writes-own-bucket",
        threat: "consumer-write",
        verdict: "acceptable",
        why: "A research role writes to the research bucket declared in its own stack.",
        stack: "research",
        resources: [
            { type: "aws:s3/bucket:Bucket", name: "artifacts", props: { bucket: ARTIFACTS }, provider: providerIn(RESEARCH) },
            ...roleWithPolicy(
                "trainer",
                {
                    Sid: "WriteArtifacts",
                    Effect: "Allow",
                    Action: ["s3:PutObject", "s3:GetObject"],
                    Resource: `arn:aws:s3:::${ARTIFACTS}/*`,
                },
                RESEARCH,
            ),
        ],
    },
];

/** The bucket of `ok-owner-writes-own-bucket` needs its settings to pass the bucket rules; the case judges writes. */
const OWNER_CASE_CONFIG = {
    "s3-bucket-encryption-cmk": { enforcementLevel: "disabled" },
    "s3-public-access-block": { enforcementLevel: "disabled" },
    "s3-acls-disabled": { enforcementLevel: "disabled" },
    "s3-versioning": { enforcementLevel: "disabled" },
    "s3-access-logging": { enforcementLevel: "disabled" },
    "s3-tls-only": { enforcementLevel: "disabled" },
};

const grantResources: PackCase[] = [
    {
        id: "grant-kms-outsider",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "A KMS grant gives a role of an account outside the environment the use of the key.",
        resources: [
            resourceOfType("aws:kms/grant:Grant", {
                keyId: `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                granteePrincipal: `arn:aws:iam::${OUTSIDER}:role/reader`,
                operations: ["Decrypt"],
            }),
        ],
    },
    {
        id: "grant-kms-retiring-outsider",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "An outsider may retire the grant (and so break the workload).",
        resources: [
            resourceOfType("aws:kms/grant:Grant", {
                keyId: "alias/models",
                granteePrincipal: DEV_APP_ROLE,
                retiringPrincipal: `arn:aws:iam::${OUTSIDER}:root`,
                operations: ["Decrypt"],
            }),
        ],
    },
    {
        id: "grant-lambda-permission-anyone",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: 'A Lambda permission for "*" without an organization lets any account invoke.',
        resources: [
            resourceOfType("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "scorer", principal: "*" }),
        ],
    },
    {
        id: "grant-lambda-permission-service-without-source",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "S3 may invoke the function for any account's bucket: no sourceArn or sourceAccount (confused deputy).",
        resources: [
            resourceOfType("aws:lambda/permission:Permission", {
                action: "lambda:InvokeFunction",
                function: "scorer",
                principal: "s3.amazonaws.com",
            }),
        ],
    },
    {
        id: "grant-ram-outsider",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "A RAM share is associated with an account outside the environment.",
        resources: [
            resourceOfType("aws:ram/principalAssociation:PrincipalAssociation", {
                principal: OUTSIDER,
                resourceShareArn: `arn:aws:ram:us-east-1:${DEV}:resource-share/abc`,
            }),
        ],
    },
    {
        id: "grant-ram-external-principals",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "A RAM share allows principals outside the organization unless allowExternalPrincipals is false (AWS's default is true).",
        resources: [resourceOfType("aws:ram/resourceShare:ResourceShare", { name: "models" })],
    },
    {
        id: "grant-bucket-acl-public-read",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "A canned public-read ACL on a bucket outside the stack.",
        resources: [resourceOfType("aws:s3/bucketAcl:BucketAcl", { bucket: "elsewhere", acl: "public-read" })],
    },
    {
        id: "grant-sns-topic-anyone",
        threat: "open-grant",
        verdict: "insecure",
        rule: "resource-policy-no-open-grants",
        why: "A topic policy lets anyone subscribe.",
        resources: [
            resourceOfType("aws:sns/topicPolicy:TopicPolicy", {
                arn: `arn:aws:sns:us-east-1:${DEV}:model-events`,
                policy: doc({
                    Sid: "Anyone",
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: ["sns:Subscribe", "sns:Receive"],
                    Resource: `arn:aws:sns:us-east-1:${DEV}:model-events`,
                }),
            }),
        ],
    },
    {
        id: "grant-secret-outsider",
        threat: "open-grant",
        verdict: "insecure",
        rule: "resource-policy-no-open-grants",
        why: "A secret's resource policy lets an account outside the environment read it.",
        resources: [
            resourceOfType("aws:secretsmanager/secretPolicy:SecretPolicy", {
                secretArn: `arn:aws:secretsmanager:us-east-1:${DEV}:secret:hf-token-AbCdEf`,
                policy: doc({
                    Sid: "Partner",
                    Effect: "Allow",
                    Principal: { AWS: OUTSIDER },
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                }),
            }),
        ],
    },
    {
        id: "ok-kms-grant-to-dev-role",
        threat: "grant-resource",
        verdict: "acceptable",
        why: "A KMS grant to a role of the environment.",
        resources: [
            resourceOfType("aws:kms/grant:Grant", {
                keyId: `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                granteePrincipal: DEV_APP_ROLE,
                operations: ["Decrypt", "DescribeKey"],
            }),
        ],
    },
    {
        id: "ok-lambda-permission-events-with-source",
        threat: "grant-resource",
        verdict: "acceptable",
        why: "EventBridge may invoke the function for one rule of this account.",
        resources: [
            resourceOfType("aws:lambda/permission:Permission", {
                action: "lambda:InvokeFunction",
                function: "scorer",
                principal: "events.amazonaws.com",
                sourceArn: `arn:aws:events:us-east-1:${DEV}:rule/nightly`,
            }),
        ],
    },
    {
        id: "ok-ram-share-within-environment",
        threat: "grant-resource",
        verdict: "acceptable",
        why: "A RAM share closed to external principals, associated with prod.",
        resources: [
            resourceOfType("aws:ram/resourceShare:ResourceShare", { name: "subnets", allowExternalPrincipals: false }),
            resourceOfType("aws:ram/principalAssociation:PrincipalAssociation", {
                principal: PROD,
                resourceShareArn: `arn:aws:ram:us-east-1:${DEV}:resource-share/abc`,
            }),
        ],
    },
    {
        id: "ok-sqs-from-topic-of-this-account",
        threat: "open-grant",
        verdict: "acceptable",
        why: "A queue policy lets SNS deliver from one topic of this account.",
        resources: [
            resourceOfType("aws:sqs/queuePolicy:QueuePolicy", {
                queueUrl: `https://sqs.us-east-1.amazonaws.com/${DEV}/jobs`,
                policy: doc({
                    Sid: "TopicDelivers",
                    Effect: "Allow",
                    Principal: { Service: "sns.amazonaws.com" },
                    Action: "sqs:SendMessage",
                    Resource: `arn:aws:sqs:us-east-1:${DEV}:jobs`,
                    Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:sns:us-east-1:${DEV}:model-events` } },
                }),
            }),
        ],
    },
];

const adminPower: PackCase[] = [
    ...[
        ["iam:PutRolePolicy", "writes permissions onto roles"],
        ["kms:PutKeyPolicy", "rewrites who may use a key"],
        ["s3:PutBucketPolicy", "rewrites who may read a bucket"],
        ["iam:*", "does anything in IAM"],
        ["logs:DeleteLogGroup", "deletes the evidence"],
        ["kms:ScheduleKeyDeletion", "schedules a key's deletion"],
    ].map(
        ([action, what]): PackCase => ({
            id: `admin-power-workload-${action.replace(/[:*]/g, "-").toLowerCase()}`,
            threat: "admin-power",
            verdict: "insecure",
            rule: "iam-admin-power-to-administrators",
            why: `A SageMaker workload role ${what} (${action}).`,
            resources: [workloadWith("sagemaker-execution", { Sid: "Power", Effect: "Allow", Action: action, Resource: "*" })],
        }),
    ),
    {
        id: "admin-power-createGrant-unconfined",
        threat: "admin-power",
        verdict: "insecure",
        rule: "iam-admin-power-to-administrators",
        why: "kms:CreateGrant without kms:GrantIsForAWSResource lets the workload hand the key to anyone.",
        resources: [
            workloadWith("cmi-role", {
                Sid: "Grant",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: `arn:aws:kms:us-east-1:${DEV}:key/abc`,
            }),
        ],
    },
    {
        id: "admin-power-managed-admin",
        threat: "admin-power",
        verdict: "insecure",
        rule: "iam-admin-power-to-administrators",
        why: "AdministratorAccess on a role the program creates.",
        resources: [role("pipeline", [sagemakerTrust], { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })],
    },
    {
        id: "admin-power-attached-full-access",
        threat: "admin-power",
        verdict: "insecure",
        rule: "iam-admin-power-to-administrators",
        why: "AmazonSageMakerFullAccess attached to a workload role.",
        resources: [
            role("sagemaker-execution", [sagemakerTrust]),
            resourceOfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
                role: "sagemaker-execution",
                policyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
            }),
        ],
    },
    {
        id: "ok-grant-for-aws-resources",
        threat: "admin-power",
        verdict: "acceptable",
        why: "kms:CreateGrant confined to AWS resources is how SageMaker and Bedrock use a customer managed key.",
        resources: [
            workloadWith("cmi-role", {
                Sid: "Grant",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: `arn:aws:kms:us-east-1:${DEV}:key/abc`,
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            }),
        ],
    },
    {
        id: "ok-administrator-writes-roles",
        threat: "admin-power",
        verdict: "acceptable",
        why: "The deployment role (an administrator role in the pack config) writes role policies.",
        resources: [
            role(
                "deployment-role",
                [
                    {
                        Sid: "Pipeline",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${DEV}:root` },
                        Action: "sts:AssumeRole",
                        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${DEV}:role/pipeline` } },
                    },
                ],
                {
                    inlinePolicies: [
                        {
                            name: "deploy",
                            policy: doc({
                                Sid: "Roles",
                                Effect: "Allow",
                                Action: ["iam:PutRolePolicy", "iam:CreateRole"],
                                Resource: `arn:aws:iam::${DEV}:role/app-*`,
                                Condition: { StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::${DEV}:policy/boundary` } },
                            }),
                        },
                    ],
                },
            ),
        ],
    },
];

const federated: PackCase[] = [
    {
        id: "federated-github-audience-only",
        threat: "federated-trust",
        verdict: "insecure",
        rule: "iam-federated-trust-pins-subject",
        why: "Every GitHub repository's workflow can assume a role that checks only the audience.",
        resources: [githubTrust({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } })],
    },
    {
        id: "federated-github-owner-wildcard",
        threat: "federated-trust",
        verdict: "insecure",
        rule: "iam-federated-trust-pins-subject",
        why: "repo:my-org/* trusts every repository of the organization.",
        resources: [
            githubTrust({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:my-org/*" },
            }),
        ],
    },
    {
        id: "federated-github-sub-star",
        threat: "federated-trust",
        verdict: "insecure",
        rule: "iam-federated-trust-pins-subject",
        why: 'A subject of "*" pins nothing.',
        resources: [
            githubTrust({
                StringLike: {
                    "token.actions.githubusercontent.com:sub": "*",
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                },
            }),
        ],
    },
    {
        id: "federated-saml-audience-only",
        threat: "federated-trust",
        verdict: "insecure",
        rule: "iam-federated-trust-pins-subject",
        why: "A SAML trust that checks only SAML:aud lets every user of the identity provider in.",
        resources: [
            trustOf("saml-users", {
                Sid: "Saml",
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${DEV}:saml-provider/corp` },
                Action: "sts:AssumeRoleWithSAML",
                Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
            }),
        ],
    },
    {
        id: "federated-provider-of-outsider",
        threat: "federated-trust",
        verdict: "insecure",
        rule: "iam-cross-account-trust-allowed",
        why: "The OIDC provider lives in an account outside the environment.",
        resources: [
            trustOf("foreign-idp", {
                Sid: "ForeignIdp",
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${OUTSIDER}:oidc-provider/token.actions.githubusercontent.com` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:my-org/models:ref:refs/heads/main",
                    },
                },
            }),
        ],
    },
    {
        id: "ok-github-repo-and-branch",
        threat: "federated-trust",
        verdict: "acceptable",
        why: "Audience and the repository's main branch pinned.",
        resources: [
            githubTrust({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:my-org/models:ref:refs/heads/main" },
            }),
        ],
    },
    {
        id: "ok-saml-subject",
        threat: "federated-trust",
        verdict: "acceptable",
        why: "A SAML trust pinning the subject as well as the audience.",
        resources: [
            trustOf("saml-admin", {
                Sid: "Saml",
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${DEV}:saml-provider/corp` },
                Action: "sts:AssumeRoleWithSAML",
                Condition: {
                    StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml", "SAML:sub": "ml-platform-admin@example.com" },
                },
            }),
        ],
    },
];

const guardrails: PackCase[] = [
    {
        id: "guardrail-typo-action",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: "s3:PutObjet is no action: the Deny never matches.",
        resources: [scp({ Sid: "NoUnencryptedWrites", Effect: "Deny", Action: "s3:PutObjet", Resource: "*" })],
    },
    {
        id: "guardrail-exempts-everyone",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: "ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/* exempts every role the SCP governs.",
        resources: [
            scp({
                Sid: "DenyLeavingVpc",
                Effect: "Deny",
                Action: "sagemaker:CreateModel",
                Resource: "*",
                Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" }, Null: { "sagemaker:VpcSubnets": "true" } },
            }),
        ],
    },
    {
        id: "guardrail-stringnotlike-star",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: 'StringNotLike aws:PrincipalArn "*" never matches, so the Deny never applies.',
        resources: [
            scp({
                Sid: "DenyKeyDeletion",
                Effect: "Deny",
                Action: "kms:ScheduleKeyDeletion",
                Resource: "*",
                Condition: { StringNotLike: { "aws:PrincipalArn": "*" } },
            }),
        ],
    },
    {
        id: "guardrail-key-never-present",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: "KMS requests never carry s3:x-amz-server-side-encryption, so a positive match on it never holds and the Deny never applies.",
        resources: [
            scp({
                Sid: "DenyPlainKeys",
                Effect: "Deny",
                Action: "kms:CreateKey",
                Resource: "*",
                Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "AES256" } },
            }),
        ],
    },
    {
        id: "guardrail-role-deny-misspelt",
        threat: "guardrail",
        verdict: "insecure",
        rule: "policy-deny-effective",
        why: "A role's Deny of s3:DeleteObjekt (a typo) protects nothing.",
        resources: roleWithPolicy("reader", { Sid: "NeverDelete", Effect: "Deny", Action: "s3:DeleteObjekt", Resource: "*" }),
    },
    {
        id: "ok-guardrail-vpc-only-with-break-glass",
        threat: "guardrail",
        verdict: "acceptable",
        why: "Denies SageMaker models outside VPC subnets except for a named break-glass role.",
        resources: [
            scp({
                Sid: "DenySageMakerWithoutVpc",
                Effect: "Deny",
                Action: ["sagemaker:CreateModel", "sagemaker:CreateTrainingJob"],
                Resource: "*",
                Condition: {
                    Null: { "sagemaker:VpcSubnets": "true" },
                    ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass" },
                },
            }),
        ],
    },
];

const keys: PackCase[] = [
    {
        id: "open-grant-key-outsider-root",
        threat: "open-grant",
        verdict: "insecure",
        rule: "kms-policy-no-open-grants",
        why: "The key policy lets an account outside the environment decrypt.",
        resources: [
            key(providerIn(DEV), {
                Sid: "Partner",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` },
                Action: "kms:Decrypt",
                Resource: "*",
            }),
        ],
    },
    {
        id: "ok-default-key-policy-provider-assumes-role",
        threat: "open-grant",
        verdict: "acceptable",
        why: "AWS's default key policy; the provider sends no allowedAccountIds but assumes a role of the key's account.",
        resources: [
            key({ props: { region: "us-east-1", assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${DEV}:role/deployer` }]) } }),
        ],
    },
    {
        id: "ok-default-key-policy-stack-account",
        threat: "open-grant",
        verdict: "acceptable",
        why: "AWS's default key policy; the pack config gives the stack's account.",
        resources: [key({ props: { region: "us-east-1" } })],
        config: {
            "kms-policy-no-open-grants": { stackAccounts: { dev: DEV } },
            "kms-key-owner-delegation": { stackAccounts: { dev: DEV } },
        },
    },
    {
        id: "ok-key-use-through-s3-for-own-account",
        threat: "open-grant",
        verdict: "acceptable",
        why: "AWS's pattern for \"*\" through one service: kms:CallerAccount pins the key's own account, so no other account uses it.",
        resources: [
            key(providerIn(DEV), {
                Sid: "ThroughS3ForThisAccount",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:CallerAccount": DEV, "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            }),
        ],
    },
    {
        id: "ok-default-key-policy-stack-resources-say",
        threat: "open-grant",
        verdict: "acceptable",
        why: "AWS's default key policy on a key whose provider says nothing; the stack's other resources live in the root's account.",
        resources: [key({ props: { region: "us-east-1" } }), trustOf("app", sagemakerTrust)],
    },
    {
        id: "open-grant-key-other-allowed-root",
        threat: "open-grant",
        verdict: "insecure",
        rule: "kms-key-owner-delegation",
        why: "The key lives in prod (its stack's resources say so) and lets every principal of dev's root use it.",
        stack: "prod",
        resources: [
            key({ props: { region: "us-east-1" } }),
            role("app", [{ ...sagemakerTrust, Condition: { StringEquals: { "aws:SourceAccount": PROD } } }], {}, PROD),
        ],
    },
];

const moreSpellings: PackCase[] = [
    {
        id: "hollow-org-wildcard-bucket",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "s3-policy-no-open-grants",
        why: 'StringLike aws:PrincipalOrgID "o-*" matches every organization.',
        stack: "research",
        resources: [bucketPolicy(readArtifacts({ Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } }))],
    },
    {
        id: "hollow-principalarn-any-account-trust",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "iam-trust-not-public",
        why: "arn:aws:iam::*:role/Admin names a role any account can create.",
        resources: [trustOf("admins-anywhere", anyoneAssumes({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Admin" } }))],
    },
    {
        id: "hollow-sourcevpce-wildcard-bucket",
        threat: "hollow-condition",
        verdict: "insecure",
        rule: "s3-policy-no-open-grants",
        why: 'aws:SourceVpce "vpce-*" matches every endpoint of every account.',
        stack: "research",
        resources: [bucketPolicy(readArtifacts({ Principal: "*", Condition: { StringLike: { "aws:SourceVpce": "vpce-*" } } }))],
    },
    {
        id: "grant-ami-public",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: "An AMI launch permission for group all makes the image public.",
        resources: [resourceOfType("aws:ec2/amiLaunchPermission:AmiLaunchPermission", { imageId: "ami-0123456789abcdef0", group: "all" })],
    },
    {
        id: "grant-event-bus-everyone",
        threat: "grant-resource",
        verdict: "insecure",
        rule: "grant-resources-trusted",
        why: 'An event bus permission for "*" without an organization condition accepts every account\'s events.',
        resources: [resourceOfType("aws:cloudwatch/eventPermission:EventPermission", { principal: "*", statementId: "Everyone" })],
    },
    {
        id: "admin-power-job-function-administrator",
        threat: "admin-power",
        verdict: "insecure",
        rule: "iam-admin-power-to-administrators",
        why: "The SystemAdministrator job-function policy on a workload role.",
        resources: [role("app", [sagemakerTrust], { managedPolicyArns: ["arn:aws:iam::aws:policy/job-function/SystemAdministrator"] })],
    },
    {
        id: "guardrail-exempts-governed-account",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: "The SCP is attached to dev and exempts dev's principals (StringNotEquals aws:PrincipalAccount dev): it governs no one.",
        resources: [
            scp({
                Sid: "DenyKeyDeletion",
                Effect: "Deny",
                Action: "kms:ScheduleKeyDeletion",
                Resource: "*",
                Condition: { StringNotEquals: { "aws:PrincipalAccount": [DEV] } },
            }),
            {
                type: "aws:organizations/policyAttachment:PolicyAttachment",
                name: "guardrail-dev",
                props: { policyId: "p-123", targetId: DEV },
                deps: { policyId: ["guardrail"] },
                provider: providerIn("112233445566"),
            },
        ],
    },
    {
        id: "guardrail-unknown-global-key",
        threat: "guardrail",
        verdict: "insecure",
        rule: "scp-effective",
        why: "aws:RequestedRegionn is no key: a positive match on it never holds.",
        resources: [
            scp({
                Sid: "DenyOtherRegions",
                Effect: "Deny",
                Action: "sagemaker:*",
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestedRegionn": "eu-west-1" } },
            }),
        ],
    },
    {
        id: "perimeter-identity-foreign-key",
        threat: "data-perimeter",
        verdict: "insecure",
        rule: "policy-resources-in-environment",
        why: "A workload role may decrypt with a key of an account outside the environment (a way to load foreign models).",
        resources: roleWithPolicy("loader", {
            Sid: "ForeignKey",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: `arn:aws:kms:us-east-1:${OUTSIDER}:key/abc`,
        }),
    },
    {
        id: "perimeter-identity-foreign-queue",
        threat: "data-perimeter",
        verdict: "insecure",
        rule: "policy-resources-in-environment",
        why: "A workload role may send messages to another account's queue: a path out for data.",
        resources: roleWithPolicy("exporter", {
            Sid: "Export",
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: `arn:aws:sqs:us-east-1:${OUTSIDER}:inbox`,
        }),
    },
    {
        id: "perimeter-endpoint-resource-account",
        threat: "data-perimeter",
        verdict: "insecure",
        rule: "policy-resources-in-environment",
        why: "An endpoint policy lets the VPC reach an outside account's buckets.",
        resources: [
            resourceOfType("aws:ec2/vpcEndpoint:VpcEndpoint", {
                serviceName: "com.amazonaws.us-east-1.s3",
                vpcEndpointType: "Gateway",
                policy: doc({
                    Sid: "Partner",
                    Effect: "Allow",
                    Principal: "*",
                    Action: ["s3:GetObject", "s3:PutObject"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:ResourceAccount": OUTSIDER } },
                }),
            }),
        ],
    },
    {
        id: "ok-identity-pulls-deep-learning-container",
        threat: "data-perimeter",
        verdict: "acceptable",
        why: "A SageMaker execution role pulls a Deep Learning Containers image from AWS's own registry account.",
        resources: roleWithPolicy("sagemaker-execution", {
            Sid: "PullInferenceImage",
            Effect: "Allow",
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: "arn:aws:ecr:us-east-1:763104351884:repository/pytorch-inference",
        }),
    },
    {
        id: "ok-trust-own-account-root-with-mfa",
        threat: "hollow-condition",
        verdict: "acceptable",
        why: "A trust in the role's own account root delegates to that account's IAM policies (as a key's default policy does); MFA required.",
        resources: [
            trustOf("break-glass", {
                Sid: "OwnAccountWithMfa",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${DEV}:root` },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            }),
        ],
    },
    {
        id: "ok-identity-reads-research-key",
        threat: "data-perimeter",
        verdict: "acceptable",
        why: "A dev workload decrypts artifacts with research's key: research is in the environment.",
        resources: roleWithPolicy("cmi-role", {
            Sid: "DecryptArtifacts",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: `arn:aws:kms:us-east-1:${RESEARCH}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        }),
    },
];

export const policyDocumentCases: readonly PackCase[] = [
    ...moreSpellings,
    ...hollow,
    ...notElements,
    ...consumerWrites.map((c) => (c.id === "ok-owner-writes-own-bucket" ? { ...c, config: OWNER_CASE_CONFIG } : c)),
    ...grantResources,
    ...adminPower,
    ...federated,
    ...guardrails,
    ...keys,
];
