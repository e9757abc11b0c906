/**
 * What `destroy` says: the order it destroys in (dependents first), and what this destroy did.
 * The Automation API's destroy() reports the stack's last history entry as its summary
 * (sdk/nodejs/automation/stack.ts destroy(), this.info()); with nothing but protected resources
 * left, the CLI returns before the engine runs, with no history entry and no engine event
 * (pkg/cmd/pulumi/operations/destroy.go, after getProtectedExcludes), so that summary was the
 * previous destroy's. Checked with CLI 3.212.0: a second `destroy --exclude-protected` sent 0 events
 * and destroy() returned the first one's {"delete":2,"same":2}.
 */
import { strict as assert } from "assert";
import { runStacks } from "../../ops/env/stacks";
import { AutomationWorkspace } from "../../ops/stacks/automation";
import { buildGraph } from "../../ops/stacks/graph";
import { ProgressBoard } from "../../ops/stacks/progress";
import { orchestrate, orderLine } from "../../ops/stacks/runner";
import { eachTestStandIn } from "../standin/harness";

const RESEARCH = {
    resources: [
        { name: "models", type: "aws:kms/key:Key", protect: true },
        { name: "artifacts", type: "aws:s3/bucketV2:BucketV2", protect: true, dependsOn: ["models"] },
        { name: "importer", type: "aws:iam/role:Role" },
        { name: "trainer", type: "aws:iam/role:Role" },
    ],
};
const researchOnly = buildGraph(["research"], new Map([["research", []]]));

describe("destroy", function () {
    this.timeout(60_000);

    it("prints the order it destroys in: dependents first", () => {
        const graph = buildGraph(
            ["research", "dev", "prod"],
            new Map([
                ["research", []],
                ["dev", ["research"]],
                ["prod", ["research"]],
            ]),
        );
        assert.equal(orderLine("up", graph), "order: research -> dev + prod");
        assert.equal(orderLine("destroy", graph), "order: dev + prod -> research");
    });

    describe("through the stand-in CLI", () => {
        const stand = eachTestStandIn({ research: RESEARCH, dev: { resources: [{ name: "role", type: "aws:iam/role:Role" }] } });

        it("reports what this destroy deleted, and nothing for one that found only protected resources", async () => {
            const workspace = new AutomationWorkspace({
                projectDir: stand().checkout("a"),
                backendUrl: stand().backendUrl,
                policyPacks: [],
                policyPackConfigs: [],
            });
            await workspace.run("up", "research", () => undefined);
            const destroy = async () => {
                const board = new ProgressBoard(() => undefined);
                const result = await orchestrate({
                    command: "destroy",
                    graph: researchOnly,
                    feedback: new Map(),
                    workspace,
                    onProgress: board.onProgress,
                });
                assert.ok(result.ok, JSON.stringify(result.outcomes));
                return { changes: result.outcomes[0].result!.changes, row: board.summary(result).split("\n")[1] };
            };
            const first = await destroy();
            assert.equal(first.changes.delete, 2);
            assert.match(first.row, /delete 2/);

            const second = await destroy();
            assert.deepEqual(second.changes, {});
            assert.doesNotMatch(second.row, /delete/);
            assert.ok(
                stand()
                    .commands()
                    .filter((c) => c === "destroy research --skip-preview --exclude-protected").length === 2,
                stand().commands().join("\n"),
            );
        });

        it("`npm run env -- destroy` prints its order as it runs it", async () => {
            const lines: string[] = [];
            const log = console.log;
            console.log = (line: string) => lines.push(line);
            try {
                const code = await runStacks("destroy", ["research", "dev"], { yes: true }, stand().backendUrl, async () => true);
                assert.equal(code, 0, lines.join("\n"));
            } finally {
                console.log = log;
            }
            assert.ok(lines.includes("order: dev -> research"), lines.join("\n"));
            const destroys = stand()
                .commands()
                .filter((c) => /^destroy \w+ --skip-preview/.test(c));
            assert.deepEqual(
                destroys.map((c) => c.split(" ")[1]),
                ["dev", "research"],
            );
        });
    });
});
