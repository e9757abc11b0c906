/**
 * An operation interrupted in one checkout resumes from a second one that uses the same backend:
 * the real drivers and LocalWorkspace against the stand-in CLI (test/standin), two copies of the
 * stack files, one file backend. Progress lives in the backend's stack tags (the diy backend
 * keeps them: pkg/backend/diy/stack_tags.go), config edits in each checkout's Pulumi.<stack>.yaml
 * (LocalWorkspace writes them there: sdk/nodejs/automation/localWorkspace.ts setConfig), and an
 * `up` that fails still leaves the steps it applied (the engine saves as it goes).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { DescribeModelPackageCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { PROMOTION_KEY, promote } from "../../ops/release/promotion";
import { automationPromotionDriver } from "../../ops/release/promotionDriver";
import { HISTORY_KEY, PackageHistory, rollback, rollout } from "../../ops/release/rollout";
import { automationRolloutDriver } from "../../ops/release/rolloutDriver";
import { lazyWorkspace } from "../../ops/stacks/stackTags";
import { Scenario, StandIn, standIn } from "../standin/harness";

const V1 = "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-01-15T10.00.00/1736935200000";
const V2 = "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000";
const pkg = (n: number) => `arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/${n}`;

const role = { resources: [{ name: "role", type: "aws:iam/role:Role" }] };
const scenario = (failing?: string): Scenario =>
    Object.fromEntries(
        ["research", "dev", "prod"].map((s) => [s, { ...role, ...(s === failing ? { failUp: `${s}: the update failed` } : {}) }]),
    );

/** A stack's `config:` as the checkout's Pulumi.<stack>.yaml holds it. */
const stackConfig = (dir: string, stack: string) =>
    (yaml.load(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, any> }).config;

