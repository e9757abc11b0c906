/**
 * Staged SageMaker rollout (SageMaker hosting) against a scripted driver: order, approval gate, stop
 * on failure, resume, rollback; the model registry's approval through the SageMaker SDK, mocked
 * with aws-sdk-client-mock.
 */
import { strict as assert } from "assert";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import {
    DescribeModelPackageCommand,
    ModelApprovalStatus,
    ResourceNotFound,
    SageMakerClient,
    UpdateModelPackageCommand,
} from "@aws-sdk/client-sagemaker";
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
} from "../../ops/release/rollout";
import { memoryStateStore } from "../../ops/stacks/stateStore";
import { invokeEndpointSmokeTest, sagemakerRegistry } from "../../ops/release/rolloutDriver";
import { APPROVALS_KEY, ApprovalDecision, DecisionRequest, RegistryRefusal, decidePackage } from "../../ops/release/registryGate";
import { smokeTestChoice } from "../../ops/release/smoke";
import { UsageError, UserError } from "../../ops/cli/errors";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { ASSUMED_KEY_ID, fakeSts, withCallerCredentials } from "../support/fakeSts";

const pkg = (n: number) => `arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/${n}`;
const KEY = "cross-account-models:sagemaker";
const prodStack = { stack: "prod", researchStack: "research" };
const request = { modelPackageArn: pkg(4), researchStack: "research", staging: "dev", production: "prod", smokeTest: "run" as const };

/** The deployment role of the research account (Pulumi.research.yaml), which the registry calls run as. */
const RESEARCH_ROLE = "arn:aws:iam::111122223333:role/CrossAccountModelsDeployment-111122223333";
/** What approve-package writes: the registry's answer for an approved package. */
const APPROVED = {
    ModelApprovalStatus: ModelApprovalStatus.APPROVED,
    ApprovalDescription: "Approved by alice at 2025-06-01T09:00:00.000Z (npm run env -- approve-package)",
};
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** A stack file's `sagemaker` setting, which the scripted configs start from. */
const shipped = (stack: string) => JSON.parse(readStackConfig(stack)[KEY]);

/** A scripted driver that approves, recording each approval question and each saved rollout state. */
function recordingDriver() {
    const scripted = scriptedDriver();
    const questions: string[] = [];
    const saved: RolloutState[] = [];
    const driver: RolloutDriver = {
        ...scripted.driver,
        approve: async (q) => {
            questions.push(q);
            return true;
        },
        state: {
            ...scripted.driver.state,
            save: async (stack, key, s) => {
                if (key === ROLLOUT_KEY) saved.push(s as RolloutState);
                return scripted.driver.state.save(stack, key, s);
            },
        },
    };
    return { ...scripted, driver, questions, saved };
}

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
        registry: sagemakerRegistry(),
        state: store,
        log: () => undefined,
    };
    /** The packages a stack served, as its history in the store records them. */
    const history = async (stack: string) => (await store.load<PackageHistory>(stack, HISTORY_KEY))?.served;
    return { driver, calls, config, history, state: () => store.load<RolloutState>("research", ROLLOUT_KEY) };
}

