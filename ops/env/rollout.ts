/**
 * `npm run env -- rollout --to <model package ARN>` and `rollback <stack>`: the staged SageMaker
 * rollout (ops/release/rollout.ts), and going back to the package a stack served before.
 */
import * as fs from "fs";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { PROJECT, referencedStack } from "../../lib/naming";
import { UsageError } from "../cli/errors";
import { readStackConfig } from "../project";
import { RolloutStopped, rollback, rollout } from "../release/rollout";
import { automationRolloutDriver } from "../release/rolloutDriver";
import { smokeTestChoice } from "../release/smoke";
import { withEnvironmentLock } from "../stacks/lock";
import {
    CommandGroup,
    STACK_OPTIONS,
    Values,
    consoleBoard,
    defineCommand,
    environmentLock,
    requireOneStack,
    requireTo,
    stacksOptions,
    usageError,
} from "./shared";

const OPTIONS = {
    ...STACK_OPTIONS,
    to: { type: "string" },
    staging: { type: "string" },
    production: { type: "string" },
    approve: { type: "boolean" },
    "smoke-payload": { type: "string" },
    "content-type": { type: "string" },
    "skip-smoke-test": { type: "boolean" },
} as const;
type RolloutValues = Values<typeof OPTIONS>;

function rolloutDriverFor(values: RolloutValues, stack: string, backendUrl: string) {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting" || !config.sagemaker)
        throw new UsageError(`${stack} serves no SageMaker model (cross-account-models:sagemaker in Pulumi.${stack}.yaml)`);
    const payload = values["smoke-payload"];
    return {
        researchStack: referencedStack(config.researchStack),
        driver: automationRolloutDriver({
            ...stacksOptions(values, consoleBoard(), backendUrl),
            region: config.region,
            endpointNameOf: (s) => `${PROJECT}-${s}`,
            payload: payload ? { body: fs.readFileSync(payload), contentType: values["content-type"] ?? "text/csv" } : undefined,
            approved: values.approve === true,
            log: (message) => console.log(`rollout: ${message}`),
        }),
    };
}

async function rolloutCommand(values: RolloutValues, backendUrl: string): Promise<number> {
    const staging = values.staging ?? "dev";
    const production = values.production ?? "prod";
    const smokeTest = smokeTestChoice(values["smoke-payload"], values["skip-smoke-test"] === true, "--smoke-payload");
    const { researchStack, driver } = rolloutDriverFor(values, staging, backendUrl);
    try {
        const state = await withEnvironmentLock(
            environmentLock(backendUrl, [staging]),
            `rollout ${values.to} to ${staging}, ${production}`,
            () => rollout({ modelPackageArn: values.to!, researchStack, staging, production, smokeTest }, driver),
        );
        console.log(
            `rolled out ${state.modelPackageArn}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}; registry approval: ${state.approval ?? "not recorded"}`,
        );
        return 0;
    } catch (err) {
        if (err instanceof RolloutStopped) {
            console.log(`rollout stopped: ${err.message}`);
            return 3;
        }
        throw err;
    }
}

async function rollbackCommand(stack: string, values: RolloutValues, backendUrl: string): Promise<number> {
    const { researchStack, driver } = rolloutDriverFor(values, stack, backendUrl);
    const previous = await withEnvironmentLock(environmentLock(backendUrl, [stack]), `rollback ${stack}`, () =>
        rollback({ stack, researchStack }, driver),
    );
    console.log(`rolled ${stack} back to ${previous}`);
    return 0;
}

export const ROLLOUT_COMMANDS: CommandGroup = {
    commands: [
        defineCommand({
            name: "rollout",
            options: OPTIONS,
            stackOptions: ["staging", "production"],
            help: `  rollout --to <model package ARN>
          (--smoke-payload <file> [--content-type <type>] | --skip-smoke-test)
          [--staging dev] [--production prod] [--approve]
            staged SageMaker rollout: deploy the approved package to staging, invoke
            its endpoint (from inside the VPC, with --smoke-payload; --skip-smoke-test goes on
            untested, recorded in the rollout's state and the approval question), wait for
            approval (--approve, or a prompt on a terminal), then deploy to production; a failed
            stage stops the rollout, rerunning resumes it (from any checkout using the same
            backend). Without a smoke payload or the skip, the rollout is refused (exit 2) before
            anything changes, --approve or not. The package must be in research's
            approvedModelPackages and Approved in the model registry (read as research's
            deployment role when the rollout starts or resumes, again before production, and
            before a rollback): PendingManualApproval (exit 3) or Rejected (exit 1) is refused`,
            check: (stacks, values) => {
                if (stacks.length > 0) throw usageError("rollout takes --staging and --production, not stack names");
                requireTo("rollout", values);
            },
            run: (_stacks, values, backendUrl) => rolloutCommand(values, backendUrl),
        }),
        defineCommand<typeof OPTIONS>({
            name: "rollback",
            options: STACK_OPTIONS,
            help: `  rollback <stack>
            deploy the package the stack served before its current one (after a failed update,
            the one it served before that update), if still approved in the registry; the last
            10 packages are remembered per stack`,
            check: (stacks) => requireOneStack("rollback", stacks),
            run: (stacks, values, backendUrl) => rollbackCommand(stacks[0], values, backendUrl),
        }),
    ],
};
