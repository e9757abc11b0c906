/** Staged SageMaker rollout (SageMaker hosting) against a scripted driver: order, approval gate, stop on failure, resume, rollback. */
import { strict as assert } from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import {
    HISTORY_KEY,
    HISTORY_LIMIT,
    PackageHistory,
    ROLLOUT_KEY,
    RolloutDriver,
    RolloutState,
    RolloutStopped,
    rollback,
    rollout,
} from "../../lib/orchestrate/rollout";
import { memoryStateStore } from "../../lib/orchestrate/stateStore";
import { invokeEndpointSmokeTest } from "../../lib/orchestrate/rolloutDriver";
import { smokeTestChoice } from "../../lib/orchestrate/smoke";
import { UsageError } from "../../lib/cli/errors";
import { readStackConfig } from "../../lib/project";
import { withConfig } from "../helpers";

const pkg = (n: number) => `arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/${n}`;
const KEY = "cross-account-models:sagemaker";
const prodStack = { stack: "prod", researchStack: "research" };
const request = { modelPackageArn: pkg(4), researchStack: "research", staging: "dev", production: "prod", smokeTest: "run" as const };

/** A stack file's `sagemaker` setting, which the scripted configs start from. */
const shipped = (stack: string) => JSON.parse(readStackConfig(stack)[KEY]);

function scriptedDriver(
    options: { approve?: boolean; failUp?: (stack: string) => boolean; failSmoke?: boolean; smokeSkipped?: boolean } = {},
) {
    const config: Record<string, Record<string, any>> = {
        research: { [KEY]: { ...shipped("research"), approvedModelPackages: [pkg(3), pkg(4)] } },
        dev: { [KEY]: { ...shipped("dev"), modelPackageArn: pkg(3) } },
        prod: { [KEY]: { ...shipped("prod"), modelPackageArn: pkg(3) } },
    };
    const calls: string[] = [];
    const store = memoryStateStore();
    const driver: RolloutDriver = {
        getConfig: async (stack) => withConfig(readStackConfig(stack), config[stack]),
        setConfigPath: async (stack, path, value) => {
            calls.push(`set ${stack} ${value.split("/").pop()}`);
            config[stack][KEY].modelPackageArn = value;
        },
        up: async (stack) => {
            if (options.failUp?.(stack)) throw new Error(`update of ${stack} failed`);
            calls.push(`up ${stack}`);
            return { changes: { update: 3 }, outputs: {} };
        },
        smokeTest: async (stack) => {
            calls.push(`smoke ${stack}`);
            if (options.failSmoke) throw new Error("smoke test of cross-account-models-dev failed: 500");
            if (options.smokeSkipped) return { skipped: true, detail: "no --smoke-payload given" };
            return { skipped: false, detail: "answered 7.8" };
        },
        approve: async () => {
            calls.push("approval asked");
            return options.approve ?? true;
        },
        state: store,
        log: () => undefined,
    };
    /** The packages a stack served, as its history in the store records them. */
    const history = async (stack: string) => (await store.load<PackageHistory>(stack, HISTORY_KEY))?.served;
    return { driver, calls, config, history, state: () => store.load<RolloutState>("research", ROLLOUT_KEY) };
}

