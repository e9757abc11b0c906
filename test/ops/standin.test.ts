/**
 * The real Automation API (`LocalWorkspace`) driven by the orchestrator against the stand-in
 * `pulumi` on PATH (test/standin): what is sent to the CLI, in which order, and what the engine
 * would have done without the orchestrator's preview.
 */
import { strict as assert } from "assert";
import { AutomationWorkspace } from "../../ops/stacks/automation";
import { buildGraph } from "../../ops/stacks/graph";
import { orchestrate } from "../../ops/stacks/runner";
import { ProgressBoard } from "../../ops/stacks/progress";
import { automationStacks } from "../../ops/stacks/automationStacks";
import { Scenario, StandIn, standIn } from "../standin/harness";

const STACKS = ["research", "dev", "prod"];
const graph = buildGraph(
    STACKS,
    new Map([
        ["research", []],
        ["dev", ["research"]],
        ["prod", ["research"]],
    ]),
);
const PACK = "policypacks/cross-account-guard";
/** Research alone, for what concerns one stack. */
const researchOnly = buildGraph(["research"], new Map([["research", []]]));

const ENVIRONMENT: Scenario = {
    research: {
        resources: [
            { name: "models", type: "aws:kms/key:Key", protect: true },
            { name: "artifacts", type: "aws:s3/bucketV2:BucketV2", protect: true, dependsOn: ["models"] },
            { name: "importer", type: "aws:iam/role:Role" },
        ],
        outputs: { bucket: "artifacts" },
    },
    dev: { resources: [{ name: "role", type: "aws:iam/role:Role" }] },
    prod: { resources: [{ name: "role", type: "aws:iam/role:Role" }] },
};

