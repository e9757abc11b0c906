/** Promotion: AWS's documented order (grant, test, flip, revoke, stop) against a scripted driver, resuming, the SDK steps mocked, and the offline view. */
import { strict as assert } from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import {
    DetectCustomLabelsCommand,
    RekognitionClient,
    ResourceNotReadyException,
    StopProjectVersionCommand,
} from "@aws-sdk/client-rekognition";
import { PROMOTION_KEY, PromotionDriver, PromotionState, promote } from "../../ops/release/promotion";
import { memoryStateStore } from "../../ops/stacks/stateStore";
import { smokeTestCall, stopModelVersion } from "../../ops/release/promotionDriver";
import { planPromotion } from "../../proof/plan/promotionPlan";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";

const version = (name: string, ts: string) => `arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/${name}/${ts}`;
const V1 = version("tool-detector.2025-01-15T10.00.00", "1736935200000");
const V2 = version("tool-detector.2025-03-01T09.30.00", "1740821400000");
const KEY = "cross-account-models:rekognition";

/** A driver over in-memory config values (over the shipped stack files) that records every call. */
function scriptedDriver(
    options: { failUp?: (stack: string, call: number) => boolean; devVersions?: string[]; smokeSkipped?: boolean } = {},
) {
    const config: Record<string, Record<string, any>> = {
        research: {
            [KEY]: {
                consumers: [
                    { stack: "dev", accountId: "777788889999", grantedVersions: options.devVersions ?? [V2] },
                    { stack: "prod", accountId: "444455556666", grantedVersions: [V1] },
                ],
            },
        },
        prod: { [KEY]: { activeVersionArn: V1 } },
    };
    const calls: string[] = [];
    const store = memoryStateStore();
    let ups = 0;
    const at = (stack: string, path: string) => {
        const segments = path
            .slice(KEY.length + 1)
            .match(/[^.[\]]+/g)!
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        let node = config[stack][KEY];
        for (const s of segments.slice(0, -1)) node = node[s];
        return { node, last: segments[segments.length - 1] };
    };
    const driver: PromotionDriver = {
        getConfig: async (stack) => withConfig(readStackConfig(stack), config[stack]),
        setConfigPath: async (stack, path, value) => {
            calls.push(`set ${stack} ${path}`);
            const { node, last } = at(stack, path);
            node[last] = value;
        },
        removeConfigPath: async (stack, path) => {
            calls.push(`remove ${stack} ${path}`);
            const { node, last } = at(stack, path);
            node.splice(last, 1);
        },
        up: async (stack) => {
            ups++;
            if (options.failUp?.(stack, ups)) throw new Error(`update of ${stack} failed`);
            calls.push(`up ${stack}`);
            return { changes: { update: 1 }, outputs: {} };
        },
        smokeTest: async (role, v) => {
            calls.push(`smoke ${role} ${v === V2 ? "V2" : v}`);
            return options.smokeSkipped ? { skipped: true, detail: "no --smoke-image given" } : { skipped: false, detail: "2 labels" };
        },
        stopVersion: async (v) => {
            calls.push(`stop ${v === V1 ? "V1" : v}`);
            return "stopping";
        },
        state: store,
        log: () => undefined,
    };
    return { driver, calls, config, state: () => store.load<PromotionState>("prod", PROMOTION_KEY) };
}

const request = { stack: "prod", researchStack: "research", to: V2, stopOld: true, smokeTest: "run" as const };