describe("staged rollout", () => {
    it("deploys to staging, smoke-tests it, asks for approval, then deploys to production", async () => {
        const { driver, calls, config, history } = scriptedDriver();
        const state = await rollout(request, driver);
        assert.deepEqual(state.done, ["deploy-staging", "smoke-test-staging", "approval", "deploy-production"]);
        assert.deepEqual(calls, ["set dev 4", "up dev", "smoke dev", "approval asked", "set prod 4", "up prod"]);
        assert.equal(config.prod[KEY].modelPackageArn, pkg(4));
        assert.deepEqual(await history("prod"), [pkg(3), pkg(4)]);
    });

    it("stops before production without approval, and resumes at the gate", async () => {
        const waiting = scriptedDriver({ approve: false });
        await assert.rejects(
            rollout(request, waiting.driver),
            (err: Error) => err instanceof RolloutStopped && /waiting for approval before prod/.test(err.message),
        );
        assert.ok(!waiting.calls.includes("up prod"));
        assert.deepEqual((await waiting.state())!.done, ["deploy-staging", "smoke-test-staging"]);
        waiting.calls.length = 0;
        const approved = { ...waiting.driver, approve: async () => true };
        await rollout(request, approved);
        assert.deepEqual(waiting.calls, ["set prod 4", "up prod"], "staging was not redeployed");
    });

    it("stops at a failed stage: a failed smoke test never reaches production", async () => {
        const { driver, calls } = scriptedDriver({ failSmoke: true });
        await assert.rejects(rollout(request, driver), /smoke test .* failed/);
        assert.ok(!calls.some((c) => c.includes("prod")));
        const failedStaging = scriptedDriver({ failUp: (s) => s === "dev" });
        await assert.rejects(rollout(request, failedStaging.driver), /update of dev failed/);
        assert.ok(!failedStaging.calls.some((c) => c.startsWith("smoke") || c.includes("prod")));
    });

    it("refuses an unapproved package before changing anything", async () => {
        const { driver, calls } = scriptedDriver();
        await assert.rejects(
            rollout({ ...request, modelPackageArn: pkg(5) }, driver),
            /is not approved in cross-account-models:sagemaker.approvedModelPackages of Pulumi.research.yaml/,
        );
        assert.deepEqual(calls, []);
    });

    it("rolls a stack back to the package it served before, in one command", async () => {
        const { driver, calls, config, history } = scriptedDriver();
        await rollout(request, driver);
        calls.length = 0;
        assert.equal(await rollback(prodStack, driver), pkg(3));
        assert.deepEqual(calls, ["set prod 3", "up prod"]);
        assert.equal(config.prod[KEY].modelPackageArn, pkg(3));
        assert.deepEqual(await history("prod"), [pkg(3)]);
        await assert.rejects(rollback(prodStack, driver), /no earlier package/);
    });

    it("rolls back to what the stack served after a failed first rollout, and a rerun keeps that package in the history", async () => {
        // Before: the failed update left the history empty, so rollback found "no earlier package",
        // and a rerun that succeeded recorded only the new package.
        let failProd = true;
        const failed = scriptedDriver({ failUp: (s) => s === "prod" && failProd });
        await assert.rejects(rollout(request, failed.driver), /update of prod failed/);
        failProd = false;
        assert.deepEqual(await failed.history("prod"), [pkg(3)], "only what prod served before; the failed package is not recorded");
        failed.calls.length = 0;
        assert.equal(await rollback(prodStack, failed.driver), pkg(3));
        assert.deepEqual(failed.calls, ["set prod 3", "up prod"]);

        failProd = true;
        const rerun = scriptedDriver({ failUp: (s) => s === "prod" && failProd });
        await assert.rejects(rollout(request, rerun.driver), /update of prod failed/);
        failProd = false;
        await rollout(request, rerun.driver);
        assert.deepEqual(await rerun.history("prod"), [pkg(3), pkg(4)]);
        assert.equal(await rollback(prodStack, rerun.driver), pkg(3));
    });

    it("after a failed rollout of 5 over history [3, 4] serving 4, rolls back to 4, not 3", async () => {
        const { driver, calls, config, history } = scriptedDriver();
        await rollout(request, driver);
        config.research[KEY].approvedModelPackages.push(pkg(5));
        const failing = {
            ...driver,
            up: async (stack: string) => {
                if (stack === "prod") throw new Error("update of prod failed");
                return driver.up(stack);
            },
        };
        await assert.rejects(rollout({ ...request, modelPackageArn: pkg(5) }, failing), /update of prod failed/);
        assert.deepEqual(await history("prod"), [pkg(3), pkg(4)], "5 was never served by prod");
        assert.equal(config.prod[KEY].modelPackageArn, pkg(5), "the failed update left the config at 5");
        calls.length = 0;
        assert.equal(await rollback(prodStack, driver), pkg(4));
        assert.deepEqual(calls, ["set prod 4", "up prod"]);
        assert.deepEqual(await history("prod"), [pkg(3), pkg(4)]);
        assert.equal(await rollback(prodStack, driver), pkg(3), "a second rollback steps back once more");
        assert.deepEqual(await history("prod"), [pkg(3)]);
    });

    it(`keeps the last ${HISTORY_LIMIT} packages a stack served`, async () => {
        const { driver, config, history } = scriptedDriver();
        for (let n = 4; n <= 15; n++) {
            config.research[KEY].approvedModelPackages.push(pkg(n));
            await rollout({ ...request, modelPackageArn: pkg(n) }, driver);
        }
        assert.deepEqual(await history("prod"), [6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(pkg));
    });

    it("keeps the history when the rollback's own update fails", async () => {
        const { driver, history } = scriptedDriver();
        await rollout(request, driver);
        await assert.rejects(
            rollback(prodStack, {
                ...driver,
                up: async () => {
                    throw new Error("update of prod failed");
                },
            }),
            /update of prod failed/,
        );
        assert.deepEqual(await history("prod"), [pkg(3), pkg(4)]);
    });

    describe("smoke test before production", () => {
        it("refuses a rollout with neither --smoke-payload nor --skip-smoke-test before changing anything, --approve or not", async () => {
            const { driver, calls } = scriptedDriver({ approve: true });
            await assert.rejects(
                rollout({ ...request, smokeTest: "none" }, driver),
                (err: Error) =>
                    err instanceof UsageError && /needs a smoke test: give --smoke-payload <file>, or --skip-smoke-test/.test(err.message),
            );
            assert.deepEqual(calls, []);
        });

        it("a smoke test that could not run fails the stage instead of counting as passed", async () => {
            const { driver, calls, state } = scriptedDriver({ smokeSkipped: true });
            await assert.rejects(rollout(request, driver), /smoke test of dev did not run: no --smoke-payload given/);
            assert.ok(!calls.some((c) => c.includes("prod") || c === "approval asked"));
            assert.deepEqual((await state())!.done, ["deploy-staging"]);
        });

        it("--skip-smoke-test goes on untested, recorded in the state and shown in the approval question", async () => {
            const { driver, calls } = scriptedDriver();
            const questions: string[] = [];
            const saved: RolloutState[] = [];
            const finished = await rollout(
                { ...request, smokeTest: "skip" },
                {
                    ...driver,
                    approve: async (q) => {
                        questions.push(q);
                        return true;
                    },
                    state: {
                        ...driver.state,
                        save: async (stack, key, s) => {
                            if (key === ROLLOUT_KEY) saved.push(s as RolloutState);
                            return driver.state.save(stack, key, s);
                        },
                    },
                },
            );
            assert.ok(!calls.some((c) => c.startsWith("smoke")), "the endpoint was not called");
            assert.match(finished.smokeTest!, /^skipped \(--skip-smoke-test\): dev goes on untested/);
            assert.match(saved.find((s) => s.done.includes("smoke-test-staging"))!.smokeTest!, /skipped \(--skip-smoke-test\)/);
            assert.match(questions[0], /\(smoke test skipped \(--skip-smoke-test\)/);
        });

        it("a passed smoke test is recorded, and a resumed rollout approves without repeating the choice", async () => {
            const waiting = scriptedDriver({ approve: false });
            await assert.rejects(rollout(request, waiting.driver), RolloutStopped);
            assert.equal((await waiting.state())!.smokeTest, "passed: answered 7.8");
            const finished = await rollout({ ...request, smokeTest: "none" }, { ...waiting.driver, approve: async () => true });
            assert.equal(finished.smokeTest, "passed: answered 7.8");
        });

        it("refuses both a payload and --skip-smoke-test on one command line", () => {
            assert.throws(
                () => smokeTestChoice("payload.csv", true, "--smoke-payload"),
                /--smoke-payload and --skip-smoke-test contradict each other/,
            );
            assert.equal(smokeTestChoice("payload.csv", false, "--smoke-payload"), "run");
            assert.equal(smokeTestChoice(undefined, true, "--smoke-payload"), "skip");
            assert.equal(smokeTestChoice(undefined, false, "--smoke-payload"), "none");
        });
    });

    describe("smoke test against SageMaker Runtime", () => {
        const runtime = mockClient(SageMakerRuntimeClient);
        beforeEach(() => runtime.reset());

        it("invokes the endpoint with the payload, or says why it was skipped", async () => {
            runtime.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode("9.31") as any });
            const result = await invokeEndpointSmokeTest("us-east-1", "cross-account-models-dev", {
                body: new TextEncoder().encode("M,0.455,0.365"),
                contentType: "text/csv",
            });
            assert.deepEqual(result, { skipped: false, detail: "cross-account-models-dev answered 9.31" });
            assert.deepEqual(runtime.commandCalls(InvokeEndpointCommand)[0].args[0].input.EndpointName, "cross-account-models-dev");
            assert.equal((await invokeEndpointSmokeTest("us-east-1", "cross-account-models-dev")).skipped, true);
        });

        it("fails the stage when the endpoint errs", async () => {
            runtime.on(InvokeEndpointCommand).rejects(new Error("ModelError: 500"));
            await assert.rejects(
                invokeEndpointSmokeTest("us-east-1", "cross-account-models-dev", { body: new Uint8Array(1), contentType: "text/csv" }),
                /failed: ModelError: 500; the rollout stops before production/,
            );
        });
    });
});