describe("resuming from a second checkout on the same backend (stand-in CLI)", function () {
    this.timeout(120_000);
    let cli: StandIn;
    let a: string;
    let b: string;
    /** Two checkouts; the stacks created in the shared backend from the first, with prod's updates failing. */
    beforeEach(async () => {
        cli = standIn(scenario("prod"));
        [a, b] = [cli.checkout("a"), cli.checkout("b")];
        const workspace = await lazyWorkspace({ projectDir: a, backendUrl: cli.backendUrl })();
        for (const stack of ["research", "dev", "prod"]) await workspace.createStack(stack);
    });
    afterEach(() => cli.restore());
    /** The registry approves every package (its gate: rollout.test.ts). */
    let registry: AwsClientStub<SageMakerClient>;
    before(() => (registry = mockClient(SageMakerClient)));
    beforeEach(() => registry.reset().on(DescribeModelPackageCommand).resolves({ ModelApprovalStatus: "Approved" }));
    after(() => registry.restore());

    const stacksOptions = (projectDir: string, log: string[]) => ({
        projectDir,
        backendUrl: cli.backendUrl,
        policyPacks: [],
        policyPackConfigs: [],
        onProgress: () => undefined,
        region: "us-east-1",
        log: (m: string) => log.push(m),
    });
    /** What B sends, from the stand-in's record (`up prod`, `config set research`): everything after A stopped. */
    const sentSince = (count: number) => cli.commands().slice(count);
    /** The stacks updated, in order. */
    const updated = (sent: string[]) => sent.filter((c) => c.startsWith("up ")).map((c) => c.split(" ")[1]);

    it("a promotion interrupted at the flip in checkout A completes from checkout B, which first re-applies A's grant to its own Pulumi.research.yaml", async () => {
        const request = { stack: "prod", researchStack: "research", to: V2, stopOld: false, smokeTest: "skip" as const };
        const logA: string[] = [];
        await assert.rejects(promote(request, automationPromotionDriver(stacksOptions(a, logA))), /prod: the update failed/);
        assert.deepEqual(stackConfig(a, "research")["cross-account-models:rekognition"].consumers[1].grantedVersions, [V1, V2]);

        cli.setScenario(scenario());
        const logB: string[] = [];
        const driverB = automationPromotionDriver(stacksOptions(b, logB));
        const sentByA = cli.commands().length;
        const state = await promote(request, driverB);

        assert.deepEqual(state.done, ["grant", "smoke-test", "flip", "revoke", "stop-old"]);
        assert.match(state.smokeTest!, /^skipped \(--skip-smoke-test\)/, "A's smoke-test record came along");
        const sent = sentSince(sentByA);
        assert.deepEqual(updated(sent), ["prod", "research"], "B did not redo A's grant update");
        assert.ok(
            sent.indexOf("config set research") < sent.findIndex((c) => c.startsWith("up prod")),
            `the grant is re-applied before B's first update:\n${sent.join("\n")}`,
        );
        assert.match(logB.join("\n"), /resuming the promotion of prod .* after: grant, smoke-test/);
        assert.match(
            logB.join("\n"),
            /brought Pulumi\.research\.yaml up to date with the steps already done \(grant, smoke-test\), as recorded in the backend; commit it/,
        );

        assert.deepEqual(
            stackConfig(b, "research")["cross-account-models:rekognition"].consumers[1].grantedVersions,
            [V2],
            "B's research file grants the new version only",
        );
        assert.deepEqual(
            stackConfig(b, "research")["cross-account-models:rekognition"].consumers[0].grantedVersions,
            [V2],
            "dev's grants untouched",
        );
        assert.equal(stackConfig(b, "prod")["cross-account-models:rekognition"].activeVersionArn, V2);
        assert.equal(await driverB.state.load("prod", PROMOTION_KEY), undefined, "the finished promotion is cleared from the backend");
    });

    it("a rollout interrupted at production in checkout A completes from B, and B's rollback uses the history A started", async () => {
        // Package 5 approved in both checkouts (a commit both have).
        for (const dir of [a, b]) {
            const file = path.join(dir, "Pulumi.research.yaml");
            const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, any> };
            doc.config["cross-account-models:sagemaker"].approvedModelPackages.push(pkg(5));
            fs.writeFileSync(file, yaml.dump(doc));
        }
        const request = {
            modelPackageArn: pkg(5),
            researchStack: "research",
            staging: "dev",
            production: "prod",
            smokeTest: "skip" as const,
        };
        const rolloutOptions = (dir: string, log: string[]) => ({
            ...stacksOptions(dir, log),
            endpointNameOf: (s: string) => `cross-account-models-${s}`,
            approved: true,
        });
        await assert.rejects(rollout(request, automationRolloutDriver(rolloutOptions(a, []))), /prod: the update failed/);

        cli.setScenario(scenario());
        const logB: string[] = [];
        const driverB = automationRolloutDriver(rolloutOptions(b, logB));
        const sentByA = cli.commands().length;
        const state = await rollout(request, driverB);
        assert.deepEqual(state.done, ["deploy-staging", "smoke-test-staging", "approval", "deploy-production"]);
        assert.deepEqual(updated(sentSince(sentByA)), ["prod"], "staging was not redeployed");
        assert.match(logB.join("\n"), /brought Pulumi\.dev\.yaml up to date .* commit it/);
        assert.equal(stackConfig(b, "dev")["cross-account-models:sagemaker"].modelPackageArn, pkg(5));
        assert.deepEqual(
            await driverB.state.load<PackageHistory>("prod", HISTORY_KEY),
            { served: [pkg(3), pkg(5)] },
            "seeded by A from what prod served, 5 appended by B",
        );

        assert.equal(await rollback({ stack: "prod", researchStack: "research" }, driverB), pkg(3));
        assert.equal(stackConfig(b, "prod")["cross-account-models:sagemaker"].modelPackageArn, pkg(3));
        assert.deepEqual(await driverB.state.load<PackageHistory>("prod", HISTORY_KEY), { served: [pkg(3)] });
    });
});
