/** The offline environment run: stack order from declared references, and convergence of feedback references. */
import { strict as assert } from "assert";
import { buildGraph } from "../../ops/stacks/graph";
import { SimulatedWorkspace, runEnvironment } from "../../proof/runtime/runEnvironment";
import { orchestrate } from "../../ops/stacks/runner";
import { readStackConfig } from "../../ops/project";
import { runStack, StackRun } from "../../proof/runtime/runStack";
import { DEV, PROD, policyIn, resource, resourcesOf, shippedEnvironment, withConfig } from "../helpers";

describe("stack graph", () => {
    it("orders stacks by reference into levels of independent stacks", () => {
        const graph = buildGraph(
            ["prod", "research", "dev", "org"],
            new Map([
                ["dev", ["organization/cross-account-models/research"]],
                ["prod", ["research", "outside-the-list"]],
                ["research", ["org"]],
            ]),
        );
        assert.deepEqual(graph.levels, [["org"], ["research"], ["prod", "dev"]]);
    });

    it("names the stacks of a reference cycle", () => {
        assert.throws(
            () =>
                buildGraph(
                    ["a", "b", "c"],
                    new Map([
                        ["a", ["b"]],
                        ["b", ["a"]],
                    ]),
                ),
            /a, b reference each other in a cycle/,
        );
    });
});

