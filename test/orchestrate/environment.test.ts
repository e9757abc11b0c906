/** The offline environment run: stack order from declared references, and convergence of feedback references. */
import { strict as assert } from "assert";
import { buildGraph } from "../../lib/orchestrate/graph";
import { runEnvironment } from "../../sim/runEnvironment";
import { readStackConfig } from "../../sim/stackFiles";
import { DEV, PROD, policyIn, resource, withConfig } from "../helpers";

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

describe("environment run (offline)", () => {
    it("discovers references from the programs, runs in order and re-applies research with the endpoint IDs", async () => {
        const env = await runEnvironment(["research", "dev", "prod"]);
        assert.deepEqual(env.references.get("dev"), { upstream: ["research"], feedback: [] });
        // One feedback reference per consumer stack, whatever reads it back (artifacts and Rekognition).
        assert.deepEqual(env.references.get("research"), { upstream: [], feedback: ["dev", "prod"] });
        assert.deepEqual(env.graph.levels, [["research"], ["dev", "prod"]]);
        // research, the hosting stacks, research again with their endpoints; its exports do not change,
        // so the hosting stacks are not re-applied.
        assert.deepEqual(env.sequence, ["research", "dev", "prod", "research"]);
        assert.equal(env.convergencePasses, 1);
        const statement = policyIn(resource(env.runs.get("research")!, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy")).Statement
            .find((s) => s.Sid === `DenyOutsideVpcEndpoint${DEV}`)!;
        assert.deepEqual(statement.Condition!.StringNotEquals["aws:sourceVpce"], [env.runs.get("dev")!.outputs.s3EndpointId]);
    });

    it("fails closed before the hosting stack exists: the role is denied everything", async () => {
        const env = await runEnvironment(["research"]);
        const statement = policyIn(resource(env.runs.get("research")!, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy")).Statement
            .find((s) => s.Sid === `DenyOutsideVpcEndpoint${PROD}`)!;
        assert.equal(statement.Effect, "Deny");
        assert.equal(statement.Condition!.StringNotEquals, undefined);
    });

    it("skips stacks whose upstream failed and reports the failure", async () => {
        const research = withConfig(readStackConfig("research"), { "aws:allowedAccountIds": ["bad"] });
        const env = await runEnvironment(["research", "dev", "prod"], { research });
        assert.match(env.failures.get("research")!.message, /aws:allowedAccountIds\[0\]/);
        assert.deepEqual([...env.skipped.keys()].sort(), ["dev", "prod"]);
        assert.match(env.skipped.get("dev")!, /research did not succeed/);
    });
});
