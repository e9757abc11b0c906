/** `npm run plan`'s engine: the shipped environment passes; broken sharing and broken access fail, naming what broke. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanResult, plan } from "../../proof/plan/plan";
import { runStack } from "../../proof/runtime/runStack";
import { writeReport } from "../../proof/report";
import { SUMMARY_CAP } from "../../proof/report/comment";
import { readSnapshot } from "../../proof/report/snapshot";
import { readStackConfig } from "../../ops/project";
import { PathResult, proveEnvironment } from "../../proof/access/prove";
import { PolicyDocument } from "../../lib/policies/document";
import { DEV, PROD, sharedPack, shippedStacks, withConfig, withInput } from "../helpers";

/** The proof over the shipped stacks with the research bucket policy edited. */
async function proveWithBucketPolicy(edit: (doc: PolicyDocument) => PolicyDocument) {
    const runs = withInput((await shippedStacks()).values(), "research", "artifacts-artifacts-policy", "policy", (policy) =>
        JSON.stringify(edit(JSON.parse(policy))),
    );
    return proveEnvironment(runs);
}

describe("offline plan", function () {
    this.timeout(120_000);
    /** The plan of every shipped stack, the Organizations stack included. */
    let shipped: PlanResult;
    before(async () => {
        shipped = await plan({ stacks: ["org", "research", "dev", "prod"], pack: await sharedPack() });
    });

    it("passes on the shipped configuration and writes a readable report with a diagram", async () => {
        const result = shipped;
        assert.deepEqual(result.problems, []);
        assert.deepEqual(
            result.stacks.map((s) => [s.stack, s.status]),
            [
                // Brought in, first, by the stacks that deploy through their roles.
                ["bootstrap-org", "planned"],
                ["bootstrap-research", "planned"],
                ["bootstrap-dev", "planned"],
                ["bootstrap-prod", "planned"],
                ["org", "planned"],
                ["research", "planned"],
                ["dev", "planned"],
                ["prod", "planned"],
            ],
        );
        // By endpoint owner, research reads no stack back: each stack runs once, after its account's bootstrap.
        assert.deepEqual(result.env.sequence, [
            "bootstrap-org",
            "bootstrap-research",
            "bootstrap-dev",
            "bootstrap-prod",
            "org",
            "research",
            "dev",
            "prod",
        ]);
        assert.equal(result.env.convergencePasses, 0);
        assert.ok(result.access.length >= 30 && result.access.every((a) => a.holds));
        assert.ok(result.access.some((a) => a.path.expect === "denied") && result.access.some((a) => a.path.expect === "allowed"));

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const { files } = await writeReport(result, dir);
        const written = (name: string) => {
            const file = files.find((f) => path.basename(f) === name);
            assert.ok(file, `the report lacks ${name}`);
            return file;
        };
        const text = fs.readFileSync(written("plan.md"), "utf8");
        assert.match(fs.readFileSync(written("index.html"), "utf8"), /<title>Offline plan: PASS<\/title>/);
        for (const part of [
            "# Offline plan: PASS",
            "## Summary",
            "![",
            "(access.svg)",
            "## Access matrix",
            "org + research → dev + prod",
            "BedrockCMIExecutionRole-444455556666",
            "RekognitionModelAccess-777788889999",
            "`deny-sagemaker-outside-vpc`",
            "### SageMaker model packages",
            "| dev | `abalone-models/4` ✅ granted | `abalone-models/3`, `abalone-models/4` | ✅ allowed | not read offline; checked at rollout time |",
            "| prod | `abalone-models/3` ✅ granted | `abalone-models/3`, `abalone-models/4` | ✅ allowed | not read offline; checked at rollout time |",
            "as `arn:aws:iam::111122223333:role/CrossAccountModelsDeployment-111122223333` (research)",
        ]) {
            assert.ok(text.includes(part), `report lacks ${part}`);
        }
        // The diagram: every account of the environment a cluster, every SCP drawn, rendered to SVG.
        const svg = fs.readFileSync(written("access.svg"), "utf8").replace(/&#45;/g, "-");
        assert.match(svg, /<svg [^>]*width="\d+pt"/);
        for (const part of [
            "org · 112233445566",
            "research · 111122223333",
            "dev · 777788889999",
            "prod · 444455556666",
            "deny-rekognition-project-changes",
            "deny-sagemaker-outside-vpc",
            "Legend",
        ]) {
            assert.ok(svg.includes(part), `diagram lacks ${part}`);
        }
        // The summary for a pull request, and the plan as data, which a later run reads as its base.
        const summary = fs.readFileSync(written("summary.md"), "utf8");
        assert.ok(summary.length <= SUMMARY_CAP, `${summary.length} characters`);
        assert.ok(summary.startsWith("## Offline plan: ✅ PASS\n\n**8 of 8 stacks planned · "), summary.slice(0, 120));
        const again = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        await writeReport(result, again, { base: readSnapshot(path.dirname(written("plan.json"))) });
        assert.match(fs.readFileSync(path.join(again, "summary.md"), "utf8"), /### Changes since the base plan\n\nNothing changed/);
        // Said in words: no abbreviation of the simulator's (pb: a permissions boundary), one Deployment identity section.
        assert.ok(!/\bpb\b/.test(text));
        assert.match(text, /no Allow in bootstrap-research permissions boundary/);
        assert.equal(text.match(/^#+ Deployment identity/gm)?.length, 1);
    });

    describe("network perimeter, both modes", () => {
        /** The shipped runs with research re-run on its own with another perimeter, reading dev and prod back where pinned. */
        async function proveWithPerimeter(perimeter: object) {
            const runs = await shippedStacks();
            const stackOutputs = new Map([...runs.values()].map((r) => [`organization/cross-account-models/${r.stack}`, r.outputs]));
            const research = await runStack("research", {
                config: withConfig(readStackConfig("research"), { "cross-account-models:perimeter": perimeter }),
                stackOutputs,
            });
            return proveEnvironment([...runs.values()].map((r) => (r.stack === "research" ? research : r)));
        }
        const foreign = (results: readonly PathResult[]) =>
            results.filter((r) => / through (an endpoint of (dev|prod)|an outside account's endpoint)/.test(r.path.why));

        for (const [mode, perimeter] of [
            ["endpoint owner (shipped)", undefined],
            ["endpoint ID", { mode: "endpoint-id" }],
            ["endpoint owner within an organization", { organizationId: "o-a1b2c3d4e5" }],
        ] as const) {
            it(`by ${mode}: allowed through the consumer's own endpoints, refused without one and through other accounts' endpoints`, async () => {
                const results = perimeter ? await proveWithPerimeter(perimeter) : shipped.access;
                assert.deepEqual(
                    results.filter((r) => !r.holds).map((r) => r.problem),
                    [],
                );
                // Per hosting stack: the CMI read and key, the Rekognition call and the SageMaker read, each through dev's or prod's and an outsider's endpoint.
                const refused = foreign(results);
                assert.equal(refused.length, 16, refused.map((r) => r.path.why).join("\n"));
                const implicit = refused.filter((r) => r.decision.result !== "ExplicitlyDenied");
                assert.deepEqual(
                    implicit.map((r) => `${r.path.id} ${r.path.why} ${JSON.stringify(r.decision.denials)}`),
                    [],
                    "a foreign endpoint was refused by a missing grant rather than the perimeter",
                );
                for (const why of [
                    "the CMI role reads the model files",
                    "the CMI role reads from outside its VPC endpoint",
                    "the access role calls the model from outside the consumer VPC endpoint",
                    "the execution role reads the model data outside its VPC endpoint",
                ]) {
                    assert.equal(results.filter((r) => r.path.why === why).length, 2, why);
                }
            });
        }

        it("the proof catches a perimeter that lets another account's endpoint through", async () => {
            // The owner deny compared with a fixed hosting account instead of the requester's: prod's endpoint opens dev's role.
            const runs = withInput((await shippedStacks()).values(), "research", "artifacts-artifacts-policy", "policy", (policy) =>
                policy.split('"aws:VpceAccount":"${aws:PrincipalAccount}"').join(`"aws:VpceAccount":["${DEV}","${PROD}"]`),
            );
            const open = (await proveEnvironment(runs)).filter((r) => !r.holds).map((r) => r.problem!);
            assert.ok(
                open.length >= 2 && open.every((p) => /FORBIDDEN path open \(.* through an endpoint of (dev|prod)/.test(p)),
                open.join("\n"),
            );
        });
    });

    it("proves the Organizations guardrails, and shows that AWS's example SCP (one Null block for both keys) would let a half-configured model through", async () => {
        const result = shipped;
        const guardrails = result.access.filter((a) => a.path.architecture === "guardrails");
        assert.equal(guardrails.length, 12);
        assert.ok(guardrails.every((a) => a.holds));

        // The form of AWS's SageMaker example SCP: both keys in one Null block, which denies only
        // when both are missing.
        const runs = withInput(result.env.runs.values(), "org", "deny-sagemaker-outside-vpc", "content", () =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "OneNullBlock",
                        Effect: "Deny",
                        Action: "sagemaker:CreateModel",
                        Resource: "*",
                        Condition: {
                            Null: { "sagemaker:VpcSubnets": "true", "sagemaker:VpcSecurityGroupIds": "true" },
                        },
                    },
                ],
            }),
        );
        const open = (await proveEnvironment(runs)).filter((r) => !r.holds).map((r) => r.problem!);
        assert.deepEqual(
            open.map((p) => p.split(": stack")[0]),
            [
                "FORBIDDEN path open (a SageMaker model with subnets but no security groups is created (SCP))",
                "FORBIDDEN path open (a SageMaker model with subnets but no security groups is created (SCP))",
            ],
        );
    });

    it("fails naming prod when research stops sharing with it", async () => {
        const research = readStackConfig("research");
        const consumers = JSON.parse(research["cross-account-models:consumers"]).filter((c: { stack: string }) => c.stack !== "prod");
        const changed = withConfig(research, { "cross-account-models:consumers": consumers });
        const result = await plan({ stacks: ["research", "dev", "prod"], configs: { research: changed }, pack: await sharedPack() });
        const [prodFailure] = result.problems;
        assert.match(
            prodFailure,
            /^stack prod failed: .*stack prod deploys into account 444455556666, which the research stack .* does not share with/s,
        );
        assert.deepEqual(result.stacks.find((s) => s.stack === "dev")!.status, "planned");
    });

    it("refuses research, before anything is declared, when it shares with a consumer that is not a stack of the environment", async () => {
        const research = readStackConfig("research");
        const rekognition = JSON.parse(research["cross-account-models:rekognition"]);
        rekognition.consumers.push({ stack: "qa", accountId: "555566667777", grantedVersions: rekognition.consumers[0].grantedVersions });
        const result = await plan({
            stacks: ["research", "dev", "prod"],
            configs: { research: withConfig(research, { "cross-account-models:rekognition": rekognition }) },
            pack: await sharedPack(),
        });
        assert.equal(result.stacks.find((s) => s.stack === "research")!.status, "failed");
        assert.ok(
            result.problems[0].includes(
                `cross-account-models:rekognition.consumers[2].stack: "qa" is not a stack of this project (there is no Pulumi.qa.yaml); expected one of bootstrap-dev, bootstrap-org, bootstrap-prod, bootstrap-research, dev, org, prod, research`,
            ),
            result.problems[0],
        );
    });

    it('catches Bedrock\'s S3 access failure ("does not have access to the S3 location") before deploy, naming stack, principal, action, resource and the missing statement', async () => {
        // The research bucket policy as it would be if its grant to prod's role were lost.
        const results = await proveWithBucketPolicy((doc) => ({
            ...doc,
            Statement: doc.Statement.map((st) =>
                st.Sid !== "ReadBedrockCMIExecutionRole"
                    ? st
                    : { ...st, Principal: { AWS: (st.Principal as { AWS: string[] }).AWS.filter((root) => !root.includes(PROD)) } },
            ),
        }));
        const failed = results.filter((r) => !r.holds);
        assert.equal(failed.length, 1);
        const problem = failed[0].problem!;
        for (const part of [
            "REQUIRED path refused",
            "stack prod",
            `arn:aws:iam::${PROD}:role/BedrockCMIExecutionRole-${PROD}`,
            "s3:GetObject",
            "arn:aws:s3:::model-artifacts-111122223333/mistral-model-weights/config.json",
            "no statement of research: BucketPolicy artifacts-artifacts-policy allows it",
            "Amazon Bedrock does not have access to the S3 location (s3://model-artifacts-111122223333/mistral-model-weights/)",
        ]) {
            assert.ok(problem.includes(part), `lacks "${part}": ${problem}`);
        }
    });

    it("evaluates service control policies attached to a principal's account", async () => {
        const runs = [...(await shippedStacks()).values()];
        const scp = {
            type: "aws:organizations/policy:Policy",
            name: "deny-s3-reads",
            inputs: {
                type: "SERVICE_CONTROL_POLICY",
                content: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "DenyReads", Effect: "Deny", Action: "s3:GetObject", Resource: "*" }],
                }),
            },
            state: { id: "p-deny" },
        };
        const attachment = {
            type: "aws:organizations/policyAttachment:PolicyAttachment",
            name: "deny-s3-reads-prod",
            inputs: { policyId: "p-deny", targetId: PROD },
            state: { id: "a" },
        };
        const org = { stack: "org", accountId: "123456789012", resources: [scp, attachment] };
        const results = await proveEnvironment(runs, [org]);
        const failed = results.filter((r) => !r.holds).map((r) => r.problem!);
        // Every read of prod's roles (the CMI role, the SageMaker execution role) is refused, each naming the SCP.
        assert.equal(failed.length, 2, failed.join("\n"));
        for (const problem of failed)
            assert.match(problem, /stack prod: .* s3:GetObject .*denied explicitly by statement DenyReads of org: Policy deny-s3-reads/);
    });

    it("reports an open forbidden path", async () => {
        // A bucket policy that lets any principal of the hosting accounts read: the admin-role paths must show up as open.
        const results = await proveWithBucketPolicy((doc) => ({
            ...doc,
            Statement: doc.Statement.map((st) => (st.Sid === "ReadBedrockCMIExecutionRole" ? { ...st, Condition: undefined } : st)),
        }));
        const open = results.filter((r) => !r.holds).map((r) => r.problem!);
        assert.deepEqual(open.length, 2, open.join("\n"));
        assert.match(
            open[0],
            /FORBIDDEN path open \(another role of the hosting account reads the artifacts\): stack dev: arn:aws:iam::777788889999:role\/platform-administrator s3:GetObject/,
        );
        assert.match(
            open[1],
            /FORBIDDEN path open \(another role of the hosting account reads the artifacts\): stack prod: arn:aws:iam::444455556666:role\/platform-administrator s3:GetObject/,
        );
    });
});