describe("the orchestrator over the Automation API (stand-in pulumi CLI)", function () {
    this.timeout(60000);
    let cli: StandIn;
    let workspace: AutomationWorkspace;
    beforeEach(() => {
        cli = standIn(ENVIRONMENT);
        workspace = new AutomationWorkspace({
            projectDir: cli.checkout("a"),
            backendUrl: cli.backendUrl,
            policyPacks: [PACK],
            policyPackConfigs: [],
        });
    });
    afterEach(() => cli.restore());
    const exported = async (stack: string) => (await workspace.preview("destroy", stack, () => undefined)).keptProtected;

    // The Automation API's up() sends `up --yes --skip-preview` (sdk/nodejs/automation/stack.ts), so
    // the preview with the pack has to come first, and every update after its own preview.
    //
    // pkg/backend/backend.go GetStackOutputs: a StackReference to a stack never created fails, so
    // every stack must exist before the first preview (sdk/nodejs/automation/stack.ts createOrSelect).
    it("creates every stack first, then sends a preview with the policy pack before each update", async () => {
        const result = await orchestrate({ command: "up", graph, feedback: new Map(), workspace });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        const commands = cli.commands();
        const firstPreview = commands.findIndex((c) => c.startsWith("preview"));
        for (const stack of STACKS)
            assert.ok(
                commands.indexOf(`stack init ${stack}`) >= 0 && commands.indexOf(`stack init ${stack}`) < firstPreview,
                commands.join("\n"),
            );
        const operations = commands.filter((c) => /^(preview|up) /.test(c));
        assert.deepEqual(operations.slice(0, 2), ["preview research +pack", "up research --skip-preview +pack"]);
        for (const stack of ["dev", "prod"])
            assert.ok(operations.indexOf(`preview ${stack} +pack`) < operations.indexOf(`up ${stack} --skip-preview +pack`));
        assert.equal(operations.length, 6);
    });

    // pkg/resource/plugin/plugin.go turns a dynamic provider's stdout lines into info diagnostics:
    // a Bedrock import's progress reaches the event log as such.
    it("streams the engine's info diagnostics prefixed by stack, with the time since the stack started", async () => {
        cli.setScenario({
            research: {
                ...ENVIRONMENT.research,
                diagnostics: [
                    { severity: "info", message: "Model import job cmi-1: InProgress after 60s", resource: "importer" },
                    { severity: "debug", message: "noise" },
                ],
            },
        });
        let clock = 0;
        const lines: string[] = [];
        const board = new ProgressBoard(
            (l) => lines.push(l),
            () => (clock += 1000),
        );
        const result = await orchestrate({
            command: "up",
            graph: researchOnly,
            feedback: new Map(),
            workspace,
            onProgress: board.onProgress,
        });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        assert.ok(
            lines.some((l) => /^\[research\] +\d+s info +.*Model import job cmi-1: InProgress after 60s/.test(l)),
            lines.join("\n"),
        );
        assert.ok(!lines.some((l) => l.includes("noise")), "debug diagnostics are not shown");
        assert.match(board.summary(result), /^research +succeeded +1 +\d+s/m);
    });

    // pkg/resource/deploy/step_generator.go: AnalyzeStack runs after the steps, so `up --skip-preview`
    // changes resources before a stack-rule violation fails it. The stand-in does the same.
    it("sends no update after a mandatory stack-rule violation in the preview, where up alone would have changed resources", async () => {
        cli.setScenario({
            ...ENVIRONMENT,
            research: {
                ...ENVIRONMENT.research,
                policy: [{ policyName: "data-vpc-endpoint-only", enforcementLevel: "mandatory", message: "no endpoint deny" }],
            },
        });
        const result = await orchestrate({ command: "up", graph, feedback: new Map(), workspace });
        assert.deepEqual(
            result.outcomes.map((o) => o.status),
            ["failed", "skipped", "skipped"],
        );
        assert.match(
            result.outcomes[0].error!,
            /refused: 1 mandatory policy violation.*data-vpc-endpoint-only \(stack\): no endpoint deny/,
        );
        assert.ok(!cli.commands().some((c) => c.startsWith("up ")), cli.commands().join("\n"));
        assert.deepEqual(await exported("research"), []);

        // What the defect was: the update alone fails, but only after creating the resources.
        await assert.rejects(
            workspace.run("up", "research", () => undefined),
            /policy violations/,
        );
        assert.deepEqual(
            await exported("research"),
            ["models", "artifacts"].map(
                (n) => `urn:pulumi:research::cross-account-models::${ENVIRONMENT.research.resources.find((r) => r.name === n)!.type}::${n}`,
            ),
        );
    });

    it("a promotion's or rollout's stack update is gated the same way: refused after its preview, no update sent", async () => {
        cli.setScenario({
            research: {
                ...ENVIRONMENT.research,
                policy: [{ policyName: "kms-key-rotation", enforcementLevel: "mandatory", message: "rotation off", resource: "models" }],
            },
        });
        const stacks = automationStacks({
            projectDir: cli.checkout("b"),
            backendUrl: cli.backendUrl,
            policyPacks: [PACK],
            policyPackConfigs: [],
            onProgress: () => undefined,
        });
        await assert.rejects(
            stacks.up("research"),
            /research: refused: 1 mandatory policy violation.*kms-key-rotation \(models\): rotation off/,
        );
        assert.deepEqual(
            cli.commands().filter((c) => /^(preview|up) /.test(c)),
            ["preview research +pack"],
        );
    });

    // pkg/resource/deploy/step.go deleteProtectedError; pkg/cmd/pulumi/operations/destroy.go --exclude-protected.
    it("destroys with --exclude-protected, keeping the protected resources, where a plain destroy fails", async () => {
        await workspace.run("up", "research", () => undefined);
        await assert.rejects(
            workspace.run("destroy", "research", () => undefined),
            /cannot be deleted\s+because it is protected/,
        );

        const result = await orchestrate({ command: "destroy", graph: researchOnly, feedback: new Map(), workspace });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        assert.ok(cli.commands().includes("destroy research --skip-preview --exclude-protected"), cli.commands().join("\n"));
        assert.deepEqual(
            result.outcomes[0].preview!.keptProtected!.map((u) => u.split("::").pop()),
            ["models", "artifacts"],
        );
        assert.deepEqual((await exported("research"))!.length, 2);
    });

    it("destroys protected resources only with includeProtected, unprotecting them first", async () => {
        const twoStacks = buildGraph(
            ["research", "dev"],
            new Map([
                ["research", []],
                ["dev", ["research"]],
            ]),
        );
        await workspace.run("up", "research", () => undefined);
        await workspace.run("up", "dev", () => undefined);
        const result = await orchestrate({ command: "destroy", graph: twoStacks, feedback: new Map(), workspace, includeProtected: true });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        const commands = cli.commands();
        assert.ok(commands.indexOf("state unprotect research") < commands.indexOf("destroy research --skip-preview"), commands.join("\n"));
        assert.ok(!commands.includes("state unprotect dev"), "dev has nothing protected");
        assert.deepEqual(await exported("research"), []);
    });
});
