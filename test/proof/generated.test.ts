/** The generated environment the benchmark plans is itself valid, so the figures measure a passing plan. */
import { strict as assert } from "assert";
import { generatedEnvironment } from "../../proof/runtime/generatedEnvironment";
import { plan } from "../../proof/plan/plan";
import { sharedPack } from "../helpers";

describe("generated environment for the benchmark", function () {
    this.timeout(120_000);
    it("plans without problems for two hosting accounts, with their paths", async () => {
        const env = generatedEnvironment(2);
        const result = await plan({ stacks: env.stacks, configs: env.configs, policyConfig: env.policyConfig, pack: await sharedPack() });
        assert.deepEqual(result.problems, []);
        assert.deepEqual(env.stacks, ["research", "host01", "host02"]);
        assert.deepEqual([...new Set(result.access.map((a) => a.path.stack))].sort(), ["host01", "host02"]);
    });
});
