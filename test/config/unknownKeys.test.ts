/** Unknown keys, at every level of a stack file, are refused with the nearest known setting. */
import { strict as assert } from "assert";
import { parseStackConfig, settingsOf } from "../../lib/config/stackConfig";
import { editDistance, closest } from "../../lib/config/suggest";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { assertNames, configError, refusedRun } from "./expect";

const P = "cross-account-models";

describe("configuration: unknown keys", () => {
    const dev = readStackConfig("dev");
    const research = readStackConfig("research");
    const org = readStackConfig("org");
    const renamed = (raw: Record<string, string>, from: string, to: string) =>
        withConfig(raw, { [`${P}:${from}`]: undefined, [`${P}:${to}`]: raw[`${P}:${from}`] ?? "30" });

    it("suggests the setting a misspelt top-level key was meant to be (typo, wrong case, swapped letters)", () => {
        for (const [typo, meant] of [
            ["keyDeletionWindowDay", "keyDeletionWindowDays"],
            ["troubleshooterARNs", "troubleshooterArns"],
            ["modelImprot", "modelImport"],
        ]) {
            const message = configError("dev", renamed(dev, meant, typo));
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:${typo}`,
                "is not a setting of hosting stacks",
                `did you mean "${meant}"?`,
                "expected one of",
                "researchStack",
            );
        }
    });

    it("does not deploy a hosting stack without its import job when modelImport is misspelt", async () => {
        const message = await refusedRun("dev", renamed(dev, "modelImport", "modelImprot"));
        assertNames(message, "Pulumi.dev.yaml", `${P}:modelImprot`, `did you mean "modelImport"?`);
    });

    it("names the program a key belongs to when it is another program's setting", () => {
        const message = configError("dev", withConfig(dev, { [`${P}:consumers`]: [] }));
        assertNames(
            message,
            "Pulumi.dev.yaml",
            `${P}:consumers`,
            "is a setting of research stacks, not of this hosting stack",
            `${P}:program: research`,
        );
        assertNames(
            configError("org", withConfig(org, { [`${P}:network`]: { cidr: "10.0.0.0/16" } })),
            "Pulumi.org.yaml",
            `${P}:network`,
            "is a setting of hosting stacks",
        );
    });

    it("suggests the project's namespace for a key in a misspelt one, and leaves other namespaces alone", () => {
        const message = configError("dev", withConfig(dev, { "cross-acount-models:researchStack": "research" }));
        assertNames(message, "Pulumi.dev.yaml", "cross-acount-models:researchStack", `did you mean "${P}:researchStack"?`);
        assert.doesNotThrow(() =>
            parseStackConfig("dev", withConfig(dev, { "aws:skipCredentialsValidation": "true", "pulumi:tags": { team: "ml" } })),
        );
    });

    it("refuses unknown keys in nested maps and lists of maps, with a suggestion", () => {
        const network = JSON.parse(dev[`${P}:network`]);
        const cases: [string, Record<string, string>, string, string][] = [
            [
                "dev",
                withConfig(dev, { [`${P}:network`]: { cidr: network.cidr, flowLogRetentionDay: 30 } }),
                `${P}:network.flowLogRetentionDay`,
                "flowLogRetentionDays",
            ],
            [
                "dev",
                withConfig(dev, { [`${P}:modelImport`]: { ...JSON.parse(dev[`${P}:modelImport`]), timeoutMinute: 60 } }),
                `${P}:modelImport.timeoutMinute`,
                "timeoutMinutes",
            ],
            [
                "dev",
                withConfig(dev, { [`${P}:sagemaker`]: { ...JSON.parse(dev[`${P}:sagemaker`]), deployerARNs: [] } }),
                `${P}:sagemaker.deployerARNs`,
                "deployerArns",
            ],
            [
                "research",
                withConfig(research, { [`${P}:consumers`]: [{ stack: "dev", acountId: "777788889999" }] }),
                `${P}:consumers[0].acountId`,
                "accountId",
            ],
            [
                "research",
                withConfig(research, { [`${P}:perimeter`]: { mode: "endpoint-owner", pinnedStack: [] } }),
                `${P}:perimeter.pinnedStack`,
                "pinnedStacks",
            ],
            [
                "org",
                withConfig(org, { [`${P}:guardrails`]: { rekognitionConsumer: ["777788889999"] } }),
                `${P}:guardrails.rekognitionConsumer`,
                "rekognitionConsumers",
            ],
        ];
        const rekognition = JSON.parse(research[`${P}:rekognition`]);
        rekognition.consumers[1].externalID = "abc-123";
        cases.push([
            "research",
            withConfig(research, { [`${P}:rekognition`]: rekognition }),
            `${P}:rekognition.consumers[1].externalID`,
            "externalId",
        ]);
        const sagemaker = JSON.parse(research[`${P}:sagemaker`]);
        sagemaker.targets[0].stak = "dev";
        cases.push(["research", withConfig(research, { [`${P}:sagemaker`]: sagemaker }), `${P}:sagemaker.targets[0].stak`, "stack"]);
        for (const [stack, raw, key, meant] of cases) {
            assertNames(
                configError(stack, raw),
                `Pulumi.${stack}.yaml`,
                key,
                "is not a known setting",
                `did you mean "${meant}"?`,
                "expected one of",
            );
        }
    });

    it("takes each program's settings from its parser, so a new setting cannot be forgotten here", () => {
        const keys = (program: "research" | "hosting" | "organization") =>
            [...settingsOf(program)]
                .filter((k) => k.startsWith(`${P}:`))
                .map((k) => k.slice(P.length + 1))
                .sort();
        assert.deepEqual(keys("hosting"), [
            "cmiRoleName",
            "keyDeletionWindowDays",
            "modelImport",
            "network",
            "program",
            "rekognition",
            "researchStack",
            "sagemaker",
            "troubleshooterArns",
        ]);
        assert.deepEqual(keys("research"), [
            "artifactBucketName",
            "consumers",
            "keyDeletionWindowDays",
            "perimeter",
            "program",
            "rekognition",
            "sagemaker",
            "vpcEndpointOnly",
        ]);
        assert.deepEqual(keys("organization"), ["guardrails", "keyDeletionWindowDays", "program"]);
    });

    it("suggests only near names: one slip, case ignored, never an unrelated word", () => {
        assert.equal(editDistance("modelimprot", "modelimport"), 1);
        assert.equal(closest("troubleshooterARNs", ["troubleshooterArns", "network"]), "troubleshooterArns");
        assert.equal(closest("vpc", ["network", "sagemaker"]), undefined);
    });
});
