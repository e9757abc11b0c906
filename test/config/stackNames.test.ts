/**
 * Settings that name other stacks or their accounts, checked against the project's stack files:
 * guardrails never attach to the ML account, and research shares only with stacks that exist, in
 * the accounts they deploy into.
 */
import { strict as assert } from "assert";
import { OrganizationConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { readStackConfig } from "../../ops/project";
import { DEV, PROD, RESEARCH, withConfig } from "../helpers";
import { assertNames, configError, refusedRun } from "./expect";

const P = "cross-account-models";

describe("configuration: other stacks and their accounts", () => {
    const stacks = readProjectStacks();

    describe("guardrails (organization stack)", () => {
        const org = readStackConfig("org");

        it("refuses the Rekognition guardrail on the research (ML) account before any SCP is declared", async () => {
            const message = await refusedRun(
                "org",
                withConfig(org, { [`${P}:guardrails`]: { rekognitionConsumers: [DEV, RESEARCH], sagemakerVpcOnly: [DEV] } }),
            );
            assertNames(
                message,
                "Pulumi.org.yaml",
                `${P}:guardrails.rekognitionConsumers[1]`,
                `"${RESEARCH}" is the ML account of the research stack research (aws:allowedAccountIds of Pulumi.research.yaml)`,
                "would deny its own Rekognition project",
                `expected consumer accounts only, e.g. "${DEV}", "${PROD}"`,
            );
        });

        it("accepts the shipped consumers and OUs, and a target listed once", () => {
            const config = parseStackConfig(
                "org",
                withConfig(org, { [`${P}:guardrails`]: { rekognitionConsumers: [DEV, "ou-ab12-34cd56ef"] } }),
                { stacks },
            ) as OrganizationConfig;
            assert.deepEqual(config.guardrails.rekognitionConsumers, [DEV, "ou-ab12-34cd56ef"]);
            const twice = configError("org", withConfig(org, { [`${P}:guardrails`]: { sagemakerVpcOnly: [DEV, DEV] } }), { stacks });
            assertNames(twice, "Pulumi.org.yaml", `${P}:guardrails.sagemakerVpcOnly[1]`, "is already listed", "expected each target once");
        });
    });

    describe("stacks research shares with", () => {
        const research = readStackConfig("research");
        const registry = () => JSON.parse(research[`${P}:sagemaker`]);

        it("reports sagemaker.targets naming a stack that does not exist, before anything is declared", async () => {
            const message = await refusedRun(
                "research",
                withConfig(research, {
                    [`${P}:sagemaker`]: {
                        ...registry(),
                        targets: [
                            { stack: "staging", accountId: DEV },
                            { stack: "prod", accountId: PROD },
                        ],
                    },
                }),
            );
            assertNames(
                message,
                "Pulumi.research.yaml",
                `${P}:sagemaker.targets[0].stack`,
                `"staging" is not a stack of this project (there is no Pulumi.staging.yaml)`,
                "expected one of bootstrap-dev, bootstrap-org, bootstrap-prod, bootstrap-research, dev, org, prod, research",
            );
        });

        it("reports a target or consumer paired with another account than its stack deploys into", () => {
            const message = configError(
                "research",
                withConfig(research, {
                    [`${P}:sagemaker`]: { ...registry(), targets: [{ stack: "dev", accountId: PROD }] },
                    [`${P}:consumers`]: [{ stack: "prod", accountId: DEV }],
                }),
                { stacks },
            );
            assertNames(
                message,
                "Pulumi.research.yaml",
                `${P}:sagemaker.targets[0].accountId`,
                `"${PROD}" is not the account of stack dev; expected "${DEV}" (aws:allowedAccountIds of Pulumi.dev.yaml)`,
            );
            assertNames(message, "Pulumi.research.yaml", `${P}:consumers[0].accountId`, `"${DEV}" is not the account of stack prod`);
        });

        it("reports Rekognition consumers that are not hosting stacks", () => {
            const share = JSON.parse(research[`${P}:rekognition`]);
            share.consumers[0].stack = "org";
            const message = configError("research", withConfig(research, { [`${P}:rekognition`]: share }), { stacks });
            assertNames(
                message,
                "Pulumi.research.yaml",
                `${P}:rekognition.consumers[0].stack`,
                `"org" is a stack of program organization`,
                "expected a stack of program hosting: dev, prod",
            );
        });

        it("checks no stack names without the project's stacks (while the offline runner discovers references)", () => {
            assert.doesNotThrow(() =>
                parseStackConfig(
                    "research",
                    withConfig(research, {
                        [`${P}:sagemaker`]: { ...registry(), targets: [{ stack: "host01", accountId: "200000000001" }] },
                    }),
                ),
            );
        });
    });
});
