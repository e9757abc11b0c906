/**
 * What the declared policies allow and refuse, judged by an IAM policy simulator with AWS's
 * cross-account rules over the policies the stacks register under mocks (not string matching).
 */
import { strict as assert } from "assert";
import { AccessQuery, AccessResult, simulate } from "../../proof/access/simulator";
import { PolicyDocument } from "../../lib/policies/document";
import { StackRun } from "../../proof/runtime/runStack";
import { EndpointOnPath, OUTSIDER_ENDPOINT, throughEndpoint } from "../../proof/access/network";
import {
    DEV,
    OUTSIDER,
    PROD,
    REGION,
    RESEARCH,
    hostingExports,
    policyIn,
    researchExports,
    resource,
    shippedStack,
    shippedStacks,
    withInput,
} from "../helpers";
import { PathResult, proveEnvironment } from "../../proof/access/prove";
import { deploymentTrustPolicy } from "../../lib/policies/sagemaker";

const BUCKET = `model-artifacts-${RESEARCH}`;
const PREFIX = "mistral-model-weights/";
const OBJECT = `arn:aws:s3:::${BUCKET}/${PREFIX}config.json`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const CMI_DEV = role(DEV, `BedrockCMIExecutionRole-${DEV}`);
const CMI_PROD = role(PROD, `BedrockCMIExecutionRole-${PROD}`);
const TLS = { "aws:SecureTransport": "true" };
// S3 calls KMS on the reader's behalf: the request carries kms:ViaService and aws:ViaAWSService.
const VIA_S3 = { ...TLS, "kms:ViaService": `s3.${REGION}.amazonaws.com`, "aws:ViaAWSService": "true" };

/** An over-privileged identity policy, to show resource policies hold even against it. */
const ADMIN: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Admin", Effect: "Allow", Action: ["s3:*", "kms:*", "sts:*"], Resource: "*" }],
};

async function expectDecision(query: AccessQuery, expected: AccessResult): Promise<void> {
    const decision = await simulate(query);
    assert.equal(decision.result, expected, `${query.principal} ${query.action} ${query.resource} ${JSON.stringify(query.context ?? {})}`);
}

/** Refused, by a missing grant or an explicit deny (the endpoint-only statements deny other accounts outright). */
async function expectRefused(query: AccessQuery): Promise<void> {
    const decision = await simulate(query);
    assert.equal(
        decision.allowed,
        false,
        `${query.principal} ${query.action} ${query.resource} ${JSON.stringify(query.context ?? {})} was allowed`,
    );
}