describe("staged rollout", () => {
    /** The registry's SageMaker API: every package Approved unless a test says otherwise. */
    let sagemaker: AwsClientStub<SageMakerClient>;
    before(() => (sagemaker = mockClient(SageMakerClient)));
    beforeEach(() => {
        sagemaker.reset();
        sagemaker.on(DescribeModelPackageCommand).resolves(APPROVED);
    });
    after(() => sagemaker.restore());
    const registryAnswers = (modelPackageArn: string, status: string, description?: string) =>
        sagemaker
            .on(DescribeModelPackageCommand, { ModelPackageName: modelPackageArn })
            .resolves({ ModelApprovalStatus: status as ModelApprovalStatus, ApprovalDescription: description });

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

    describe("the model registry's approval as the gate", () => {
        const refusals = [
            [
                "PendingManualApproval",
                3,
                /approve it \(after reviewing it\): npm run env -- approve-package --package \S+\/4 --approver <name>/,
            ],
            [
                "Rejected",
                1,
                /roll out another approved package, or, if the rejection was a mistake, approve it again: npm run env -- approve-package/,
            ],
        ] as const;
        for (const [status, exitCode, how] of refusals) {
            it(`refuses a package ${status} in the registry before anything changes, naming it, its status and how to approve`, async () => {
                registryAnswers(pkg(4), status, status === "Rejected" ? "Rejected by bob: drift on the holdout set" : undefined);
                const { driver, calls, state, history } = scriptedDriver();
                await assert.rejects(rollout(request, driver), (err: Error) => {
                    assert.ok(err instanceof RegistryRefusal, String(err));
                    assert.equal(err.exitCode, exitCode);
                    assert.match(err.message, new RegExp(`^${escaped(pkg(4))} is ${status}`));
                    assert.match(err.message, new RegExp(`model registry of research \\(read as ${escaped(RESEARCH_ROLE)}\\)`));
                    assert.match(err.message, /only Approved packages are deployed: the rollout changed nothing/);
                    assert.match(err.message, how);
                    return true;
                });
                assert.deepEqual(calls, [], "no config edit, no update");
                assert.equal(await state(), undefined);
                assert.equal(await history("dev"), undefined, "not even a history seeded");
                assert.equal(sagemaker.commandCalls(DescribeModelPackageCommand)[0].args[0].input.ModelPackageName, pkg(4));
            });
        }

        it("goes on with an Approved package, reads it again before production, and records the approval in the rollout's state", async () => {
            const { driver, calls, questions, saved } = recordingDriver();
            const finished = await rollout(request, driver);
            assert.deepEqual(calls, ["set dev 4", "up dev", "smoke dev", "set prod 4", "up prod"]);
            assert.equal(sagemaker.commandCalls(DescribeModelPackageCommand).length, 2, "at the start and before production");
            assert.equal(finished.approval, APPROVED.ApprovalDescription);
            assert.equal(saved[0].approval, APPROVED.ApprovalDescription, "kept in the backend from the first step on");
            assert.match(questions[0], /; registry: Approved by alice at 2025-06-01T09:00:00.000Z/);
        });

        it("stops before production when the approval is revoked after staging, and refuses the resumed rollout", async () => {
            const { driver, calls, config, state } = scriptedDriver();
            const revoking = {
                ...driver,
                approve: async () => {
                    registryAnswers(pkg(4), "Rejected", "Rejected by bob");
                    return true;
                },
            };
            await assert.rejects(
                rollout(request, revoking),
                (err: Error) =>
                    err instanceof RegistryRefusal &&
                    /is Rejected \("Rejected by bob"\) .*: the rollout stops before prod; dev serves it: roll it back \(npm run env -- rollback dev\)/.test(
                        err.message,
                    ),
            );
            assert.deepEqual(calls, ["set dev 4", "up dev", "smoke dev"], "prod neither edited nor updated");
            assert.equal(config.prod[KEY].modelPackageArn, pkg(3));
            assert.deepEqual((await state())!.done, ["deploy-staging", "smoke-test-staging", "approval"]);
            calls.length = 0;
            await assert.rejects(
                rollout(request, driver),
                /is Rejected .*: the rollout stops \(done: deploy-staging, smoke-test-staging, approval\); to stop serving it, roll back/,
            );
            assert.deepEqual(calls, []);
        });

        it("rolls back only to a package still approved in the registry", async () => {
            const { driver, calls, config, history } = scriptedDriver();
            await rollout(request, driver);
            registryAnswers(pkg(3), "Rejected");
            calls.length = 0;
            await assert.rejects(
                rollback(prodStack, driver),
                (err: Error) =>
                    err instanceof RegistryRefusal &&
                    new RegExp(`^${escaped(pkg(3))} is Rejected .*the rollback of prod changed nothing`).test(err.message),
            );
            assert.deepEqual(calls, []);
            assert.equal(config.prod[KEY].modelPackageArn, pkg(4));
            assert.deepEqual(await history("prod"), [pkg(3), pkg(4)]);
        });

        it("names an unknown package, whether SageMaker answers ResourceNotFound or ValidationException", async () => {
            const answers = [
                new ResourceNotFound({ message: "Model package not found", $metadata: {} }),
                Object.assign(new Error(`ModelPackage ${pkg(4)} does not exist.`), { name: "ValidationException" }),
            ];
            for (const answer of answers) {
                sagemaker.on(DescribeModelPackageCommand).rejects(answer);
                const { driver, calls } = scriptedDriver();
                await assert.rejects(
                    rollout(request, driver),
                    (err: Error) =>
                        err instanceof UserError &&
                        err.message.startsWith(
                            `${pkg(4)} is not in the model registry (DescribeModelPackage as ${RESEARCH_ROLE} answered ${answer.name}: ${answer.message}); check the ARN: aws sagemaker list-model-packages --model-package-group-name abalone-models`,
                        ),
                );
                assert.deepEqual(calls, []);
            }
        });

        describe("approve-package", () => {
            withCallerCredentials();
            const decide = (more: Partial<DecisionRequest> = {}): DecisionRequest => ({
                researchStack: "research",
                modelPackageArn: pkg(5),
                status: "Approved",
                approver: "alice",
                ...more,
            });
            const at = new Date("2025-06-01T09:00:00Z");

            it("sets Approved with the approver and the time, as the research deployment role, and records the decision in the backend", async () => {
                const sts = fakeSts(RESEARCH_ROLE);
                let credentialsUsed: string | undefined;
                sagemaker.on(DescribeModelPackageCommand).resolves({ ModelApprovalStatus: "PendingManualApproval" });
                sagemaker.on(UpdateModelPackageCommand).callsFake(async (_input, getClient) => {
                    credentialsUsed = (await (getClient().config as SageMakerClient["config"]).credentials()).accessKeyId;
                    return {};
                });
                const { driver } = scriptedDriver();
                const logs: string[] = [];
                const viaSts = {
                    ...driver,
                    registry: sagemakerRegistry({ requestHandler: sts.requestHandler as never }),
                    log: (m: string) => logs.push(m),
                };
                const decision = await decidePackage(
                    decide({ approver: " alice ", description: "MAE 1.9 on the holdout set" }),
                    viaSts,
                    at,
                );

                assert.deepEqual(sagemaker.commandCalls(UpdateModelPackageCommand)[0].args[0].input, {
                    ModelPackageArn: pkg(5),
                    ModelApprovalStatus: "Approved",
                    ApprovalDescription:
                        "Approved by alice at 2025-06-01T09:00:00.000Z (npm run env -- approve-package): MAE 1.9 on the holdout set",
                });
                assert.equal(credentialsUsed, ASSUMED_KEY_ID, "the client holds the assumed role's credentials");
                assert.deepEqual(
                    sts.requests.map((f) => [f.get("Action"), f.get("RoleArn"), f.get("RoleSessionName")]),
                    [["AssumeRole", RESEARCH_ROLE, "cross-account-models-research"]],
                );
                assert.deepEqual(await driver.state.load<{ decisions: ApprovalDecision[] }>("research", APPROVALS_KEY), {
                    decisions: [decision],
                });
                assert.deepEqual(decision, {
                    modelPackageArn: pkg(5),
                    status: "Approved",
                    approver: "alice",
                    at: at.toISOString(),
                    description: "MAE 1.9 on the holdout set",
                });
                assert.match(logs.join("\n"), /PendingManualApproval -> Approved by alice/);
                assert.match(logs.join("\n"), /research does not grant it yet: .*approvedModelPackages of Pulumi.research.yaml/);
            });

            it("rejects with Rejected, after which a rollout of the package is refused; approved again, it goes", async () => {
                // The registry as SageMaker keeps it: what UpdateModelPackage set, DescribeModelPackage answers.
                const registry = new Map<string, { ModelApprovalStatus?: ModelApprovalStatus; ApprovalDescription?: string }>();
                sagemaker.on(DescribeModelPackageCommand).callsFake(async (input) => registry.get(input.ModelPackageName) ?? APPROVED);
                sagemaker.on(UpdateModelPackageCommand).callsFake(async (input) => void registry.set(input.ModelPackageArn, input));
                const { driver, calls } = scriptedDriver();
                await decidePackage(decide({ modelPackageArn: pkg(4), status: "Rejected", approver: "bob" }), driver, at);
                assert.match(registry.get(pkg(4))!.ApprovalDescription!, /^Rejected by bob at 2025-06-01T09:00:00.000Z/);
                await assert.rejects(rollout(request, driver), RegistryRefusal);
                assert.deepEqual(calls, []);
                await decidePackage(decide({ modelPackageArn: pkg(4), approver: "carol" }), driver, at);
                const finished = await rollout(request, driver);
                assert.match(finished.approval!, /^Approved by carol/);
                const record = await driver.state.load<{ decisions: ApprovalDecision[] }>("research", APPROVALS_KEY);
                assert.deepEqual(
                    record!.decisions.map((d) => `${d.status} ${d.approver}`),
                    ["Rejected bob", "Approved carol"],
                );
            });

            it("refuses an empty approver and a package of another registry before calling SageMaker", async () => {
                const { driver } = scriptedDriver();
                for (const approver of ["", "   "]) {
                    await assert.rejects(
                        decidePackage(decide({ approver }), driver),
                        (err: Error) => err instanceof UsageError && /--approver must name who decides/.test(err.message),
                    );
                }
                await assert.rejects(
                    decidePackage(decide({ modelPackageArn: pkg(5).replace("111122223333", "777788889999") }), driver),
                    (err: Error) => err instanceof UsageError && /is not a version of research's registry abalone-models/.test(err.message),
                );
                assert.equal(sagemaker.calls().length, 0);
            });
        });
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
            const { driver, calls, questions, saved } = recordingDriver();
            const finished = await rollout({ ...request, smokeTest: "skip" }, driver);
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