describe("promotion", () => {
    it("grants, smoke-tests, flips, revokes and stops, in that order, each a stack update", async () => {
        const { driver, calls, config } = scriptedDriver();
        const state = await promote(request, driver);
        assert.deepEqual(state.done, ["grant", "smoke-test", "flip", "revoke", "stop-old"]);
        assert.deepEqual(calls, [
            `set research ${KEY}.consumers[1].grantedVersions[1]`,
            "up research",
            "smoke arn:aws:iam::111122223333:role/RekognitionModelAccess-444455556666 V2",
            `set prod ${KEY}.activeVersionArn`,
            "up prod",
            `remove research ${KEY}.consumers[1].grantedVersions[0]`,
            "up research",
            "stop V1",
        ]);
        assert.deepEqual(config.research[KEY].consumers[1].grantedVersions, [V2]);
        assert.equal(config.prod[KEY].activeVersionArn, V2);
    });

    it("resumes an interrupted promotion where it stopped", async () => {
        const { driver, calls, state } = scriptedDriver({ failUp: (stack, n) => stack === "prod" && n === 2 });
        await assert.rejects(promote(request, driver), /update of prod failed/);
        assert.deepEqual((await state())!.done, ["grant", "smoke-test"]);
        calls.length = 0;
        await promote(request, driver);
        assert.deepEqual(
            calls.filter((c) => c.startsWith("up")),
            ["up prod", "up research"],
            "grant was not redone",
        );
        assert.equal(await state(), undefined, "state kept after completion");
    });

    it("refuses another target while a promotion is in progress, and a promotion to the current version", async () => {
        const { driver } = scriptedDriver({ failUp: (stack) => stack === "prod" });
        await assert.rejects(promote(request, driver));
        await assert.rejects(
            promote({ ...request, to: version("tool-detector.v3", "1750000000000") }, driver),
            /in progress .*done: grant, smoke-test.*same --to/s,
        );
        await assert.rejects(promote({ ...request, to: V1 }, scriptedDriver().driver), /already calls/);
    });

    it("does not stop the old version while another consumer is still granted it", async () => {
        const { driver, calls } = scriptedDriver({ devVersions: [V1, V2] });
        await promote(request, driver);
        assert.ok(!calls.some((c) => c.startsWith("stop")));
    });

    it("refuses a promotion with neither --smoke-image nor --skip-smoke-test before changing anything", async () => {
        const { driver, calls } = scriptedDriver();
        await assert.rejects(
            promote({ ...request, smokeTest: "none" }, driver),
            /promotion of prod to .* needs a smoke test: give --smoke-image <file>, or --skip-smoke-test/,
        );
        assert.deepEqual(calls, []);
    });

    it("a smoke test that could not run stops the promotion before the flip", async () => {
        const { driver, calls, config, state } = scriptedDriver({ smokeSkipped: true });
        await assert.rejects(promote(request, driver), /smoke test of prod did not run: no --smoke-image given/);
        assert.equal(config.prod[KEY].activeVersionArn, V1);
        assert.ok(!calls.includes("up prod"));
        assert.deepEqual((await state())!.done, ["grant"]);
    });

    it("--skip-smoke-test flips untested and records the skip; a passed test is recorded too", async () => {
        const skipped = scriptedDriver();
        const state = await promote({ ...request, smokeTest: "skip" }, skipped.driver);
        assert.ok(!skipped.calls.some((c) => c.startsWith("smoke")));
        assert.equal(state.smokeTest, "skipped (--skip-smoke-test): prod goes on untested");
        assert.equal((await promote(request, scriptedDriver().driver)).smokeTest, "passed: 2 labels");
    });

    describe("SDK steps", () => {
        const sts = mockClient(STSClient);
        const rekognition = mockClient(RekognitionClient);
        beforeEach(() => {
            sts.reset();
            rekognition.reset();
            sts.on(AssumeRoleCommand).resolves({
                Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date() },
            });
        });
        const options = {
            region: "us-east-1",
            accessRoleArn: "arn:aws:iam::111122223333:role/RekognitionModelAccess-444455556666",
            version: V2,
            image: Buffer.from("jpeg"),
            externalId: "ext-123",
        };

        it("calls the new version through the access role", async () => {
            rekognition.on(DetectCustomLabelsCommand).resolves({ CustomLabels: [{ Name: "hammer", Confidence: 97.6 }] });
            const result = await smokeTestCall(options);
            assert.deepEqual(result, { skipped: false, detail: `1 label(s) from ${V2}: hammer (98%)` });
            assert.deepEqual(sts.commandCalls(AssumeRoleCommand)[0].args[0].input, {
                RoleArn: options.accessRoleArn,
                RoleSessionName: "cross-account-models-smoke-test",
                ExternalId: "ext-123",
            });
            assert.equal(rekognition.commandCalls(DetectCustomLabelsCommand)[0].args[0].input.ProjectVersionArn, V2);
        });

        it("is skipped without an image, and explains failures", async () => {
            assert.equal((await smokeTestCall({ ...options, image: undefined })).skipped, true);
            rekognition.on(DetectCustomLabelsCommand).rejects(new ResourceNotReadyException({ message: "not running", $metadata: {} }));
            await assert.rejects(smokeTestCall(options), /Start the new version first/);
            sts.on(AssumeRoleCommand).rejects(new Error("not authorized to perform: sts:AssumeRole"));
            await assert.rejects(smokeTestCall(options), /application role's credentials/);
        });

        it("stops the old version", async () => {
            rekognition.on(StopProjectVersionCommand).resolves({ Status: "STOPPING" });
            assert.equal(await stopModelVersion("us-east-1", V1), `stopping ${V1} (status STOPPING)`);
        });
    });

    it("shows offline which versions are callable at each step", async function () {
        this.timeout(60_000);
        const view = await planPromotion(["research", "prod"], request);
        assert.deepEqual(
            view.snapshots.map((s) => [s.after, s.active === V2 ? "V2" : "V1", s.callable[V1], s.callable[V2]]),
            [
                ["before", "V1", true, false],
                ["grant", "V1", true, true],
                ["flip", "V2", true, true],
                ["revoke", "V2", false, true],
            ],
        );
        assert.ok(view.snapshots.every((s) => s.problems.length === 0));
        assert.ok(view.log.some((l) => /offline: the smoke test is not run/.test(l)));
    });
});