describe("access the stacks declare", () => {
    let research: StackRun;
    let dev: StackRun;
    let prod: StackRun;
    let bucketPolicy: PolicyDocument;
    let artifactKeyPolicy: PolicyDocument;
    let artifactKeyArn: string;

    before(async () => {
        research = await shippedStack("research");
        dev = await shippedStack("dev");
        prod = await shippedStack("prod");
        bucketPolicy = policyIn(resource(research, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy"));
        artifactKeyPolicy = policyIn(resource(research, "aws:kms/key:Key", "artifacts-key-key"));
        artifactKeyArn = researchExports(research).artifactKeyArn;
    });

    const cmiPolicies = (run: StackRun) => [policyIn(resource(run, "aws:iam/rolePolicy:RolePolicy", "cmi-permissions"))];

    describe("trust of the CMI execution role", () => {
        const trust = () => policyIn(resource(dev, "aws:iam/role:Role", "cmi-role"), "assumeRolePolicy");
        const assume = (principal: string, context: Record<string, string>): AccessQuery => ({
            principal,
            action: "sts:AssumeRole",
            resource: CMI_DEV,
            resourceAccount: DEV,
            context,
            resourcePolicy: trust(),
        });
        const job = (account: string, region = REGION, kind = "model-import-job") =>
            `arn:aws:bedrock:${region}:${account}:${kind}/a1b2c3d4e5f6`;

        it("lets Bedrock assume it for this account's import jobs", () =>
            expectDecision(assume("bedrock.amazonaws.com", { "aws:SourceAccount": DEV, "aws:SourceArn": job(DEV) }), "Allowed"));
        it("refuses Bedrock acting for another account's job (confused deputy)", () =>
            expectDecision(
                assume("bedrock.amazonaws.com", { "aws:SourceAccount": OUTSIDER, "aws:SourceArn": job(OUTSIDER) }),
                "ImplicitlyDenied",
            ));
        it("refuses Bedrock without source context", () => expectDecision(assume("bedrock.amazonaws.com", {}), "ImplicitlyDenied"));
        it("refuses other Bedrock job kinds and other Regions", async () => {
            await expectDecision(
                assume("bedrock.amazonaws.com", { "aws:SourceAccount": DEV, "aws:SourceArn": job(DEV, REGION, "model-customization-job") }),
                "ImplicitlyDenied",
            );
            await expectDecision(
                assume("bedrock.amazonaws.com", { "aws:SourceAccount": DEV, "aws:SourceArn": job(DEV, "us-west-2") }),
                "ImplicitlyDenied",
            );
        });
        it("lets only the configured troubleshooting role of the account assume it (dev), nobody in prod", async () => {
            await expectDecision({ ...assume(role(DEV, "ml-platform-operator"), {}), identityPolicies: [ADMIN] }, "Allowed");
            await expectDecision({ ...assume(role(DEV, "DataScientist"), {}), identityPolicies: [ADMIN] }, "ImplicitlyDenied");
            const prodTrust = policyIn(resource(prod, "aws:iam/role:Role", "cmi-role"), "assumeRolePolicy");
            assert.deepEqual(
                prodTrust.Statement.map((s) => s.Sid),
                ["BedrockModelImportJobsOfThisAccount"],
            );
        });
        it("refuses other services and IAM principals", async () => {
            await expectDecision(
                assume("sagemaker.amazonaws.com", { "aws:SourceAccount": DEV, "aws:SourceArn": job(DEV) }),
                "ImplicitlyDenied",
            );
            await expectDecision({ ...assume(role(DEV, "Admin"), {}), identityPolicies: [ADMIN] }, "ImplicitlyDenied");
        });
    });

    describe("the artifacts in the research account", () => {
        const s3EndpointOf = (run: StackRun): EndpointOnPath => ({ id: hostingExports(run).s3EndpointId, ownerAccount: run.accountId });
        /** Requests from a hosting account come through its VPC's S3 endpoint, as the research stack requires. */
        const endpointOf = (principal: string) => {
            const run = [dev, prod].find((r) => principal.includes(`::${r.accountId}:`));
            return run ? s3EndpointOf(run) : OUTSIDER_ENDPOINT;
        };
        const read = (
            principal: string,
            identityPolicies: PolicyDocument[],
            action: string,
            resourceArn: string,
            context: Record<string, string> = {},
        ): AccessQuery => ({
            principal,
            action,
            resource: resourceArn,
            resourceAccount: RESEARCH,
            identityPolicies,
            resourcePolicy: bucketPolicy,
            context: { ...TLS, ...throughEndpoint(endpointOf(principal), "s3"), ...context },
        });

        it("lets each hosting account's CMI role list the model prefix and read the files over TLS", async () => {
            await expectDecision(read(CMI_DEV, cmiPolicies(dev), "s3:GetObject", OBJECT), "Allowed");
            await expectDecision(read(CMI_DEV, cmiPolicies(dev), "s3:ListBucket", BUCKET_ARN, { "s3:prefix": PREFIX }), "Allowed");
            await expectDecision(read(CMI_PROD, cmiPolicies(prod), "s3:GetObject", OBJECT), "Allowed");
        });
        it("refuses the CMI roles outside their own VPC's S3 endpoint (SageMaker hosting's perimeter), with an explicit deny", async () => {
            // Through prod's endpoint: aws:VpceAccount is prod's account, not the role's.
            await expectDecision(
                read(CMI_DEV, cmiPolicies(dev), "s3:GetObject", OBJECT, throughEndpoint(s3EndpointOf(prod), "s3")),
                "ExplicitlyDenied",
            );
            await expectDecision(
                read(CMI_DEV, cmiPolicies(dev), "s3:GetObject", OBJECT, throughEndpoint(OUTSIDER_ENDPOINT, "s3")),
                "ExplicitlyDenied",
            );
            // No endpoint at all: neither aws:SourceVpce nor aws:VpceAccount is in the request.
            await expectDecision({ ...read(CMI_PROD, cmiPolicies(prod), "s3:GetObject", OBJECT), context: TLS }, "ExplicitlyDenied");
        });
        it("refuses reads without TLS", () =>
            expectDecision(
                read(CMI_DEV, cmiPolicies(dev), "s3:GetObject", OBJECT, { "aws:SecureTransport": "false" }),
                "ExplicitlyDenied",
            ));
        it("refuses writes and deletes, even to an over-privileged role", async () => {
            for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]) {
                const target = action === "s3:PutBucketPolicy" ? BUCKET_ARN : OBJECT;
                await expectDecision(read(CMI_DEV, cmiPolicies(dev), action, target), "ImplicitlyDenied");
                await expectDecision(read(CMI_DEV, [ADMIN], action, target), "ImplicitlyDenied");
            }
        });
        it("refuses objects and listings outside the shared prefix", async () => {
            await expectDecision(
                read(CMI_DEV, [ADMIN], "s3:GetObject", `arn:aws:s3:::${BUCKET}/other-team/weights.safetensors`),
                "ImplicitlyDenied",
            );
            await expectDecision(read(CMI_DEV, [ADMIN], "s3:ListBucket", BUCKET_ARN, { "s3:prefix": "" }), "ImplicitlyDenied");
            await expectDecision(read(CMI_DEV, [ADMIN], "s3:ListBucket", BUCKET_ARN), "ImplicitlyDenied");
        });
        it("refuses every other role of the hosting accounts and every other account", async () => {
            await expectDecision(read(role(DEV, "DataScientist"), [ADMIN], "s3:GetObject", OBJECT), "ImplicitlyDenied");
            await expectDecision(read(role(PROD, `BedrockCMIExecutionRole-${DEV}`), [ADMIN], "s3:GetObject", OBJECT), "ImplicitlyDenied");
            await expectRefused(read(role(OUTSIDER, `BedrockCMIExecutionRole-${DEV}`), [ADMIN], "s3:GetObject", OBJECT));
        });
        it("keeps the CMI role from reading a same-named bucket in another account, even one open to it", async () => {
            const openBucket: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "Open", Effect: "Allow", Principal: { AWS: CMI_DEV }, Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` },
                ],
            };
            await expectDecision(
                { ...read(CMI_DEV, [ADMIN], "s3:GetObject", OBJECT), resourceAccount: OUTSIDER, resourcePolicy: openBucket },
                "Allowed",
            );
            await expectDecision(
                { ...read(CMI_DEV, cmiPolicies(dev), "s3:GetObject", OBJECT), resourceAccount: OUTSIDER, resourcePolicy: openBucket },
                "ImplicitlyDenied",
            );
        });
    });

    describe("the artifact key", () => {
        const useKey = (
            principal: string,
            identityPolicies: PolicyDocument[],
            action: string,
            context: Record<string, string> = VIA_S3,
        ): AccessQuery => ({
            principal,
            action,
            resource: artifactKeyArn,
            resourceAccount: RESEARCH,
            context,
            identityPolicies,
            resourcePolicy: artifactKeyPolicy,
        });

        it("lets the CMI roles decrypt through S3 and describe the key", async () => {
            await expectDecision(useKey(CMI_DEV, cmiPolicies(dev), "kms:Decrypt"), "Allowed");
            await expectDecision(useKey(CMI_PROD, cmiPolicies(prod), "kms:Decrypt"), "Allowed");
            // Called directly, not by S3: only through the role's own VPC's KMS endpoint (SageMaker hosting's perimeter).
            await expectDecision(
                useKey(CMI_DEV, cmiPolicies(dev), "kms:DescribeKey", {
                    ...TLS,
                    ...throughEndpoint({ id: hostingExports(dev).interfaceEndpointIds.kms, ownerAccount: DEV }, "kms"),
                }),
                "Allowed",
            );
            await expectDecision(
                useKey(CMI_DEV, cmiPolicies(dev), "kms:DescribeKey", {
                    ...TLS,
                    ...throughEndpoint({ id: hostingExports(prod).interfaceEndpointIds.kms, ownerAccount: PROD }, "kms"),
                }),
                "ExplicitlyDenied",
            );
            await expectDecision(useKey(CMI_DEV, cmiPolicies(dev), "kms:DescribeKey", TLS), "ExplicitlyDenied");
        });
        it("refuses the CMI role decrypting outside S3, encrypting, or administering", async () => {
            await expectRefused(useKey(CMI_DEV, [ADMIN], "kms:Decrypt", TLS));
            for (const action of ["kms:Encrypt", "kms:GenerateDataKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:CreateGrant"]) {
                await expectDecision(useKey(CMI_DEV, [ADMIN], action), "ImplicitlyDenied");
            }
        });
        it("refuses other roles and accounts", async () => {
            await expectDecision(useKey(role(DEV, "DataScientist"), [ADMIN], "kms:Decrypt"), "ImplicitlyDenied");
            await expectRefused(useKey(role(OUTSIDER, "Attacker"), [ADMIN], "kms:Decrypt"));
        });
        it("lets research principals use the key only through S3", async () => {
            await expectDecision(
                useKey(role(RESEARCH, "Trainer"), [ADMIN], "kms:GenerateDataKey", { ...VIA_S3, "kms:CallerAccount": RESEARCH }),
                "Allowed",
            );
            await expectDecision(
                useKey(role(RESEARCH, "Trainer"), [ADMIN], "kms:Decrypt", { ...TLS, "kms:CallerAccount": RESEARCH }),
                "ImplicitlyDenied",
            );
        });
    });

    describe("the hosting account's imported-model key", () => {
        const useKey = (
            run: StackRun,
            principal: string,
            identityPolicies: PolicyDocument[],
            action: string,
            context: Record<string, string> = TLS,
        ): AccessQuery => ({
            principal,
            action,
            resource: hostingExports(run).importedModelKeyArn,
            resourceAccount: hostingExports(run).accountId,
            context,
            identityPolicies,
            resourcePolicy: policyIn(resource(run, "aws:kms/key:Key", "imported-model-key")),
        });

        const VIA_BEDROCK = { ...TLS, "kms:ViaService": "bedrock.us-east-1.amazonaws.com" };
        it("lets the CMI role encrypt, decrypt, re-encrypt, generate data keys and describe through Bedrock", async () => {
            for (const action of [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:DescribeKey",
            ]) {
                await expectDecision(useKey(dev, CMI_DEV, cmiPolicies(dev), action, VIA_BEDROCK), "Allowed");
            }
        });
        it("refuses the CMI role direct use, or use through another service (someone who assumed it)", async () => {
            await expectDecision(useKey(dev, CMI_DEV, cmiPolicies(dev), "kms:Decrypt"), "ImplicitlyDenied");
            await expectDecision(
                useKey(dev, CMI_DEV, [ADMIN], "kms:Decrypt", { ...TLS, "kms:ViaService": "s3.us-east-1.amazonaws.com" }),
                "ImplicitlyDenied",
            );
            await expectDecision(useKey(dev, CMI_DEV, cmiPolicies(dev), "kms:DescribeKey"), "Allowed");
        });
        it("lets the CMI role create grants only for AWS resources", async () => {
            await expectDecision(
                useKey(dev, CMI_DEV, cmiPolicies(dev), "kms:CreateGrant", { ...TLS, "kms:GrantIsForAWSResource": "true" }),
                "Allowed",
            );
            await expectDecision(
                useKey(dev, CMI_DEV, [ADMIN], "kms:CreateGrant", { ...TLS, "kms:GrantIsForAWSResource": "false" }),
                "ImplicitlyDenied",
            );
        });
        it("refuses the CMI role of another account and other roles", async () => {
            await expectDecision(useKey(dev, CMI_PROD, [ADMIN], "kms:Decrypt"), "ImplicitlyDenied");
            // Same account, but the key policy gives the account root administration only, not use.
            await expectDecision(useKey(dev, role(DEV, "DataScientist"), [ADMIN], "kms:Decrypt"), "ImplicitlyDenied");
        });
        it("leaves key administration to the account, not to the CMI role's policy", () =>
            expectDecision(useKey(dev, CMI_DEV, cmiPolicies(dev), "kms:ScheduleKeyDeletion"), "ImplicitlyDenied"));
    });

    describe("service access to logs", () => {
        it("lets S3 deliver access logs only for the artifact bucket of this account", async () => {
            const policy = policyIn(resource(research, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-logs-policy"));
            const deliver = (sourceArn: string, account: string): AccessQuery => ({
                principal: "logging.s3.amazonaws.com",
                action: "s3:PutObject",
                resourceAccount: RESEARCH,
                resource: `arn:aws:s3:::${BUCKET}-logs/${BUCKET}/2026-11-23-access.log`,
                context: { ...TLS, "aws:SourceArn": sourceArn, "aws:SourceAccount": account },
                resourcePolicy: policy,
            });
            await expectDecision(deliver(BUCKET_ARN, RESEARCH), "Allowed");
            await expectDecision(deliver("arn:aws:s3:::someone-elses-bucket", OUTSIDER), "ImplicitlyDenied");
        });
        it("lets only this account's flow logs assume the flow logs role", async () => {
            const trust = policyIn(resource(dev, "aws:iam/role:Role", "network-flow-logs-role"), "assumeRolePolicy");
            const assume = (account: string): AccessQuery => ({
                principal: "vpc-flow-logs.amazonaws.com",
                action: "sts:AssumeRole",
                resource: role(DEV, "flow-logs"),
                resourceAccount: DEV,
                context: {
                    "aws:SourceAccount": account,
                    "aws:SourceArn": `arn:aws:ec2:${REGION}:${account}:vpc-flow-log/fl-0123456789abcdef0`,
                },
                resourcePolicy: trust,
            });
            await expectDecision(assume(DEV), "Allowed");
            await expectDecision(assume(OUTSIDER), "ImplicitlyDenied");
        });
    });

    describe("trust of the SageMaker deployment role (seed 003: the development account's pipeline deploys)", () => {
        const PIPELINE = role(RESEARCH, "ml-deployment-pipeline");
        const deploymentRole = (account: string) => role(account, `SageMakerModelDeploymentRole-${account}`);
        const trustIn = (run: StackRun) => policyIn(resource(run, "aws:iam/role:Role", "sagemaker-deployment-role"), "assumeRolePolicy");
        /** A caller with every permission its account could give it: only the trust can refuse. */
        const assume = (principal: string, account: string, trust: PolicyDocument): AccessQuery => ({
            principal,
            action: "sts:AssumeRole",
            resource: deploymentRole(account),
            resourceAccount: account,
            identityPolicies: [ADMIN],
            resourcePolicy: trust,
        });

        it("trusts one statement per account: the account root with ArnEquals aws:PrincipalArn its listed roles, this account's Sid kept", () => {
            assert.deepEqual(trustIn(dev).Statement, [
                {
                    Sid: `DeploymentPipelineRolesOf${RESEARCH}`,
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${RESEARCH}:root` },
                    Action: "sts:AssumeRole",
                    Condition: { ArnEquals: { "aws:PrincipalArn": [PIPELINE] } },
                },
            ]);
            const local = role(DEV, "ml-deployment-pipeline");
            // Deployers of this account only: the statement deployments had before (an added development-account deployer only adds one).
            const before = {
                Sid: "DeploymentPipelineRoles",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${DEV}:root` },
                Action: "sts:AssumeRole",
                Condition: { ArnEquals: { "aws:PrincipalArn": [local] } },
            };
            assert.deepEqual(deploymentTrustPolicy("aws", DEV, [local]).Statement, [before]);
            const other = role(RESEARCH, "team/ml-deploy");
            assert.deepEqual(deploymentTrustPolicy("aws", DEV, [PIPELINE, local, other]).Statement, [
                before,
                {
                    Sid: `DeploymentPipelineRolesOf${RESEARCH}`,
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${RESEARCH}:root` },
                    Action: "sts:AssumeRole",
                    Condition: { ArnEquals: { "aws:PrincipalArn": [PIPELINE, other] } },
                },
            ]);
        });

        it("lets the development account's pipeline role assume it in dev and prod, and nobody else", async () => {
            for (const [run, account] of [
                [dev, DEV],
                [prod, PROD],
            ] as const) {
                const trust = trustIn(run);
                await expectDecision(assume(PIPELINE, account, trust), "Allowed");
                for (const other of [
                    role(RESEARCH, "platform-administrator"),
                    role(account, "platform-administrator"),
                    role(account, "ml-deployment-pipeline"),
                    role(OUTSIDER, "ml-deployment-pipeline"),
                    `arn:aws:iam::${RESEARCH}:root`,
                ])
                    await expectDecision(assume(other, account, trust), "ImplicitlyDenied");
            }
        });

        describe("in the proof (npm run plan)", () => {
            /** The proof's deployment-trust paths of dev, with dev's trust policy replaced. */
            async function trustPaths(edit?: (trust: PolicyDocument) => PolicyDocument): Promise<PathResult[]> {
                const shipped = (await shippedStacks()).values();
                const runs = edit
                    ? withInput(shipped, "dev", "sagemaker-deployment-role", "assumeRolePolicy", () => JSON.stringify(edit(trustIn(dev))))
                    : [...shipped];
                return (await proveEnvironment(runs)).filter(
                    (r) => r.path.architecture === "sagemaker" && r.path.resource === deploymentRole(r.path.resourceAccount),
                );
            }
            const failing = (results: readonly PathResult[]) =>
                results.filter((r) => !r.holds).map((r) => `${r.path.stack}: ${r.path.expect} ${r.path.why}`);
            const DEVELOPMENT_ROLE = `another role of the development account assumes the deployment role`;
            const TARGET_ROLE = `another role of the target account assumes the deployment role`;
            const OUTSIDE_ROLE = `a same-named role of an outside account (${OUTSIDER}) assumes the deployment role`;
            const REQUIRED = `the development account's pipeline role assumes the deployment role (seed 003)`;

            it("requires the pipeline role's path and forbids the others, for each target, all holding", async () => {
                const results = await trustPaths();
                assert.deepEqual(
                    results.map((r) => [r.path.stack, r.path.expect, r.path.principal, r.path.why]),
                    ["dev", "prod"].flatMap((stack) => {
                        const account = stack === "dev" ? DEV : PROD;
                        return [
                            [stack, "allowed", PIPELINE, REQUIRED],
                            [stack, "denied", role(RESEARCH, "platform-administrator"), DEVELOPMENT_ROLE],
                            [stack, "denied", role(account, "platform-administrator"), TARGET_ROLE],
                            [stack, "denied", role(OUTSIDER, "ml-deployment-pipeline"), OUTSIDE_ROLE],
                        ];
                    }),
                );
                assert.deepEqual(failing(results), []);
            });

            it("fails the required path when the trust loses the development account", async () => {
                const results = await trustPaths((trust) => deploymentTrustPolicy("aws", DEV, [role(DEV, "ml-deployment-pipeline")]));
                assert.deepEqual(failing(results), [`dev: allowed ${REQUIRED}`]);
                assert.match(
                    results.find((r) => !r.holds)!.problem!,
                    /REQUIRED path refused .*stack dev: arn:aws:iam::111122223333:role\/ml-deployment-pipeline sts:AssumeRole on arn:aws:iam::777788889999:role\/SageMakerModelDeploymentRole-777788889999: no statement of dev: Role sagemaker-deployment-role \(trust policy\) allows it/,
                );
            });

            it("opens the development account's other roles when the trust drops its aws:PrincipalArn condition", async () => {
                const results = await trustPaths((trust) => ({
                    ...trust,
                    Statement: trust.Statement.map(({ Condition, ...statement }) => statement),
                }));
                assert.deepEqual(failing(results), [`dev: denied ${DEVELOPMENT_ROLE}`]);
            });

            it("opens a same-named role of an outside account when the trust names the role but not its account", async () => {
                const results = await trustPaths((trust) => ({
                    ...trust,
                    Statement: [
                        {
                            Sid: "PipelineRoleOfAnyAccount",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: "sts:AssumeRole",
                            Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ml-deployment-pipeline" } },
                        },
                    ],
                }));
                assert.deepEqual(failing(results), [`dev: denied ${OUTSIDE_ROLE}`]);
            });

            it("opens the target account's other roles when the trust names the target account's root without a condition", async () => {
                const results = await trustPaths((trust) => ({
                    ...trust,
                    Statement: [
                        ...trust.Statement,
                        { Sid: "WholeAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" },
                    ],
                }));
                assert.deepEqual(failing(results), [`dev: denied ${TARGET_ROLE}`]);
            });
        });
    });
});