/** The research stack file with its perimeter changed. */
const researchWith = (perimeter: object) => withConfig(readStackConfig("research"), { "cross-account-models:perimeter": perimeter });
const bucketStatements = (run: StackRun) =>
    policyIn(resource(run, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy")).Statement;

describe("environment run (offline)", () => {
    it("by endpoint owner (default): research references no other stack and runs once, before the hosting stacks", async () => {
        const env = await shippedEnvironment();
        assert.deepEqual(env.references.get("dev"), { upstream: ["research"], feedback: [] });
        assert.deepEqual(env.references.get("research"), { upstream: [], feedback: [] });
        // Each stack deploys through its account's deployment role: the bootstrap stacks come first.
        assert.deepEqual(env.graph.levels, [["bootstrap-research", "bootstrap-dev", "bootstrap-prod"], ["research"], ["dev", "prod"]]);
        assert.deepEqual(env.sequence, ["bootstrap-research", "bootstrap-dev", "bootstrap-prod", "research", "dev", "prod"]);
        assert.equal(env.convergencePasses, 0);
    });

    // On a fresh backend no other stack exists; the engine fails a reference to one ("unknown stack",
    // pulumi/pulumi pkg/backend/backend.go GetStackOutputs), which the simulation does too.
    it("by endpoint owner, research deploys alone on a fresh backend, its perimeter complete", async () => {
        const env = await runEnvironment(["research"]);
        assert.deepEqual([...env.failures.keys()], []);
        const research = env.runs.get("research")!;
        assert.deepEqual(resourcesOf(research, "pulumi:pulumi:StackReference"), []);
        const deny = bucketStatements(research).find((s) => s.Sid === "DenyOutsideVpcEndpointBedrockCMIExecutionRole")!;
        assert.deepEqual(deny.Condition!.StringNotEquals, { "aws:VpceAccount": "${aws:PrincipalAccount}" });
    });

    it("by endpoint ID: research reads every consumer back, is re-applied once, and pins each role to its endpoint", async () => {
        const env = await runEnvironment(["research", "dev", "prod"], { research: researchWith({ mode: "endpoint-id" }) });
        // One feedback reference per consumer stack, whatever reads it back (artifacts and Rekognition).
        assert.deepEqual(env.references.get("research"), { upstream: [], feedback: ["dev", "prod"] });
        // research, the hosting stacks, research again with their endpoints; its exports do not change,
        // so the hosting stacks are not re-applied.
        assert.deepEqual(env.sequence, ["bootstrap-research", "bootstrap-dev", "bootstrap-prod", "research", "dev", "prod", "research"]);
        assert.equal(env.convergencePasses, 1);
        const statement = bucketStatements(env.runs.get("research")!).find(
            (s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${DEV}`,
        )!;
        assert.deepEqual(statement.Condition!.StringNotEquals["aws:SourceVpce"], [env.runs.get("dev")!.outputs.s3EndpointId]);
        const others = bucketStatements(env.runs.get("research")!).find((s) => s.Sid === "DenyOtherAccountsOutsideDesignatedEndpoints")!;
        assert.equal((others.Condition!.StringNotEqualsIfExists["aws:SourceVpce"] as string[]).length, 2);
    });

    it("by endpoint ID, research cannot run before the consumer stacks exist, and fails closed before they are deployed", async () => {
        const pinned = researchWith({ mode: "endpoint-id" });
        const alone = await runEnvironment(["research"], { research: pinned });
        assert.match(alone.failures.get("research")!.message, /unknown stack "organization\/cross-account-models\/dev"/);
        // Created but never deployed: no outputs, so no endpoint yet, and the roles are denied everything.
        const created = new Set(["dev", "prod"].map((s) => `organization/cross-account-models/${s}`));
        const first = await runStack("research", { config: pinned, createdStacks: created });
        // Both roles have the same (empty) perimeter yet, so one statement denies both.
        const statement = bucketStatements(first).find((s) => s.Sid === "DenyOutsideVpcEndpointBedrockCMIExecutionRole")!;
        assert.equal(statement.Effect, "Deny");
        assert.equal(statement.Condition!.StringNotEquals, undefined);
    });

    it("pins only the stacks named in pinnedStacks, reading back only those", async () => {
        const env = await runEnvironment(["research", "dev", "prod"], { research: researchWith({ pinnedStacks: ["prod"] }) });
        assert.deepEqual(env.references.get("research"), { upstream: [], feedback: ["prod"] });
        const statements = bucketStatements(env.runs.get("research")!);
        assert.deepEqual(
            statements.find((s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${PROD}`)!.Condition!.StringNotEquals[
                "aws:SourceVpce"
            ],
            [env.runs.get("prod")!.outputs.s3EndpointId],
        );
        assert.deepEqual(
            statements.find((s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${DEV}`)!.Condition!.StringNotEquals,
            { "aws:VpceAccount": "${aws:PrincipalAccount}" },
        );
    });

    it("skips stacks whose upstream failed and reports the failure", async () => {
        const research = withConfig(readStackConfig("research"), { "aws:allowedAccountIds": ["bad"] });
        const env = await runEnvironment(["research", "dev", "prod"], { research });
        assert.match(env.failures.get("research")!.message, /aws:allowedAccountIds\[0\]/);
        assert.deepEqual([...env.skipped.keys()].sort(), ["dev", "prod"]);
        assert.match(env.skipped.get("dev")!, /research did not succeed/);
    });
});

// pulumi/pulumi pkg/resource/deploy/step.go (deleteProtectedError) and
// pkg/cmd/pulumi/operations/destroy.go (--exclude-protected keeps protected resources with what
// they depend on): the offline workspace refuses and keeps exactly as the engine does.
describe("destroy (offline)", () => {
    it("fails on the research stack's protected bucket and key unless they are excluded, then keeps them with what they depend on", async () => {
        const workspace = new SimulatedWorkspace((stack) => readStackConfig(stack));
        await workspace.ensureStacks(["research"]);
        await workspace.run("up", "research");
        const before = workspace.state.get("research")!;
        const isProtected = before.filter((r) => r.protect).map((r) => r.type);
        assert.ok(isProtected.includes("aws:s3/bucket:Bucket") && isProtected.includes("aws:kms/key:Key"), isProtected.join(", "));

        await assert.rejects(
            workspace.run("destroy", "research"),
            /cannot be deleted\nbecause it is protected.*\n`pulumi state unprotect 'urn:pulumi:research::/,
        );
        assert.equal(workspace.state.get("research")!.length, before.length, "a refused destroy deletes nothing");

        const result = await orchestrate({
            command: "destroy",
            graph: buildGraph(["research"], new Map()),
            feedback: new Map(),
            workspace,
        });
        assert.ok(result.ok, JSON.stringify(result.outcomes));
        const kept = workspace.state.get("research")!;
        assert.ok(
            kept.length < before.length && kept.some((r) => r.type === "pulumi:pulumi:Stack"),
            "the stack resource is a parent of what is kept",
        );
        assert.ok(
            !kept.some((r) => r.type === "aws:iam/role:Role" && !r.protect && !kept.some((k) => k.dependencies.includes(r.urn))),
            "an unprotected role nothing kept depends on was deleted",
        );
        assert.deepEqual(
            result.outcomes[0].preview!.keptProtected,
            before.filter((r) => r.protect).map((r) => r.urn),
        );
    });
});
