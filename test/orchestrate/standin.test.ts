/**
 * The real Automation API (`LocalWorkspace`) driven by the orchestrator against the stand-in
 * `pulumi` on PATH (test/standin): what is sent to the CLI, in which order.
 */
import { strict as assert } from "assert";
import { AutomationWorkspace } from "../../lib/orchestrate/automation";
import { buildGraph } from "../../lib/orchestrate/graph";
import { orchestrate } from "../../lib/orchestrate/runner";
import { StandIn, standIn } from "../standin/harness";

const STACKS = ["research", "dev", "prod"];
const graph = buildGraph(STACKS, new Map([["research", []], ["dev", ["research"]], ["prod", ["research"]]]));

describe("the orchestrator over the Automation API (stand-in pulumi CLI)", function () {
    this.timeout(60000);
    let cli: StandIn;
    beforeEach(() => {
        cli = standIn({
            research: { resources: [{ name: "artifacts", type: "aws:s3/bucketV2:BucketV2", protect: true }], outputs: { bucket: "b" } },
            dev: { resources: [{ name: "role", type: "aws:iam/role:Role" }] },
            prod: { resources: [{ name: "role", type: "aws:iam/role:Role" }] },
        });
    });
    afterEach(() => cli.restore());

    // pkg/backend/backend.go GetStackOutputs: a StackReference to a stack never created fails, so
    // every stack must exist before the first preview (sdk/nodejs/automation/stack.ts createOrSelect).
    it("creates every stack of the environment before the first preview", async () => {
        const workspace = new AutomationWorkspace({ projectDir: cli.checkout("a"), backendUrl: cli.backendUrl, policyPacks: [], policyPackConfigs: [] });
        const result = await orchestrate({ command: "preview", graph, feedback: new Map(), workspace });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        const commands = cli.commands();
        const firstPreview = commands.findIndex((c) => c.startsWith("preview"));
        for (const stack of STACKS) assert.ok(commands.indexOf(`stack init ${stack}`) >= 0 && commands.indexOf(`stack init ${stack}`) < firstPreview, commands.join("\n"));
    });
});
