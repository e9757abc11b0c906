/**
 * The plan's worker processes (proof/runtime/workerPool.ts) give what one process gives: the same
 * runs, in the same order, the same failures, and the same access decisions.
 */
import { strict as assert } from "assert";
import { EnvironmentRun, runEnvironment } from "../../proof/runtime/runEnvironment";
import { proveEnvironment } from "../../proof/access/prove";
import { forgetDecisions } from "../../proof/access/simulator";
import { readStackConfig } from "../../ops/project";
import { shippedEnvironment, withConfig } from "../helpers";

const outcome = (env: EnvironmentRun) => ({
    runs: [...env.runs],
    sequence: env.sequence,
    passes: env.convergencePasses,
    failures: [...env.failures].map(([stack, err]) => [stack, err.message]),
    skipped: [...env.skipped],
    graph: env.graph,
});

describe("plan in worker processes", function () {
    this.timeout(180_000);

    it("runs the shipped stacks as one process does: the same registrations, order, outputs and convergence", async () => {
        const parallel = await runEnvironment(["research", "dev", "prod"], {}, { workers: true });
        assert.deepEqual(outcome(parallel), outcome(await shippedEnvironment()));
    });

    it("reports a stack whose program fails as one process does", async () => {
        const configs = { dev: withConfig(readStackConfig("dev"), { "cross-account-models:sagemaker": { instanceType: "ml.m5.large" } }) };
        const serial = await runEnvironment(["research", "dev"], configs);
        assert.equal(serial.failures.size, 1, "the broken configuration fails dev");
        assert.deepEqual(outcome(await runEnvironment(["research", "dev"], configs, { workers: true })), outcome(serial));
    });

    it("decides the access paths as one process does", async () => {
        const runs = [...(await shippedEnvironment()).runs.values()];
        forgetDecisions();
        const serial = await proveEnvironment(runs);
        forgetDecisions();
        assert.deepEqual(await proveEnvironment(runs, [], { workers: true }), serial);
    });
});
