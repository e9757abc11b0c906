/** The offline environment run: stack order from declared references, and convergence of feedback references. */
import { strict as assert } from "assert";
import { buildGraph } from "../../lib/orchestrate/graph";
import { runEnvironment } from "../../sim/runEnvironment";
import { readStackConfig } from "../../sim/stackFiles";
import { runStack, StackRun } from "../../sim/runStack";
import { DEV, PROD, policyIn, resource, resourcesOf, withConfig } from "../helpers";

describe("stack graph", () => {
    it("orders stacks by reference into levels of independent stacks", () => {
        const graph = buildGraph(["prod", "research", "dev", "org"], new Map([
            ["dev", ["organization/cross-account-models/research"]],
            ["prod", ["research", "outside-the-list"]],
            ["research", ["org"]],
        ]));
        assert.deepEqual(graph.levels, [["org"], ["research"], ["prod", "dev"]]);
    });

    it("names the stacks of a reference cycle", () => {
        assert.throws(() => buildGraph(["a", "b", "c"], new Map([["a", ["b"]], ["b", ["a"]]])), /a, b reference each other in a cycle/);
    });
});

/** The research stack file with its perimeter changed. */
const researchWith = (perimeter: object) => withConfig(readStackConfig("research"), { "cross-account-models:perimeter": perimeter });
const bucketStatements = (run: StackRun) => policyIn(resource(run, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy")).Statement;

describe("environment run (offline)", () => {
    it("by endpoint owner (default): research references no other stack and runs once, before the hosting stacks", async () => {
        const env = await runEnvironment(["research", "dev", "prod"]);
        assert.deepEqual(env.references.get("dev"), { upstream: ["research"], feedback: [] });
        assert.deepEqual(env.references.get("research"), { upstream: [], feedback: [] });
        assert.deepEqual(env.graph.levels, [["research"], ["dev", "prod"]]);
        assert.deepEqual(env.sequence, ["research", "dev", "prod"]);
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
        assert.deepEqual(env.sequence, ["research", "dev", "prod", "research"]);
        assert.equal(env.convergencePasses, 1);
        const statement = bucketStatements(env.runs.get("research")!).find((s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${DEV}`)!;
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
        assert.deepEqual(statements.find((s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${PROD}`)!.Condition!.StringNotEquals["aws:SourceVpce"], [env.runs.get("prod")!.outputs.s3EndpointId]);
        assert.deepEqual(statements.find((s) => s.Sid === `DenyOutsideVpcEndpointBedrockCMIExecutionRole${DEV}`)!.Condition!.StringNotEquals, { "aws:VpceAccount": "${aws:PrincipalAccount}" });
    });

    it("skips stacks whose upstream failed and reports the failure", async () => {
        const research = withConfig(readStackConfig("research"), { "aws:allowedAccountIds": ["bad"] });
        const env = await runEnvironment(["research", "dev", "prod"], { research });
        assert.match(env.failures.get("research")!.message, /aws:allowedAccountIds\[0\]/);
        assert.deepEqual([...env.skipped.keys()].sort(), ["dev", "prod"]);
        assert.match(env.skipped.get("dev")!, /research did not succeed/);
    });
});
