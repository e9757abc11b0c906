/**
 * Who may assume a target's SageMaker deployment role (`sagemaker.deployerArns` of a hosting
 * stack): roles of the hosting account or of the development (research) account, where seed 003's
 * pipeline runs; any other account is refused, naming both allowed accounts.
 */
import { strict as assert } from "assert";
import { HostingConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { checkSageMakerAgainstResearch } from "../../lib/config/researchExports";
import { readStackConfig } from "../../ops/project";
import { DEV, OUTSIDER, PROD, RESEARCH, researchExports, shippedStack, withConfig } from "../helpers";
import { assertNames, configError, refusedRun, thrownConfigError } from "./expect";

const P = "cross-account-models";
const KEY = `${P}:sagemaker.deployerArns`;
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const PIPELINE = role(RESEARCH, "ml-deployment-pipeline");

describe("configuration: SageMaker deployers (seed 003: the development account's pipeline deploys)", () => {
    const stacks = readProjectStacks();
    const dev = readStackConfig("dev");
    const hosting = () => JSON.parse(dev[`${P}:sagemaker`]);
    const withDeployers = (deployerArns: unknown[], extra: object = {}) =>
        withConfig(dev, { [`${P}:sagemaker`]: { ...hosting(), ...extra, deployerArns } });
    const deployersOf = (config: ReturnType<typeof parseStackConfig>) => (config as HostingConfig).sagemaker!.deployerArns;

    it("ships the development account's CI role as the deployer of dev and prod", () => {
        for (const stack of ["dev", "prod"]) {
            assert.deepEqual(deployersOf(parseStackConfig(stack, readStackConfig(stack), { stacks })), [PIPELINE], stack);
        }
    });

    it("accepts roles of the development account (the research stack's) and of the hosting account, together", () => {
        const both = [PIPELINE, role(RESEARCH, "team/ml-deploy"), role(DEV, "ml-deployment-pipeline")];
        assert.deepEqual(deployersOf(parseStackConfig("dev", withDeployers(both), { stacks })), both);
    });

    it("refuses a role of any other account, before anything is declared, naming the key and both allowed accounts", async () => {
        const outsider = role(OUTSIDER, "ml-platform-ci");
        const message = await refusedRun("dev", withDeployers([PIPELINE, outsider]));
        assertNames(
            message,
            "Pulumi.dev.yaml",
            `${KEY}[1]: "${outsider}" is a role of account ${OUTSIDER}, which may not deploy to this stack`,
            `this stack's account ${DEV} (aws:allowedAccountIds)`,
            `the development account ${RESEARCH} (the account of research stack research, aws:allowedAccountIds of Pulumi.research.yaml)`,
            `expected arn:aws:iam::${DEV}:role/<name> or arn:aws:iam::${RESEARCH}:role/<name>`,
        );
        assert.ok(!message.includes(`${KEY}[0]`), message);
        // Another hosting account of the project is not the development account either.
        const other = configError("dev", withDeployers([role(PROD, "ml-platform-ci")]), { stacks });
        assertNames(other, "Pulumi.dev.yaml", `${KEY}[0]`, `is a role of account ${PROD}`, `or arn:aws:iam::${RESEARCH}:role/<name>`);
    });

    it("refuses what is not a role ARN of the stack's partition, with the expected forms", () => {
        for (const bad of [`arn:aws:iam::${RESEARCH}:user/ci`, `arn:aws-cn:iam::${RESEARCH}:role/ci`, "ml-platform-ci"]) {
            const message = configError("dev", withDeployers([bad]), { stacks });
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${KEY}[0]: "${bad}" is not an IAM role ARN`,
                `expected arn:aws:iam::${DEV}:role/<name> or arn:aws:iam::${RESEARCH}:role/<name>`,
            );
        }
    });

    it("takes the research stack's account over the registry's when the stack file gives it", () => {
        // A package of another account (research refuses to serve it at deployment) does not make that account a deployer.
        const elsewhere = "555566667777";
        const message = configError(
            "dev",
            withDeployers([role(elsewhere, "ml-platform-ci")], {
                modelPackageArn: `arn:aws:sagemaker:us-east-1:${elsewhere}:model-package/abalone-models/4`,
            }),
            { stacks },
        );
        assertNames(message, "Pulumi.dev.yaml", `${KEY}[0]`, `is a role of account ${elsewhere}`, `the development account ${RESEARCH}`);
    });

    describe("without the project's stacks (the development account from the registry, checked at deployment)", () => {
        it("accepts a role of the registry's account (sagemaker.modelPackageArn) and refuses any other, naming both", () => {
            assert.deepEqual(deployersOf(parseStackConfig("dev", withDeployers([PIPELINE]))), [PIPELINE]);
            const message = configError("dev", withDeployers([role(OUTSIDER, "ml-platform-ci")]));
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${KEY}[0]`,
                `this stack's account ${DEV}`,
                `the development account ${RESEARCH} (the account of its model registry, ${P}:sagemaker.modelPackageArn)`,
            );
        });

        it("checks deployers for their form only while the setting that gives the development account is refused, reporting that setting alone", () => {
            // Neither the research stack's file nor modelPackageArn (refused) gives the development
            // account: which accounts may deploy is decided once modelPackageArn is valid.
            const message = configError(
                "dev",
                withDeployers([PIPELINE, role(OUTSIDER, "ml-platform-ci")], { modelPackageArn: "abalone-models/4" }),
            );
            assert.deepEqual(message.split("\n"), [
                "Invalid configuration in Pulumi.dev.yaml:",
                `  - ${P}:sagemaker.modelPackageArn: "abalone-models/4" is not a model package version ARN; expected arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version number>`,
            ]);
            // What is not a role ARN is still refused.
            assertNames(
                configError("dev", withDeployers(["ml-platform-ci"], { modelPackageArn: "abalone-models/4" })),
                "Pulumi.dev.yaml",
                `${KEY}[0]: "ml-platform-ci" is not an IAM role ARN`,
            );
        });

        it("refuses at deployment, before anything is declared, a deployer of another account than the research stack's", async () => {
            // Parsed without the research stack's account, a role of the registry's account passes;
            // the research stack's exports then say which account is the development account.
            const elsewhere = "555566667777";
            const config = parseStackConfig(
                "dev",
                withDeployers([role(DEV, "ml-deployment-pipeline"), role(elsewhere, "ml-platform-ci")], {
                    modelPackageArn: `arn:aws:sagemaker:us-east-1:${elsewhere}:model-package/abalone-models/4`,
                }),
            ) as HostingConfig;
            const research = researchExports(await shippedStack("research"));
            const message = thrownConfigError(() =>
                checkSageMakerAgainstResearch(config, research, config.researchStack, ["us-east-1a", "us-east-1b"]),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${KEY}[1]: "${role(elsewhere, "ml-platform-ci")}" is a role of account ${elsewhere}`,
                `neither this stack's account ${DEV} nor the development account ${RESEARCH}`,
            );
            assert.ok(!message.includes(`${KEY}[0]`), message);
            // The shipped deployer passes the same check.
            const shipped = parseStackConfig("dev", dev) as HostingConfig;
            assert.doesNotThrow(() =>
                checkSageMakerAgainstResearch(shipped, research, shipped.researchStack, ["us-east-1a", "us-east-1b"]),
            );
        });
    });
});
