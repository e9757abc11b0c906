/**
 * One deployment identity: bootstrap stacks run apart (`npm run env -- bootstrap`), and no other
 * stack is previewed or updated until the deployment role it assumes has been bootstrapped. Read
 * through the real Automation API against the stand-in `pulumi`: a stack never created fails
 * `stack select` ("no stack named ... found", pkg/cmd/pulumi/stack/stack_select.go), which must not
 * create it as a side effect.
 */
import { strict as assert } from "assert";
import { AutomationWorkspace } from "../../ops/stacks/automation";
import { deploymentRoleProblems, stacksFor } from "../../ops/stacks/deploymentRoles";
import { bootstrapStackOf, readProjectStacks } from "../../lib/config/projectStacks";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { readStackConfig } from "../../ops/project";
import { UsageError } from "../../ops/cli/errors";
import { eachTestStandIn } from "../standin/harness";
import { missingDeploymentRoles } from "../../ops/env/stacks";

const DEV_ROLE = "arn:aws:iam::777788889999:role/CrossAccountModelsDeployment-777788889999";
const BOUNDARY = "arn:aws:iam::777788889999:policy/CrossAccountModelsWorkloadBoundary-777788889999";
const stacks = readProjectStacks();
const configOf = (stack: string) => parseStackConfig(stack, readStackConfig(stack), { stacks });
const bootstrapOf = (account: string) => bootstrapStackOf(stacks, account);

describe("deployment roles: bootstrap apart, then every stack through its account's role", function () {
    this.timeout(60000);

    it("runs bootstrap stacks only with bootstrap, and never by default with the others", () => {
        assert.deepEqual(stacksFor("bootstrap", [], stacks), ["bootstrap-dev", "bootstrap-org", "bootstrap-prod", "bootstrap-research"]);
        assert.deepEqual(stacksFor("up", [], stacks), ["dev", "org", "prod", "research"]);
        assert.deepEqual(stacksFor("preview", ["dev"], stacks), ["dev"]);
        assert.throws(
            () => stacksFor("up", ["bootstrap-dev"], stacks),
            (e: Error) => e instanceof UsageError && /npm run env -- bootstrap bootstrap-dev/.test(e.message),
        );
        assert.throws(
            () => stacksFor("bootstrap", ["dev"], stacks),
            (e: Error) => e instanceof UsageError && /dev is not/.test(e.message),
        );
        assert.ok(stacksFor("outputs", [], stacks).includes("bootstrap-dev"));
    });

    it("names each stack whose account was never bootstrapped, and how to bootstrap it", async () => {
        const outputs: Record<string, Record<string, unknown>> = {
            "bootstrap-research": {
                accountId: "111122223333",
                region: "us-east-1",
                deploymentRoleArn: "arn:aws:iam::111122223333:role/CrossAccountModelsDeployment-111122223333",
                workloadBoundaryArn: "arn:aws:iam::111122223333:policy/CrossAccountModelsWorkloadBoundary-111122223333",
                ciRoleArns: [],
                deploys: ["research"],
            },
        };
        const problems = await deploymentRoleProblems(["research", "dev"].map(configOf), bootstrapOf, async (s) => outputs[s]);
        assert.deepEqual(problems, [
            `dev deploys through ${DEV_ROLE}, which bootstrap-dev creates, and bootstrap-dev has not been deployed; run it once with account 777788889999's administrator credentials: npm run env -- bootstrap bootstrap-dev`,
        ]);
    });

    it("refuses a role the bootstrap stack does not export", async () => {
        const wrong = {
            accountId: "777788889999",
            region: "us-east-1",
            deploymentRoleArn: `${DEV_ROLE}-old`,
            workloadBoundaryArn: BOUNDARY,
            ciRoleArns: [],
            deploys: [],
        };
        const [problem] = await deploymentRoleProblems([configOf("dev")], bootstrapOf, async () => wrong);
        assert.match(problem, /bootstrap-dev exports .*-old; fix aws:assumeRoles in Pulumi\.dev\.yaml/);
    });

    describe("over the Automation API", () => {
        const cli = eachTestStandIn({
            "bootstrap-dev": {
                resources: [{ name: "deployment-role", type: "aws:iam/role:Role", protect: true }],
                outputs: {
                    accountId: "777788889999",
                    region: "us-east-1",
                    deploymentRoleArn: DEV_ROLE,
                    workloadBoundaryArn: BOUNDARY,
                    ciRoleArns: [],
                    deploys: ["dev"],
                },
            },
        });

        it("finds no outputs for a bootstrap stack never created, without creating it, and the role once it is up", async () => {
            const workspace = new AutomationWorkspace({
                projectDir: cli().checkout("a"),
                backendUrl: cli().backendUrl,
                policyPacks: [],
                policyPackConfigs: [],
            });
            assert.equal(await workspace.deployedOutputs("bootstrap-dev"), undefined);
            assert.ok(
                !cli()
                    .commands()
                    .some((c) => c.startsWith("stack init")),
                cli().commands().join("\n"),
            );
            assert.deepEqual(await deploymentRoleProblems([configOf("dev")], bootstrapOf, (s) => workspace.deployedOutputs(s)), [
                `dev deploys through ${DEV_ROLE}, which bootstrap-dev creates, and bootstrap-dev has not been deployed; run it once with account 777788889999's administrator credentials: npm run env -- bootstrap bootstrap-dev`,
            ]);

            await workspace.run("up", "bootstrap-dev", () => undefined);
            assert.equal((await workspace.deployedOutputs("bootstrap-dev"))?.deploymentRoleArn, DEV_ROLE);
            assert.deepEqual(await deploymentRoleProblems([configOf("dev")], bootstrapOf, (s) => workspace.deployedOutputs(s)), []);
        });

        it("check-bootstrap: names the stacks whose role is missing, reading the backend only", async () => {
            const workspace = new AutomationWorkspace({
                projectDir: cli().checkout("a"),
                backendUrl: cli().backendUrl,
                policyPacks: [],
                policyPackConfigs: [],
            });
            await workspace.run("up", "bootstrap-dev", () => undefined);
            const before = cli().commands().length;
            const problems = await missingDeploymentRoles(["dev", "prod"], stacks, workspace);
            assert.equal(problems.length, 1);
            assert.match(problems[0], /^prod deploys through .*, which bootstrap-prod creates, and bootstrap-prod has not been deployed/);
            assert.ok(
                cli()
                    .commands()
                    .slice(before)
                    .every((c) => !/^(up|preview|stack init)/.test(c)),
                cli().commands().slice(before).join("\n"),
            );
        });
    });
});
