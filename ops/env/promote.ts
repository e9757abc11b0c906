/**
 * `npm run env -- promote <stack> --to <version ARN>`: moves a consumer stack to another
 * Rekognition model version in AWS's order (ops/release/promotion.ts), resumably.
 */
import * as fs from "fs";
import { plaintextOf } from "../../lib/config/secret";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { referencedStack } from "../../lib/naming";
import { UsageError } from "../cli/errors";
import { readStackConfig } from "../project";
import { abandonPromotion, promote } from "../release/promotion";
import { automationPromotionDriver } from "../release/promotionDriver";
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
} from "./shared";

const OPTIONS = {
    ...STACK_OPTIONS,
    to: { type: "string" },
    "stop-old": { type: "boolean" },
    "smoke-image": { type: "string" },
    "skip-smoke-test": { type: "boolean" },
    abandon: { type: "boolean" },
} as const;

async function promoteCommand(stack: string, values: Values<typeof OPTIONS>, backendUrl: string): Promise<number> {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting")
        throw new UsageError(`${stack} is a ${config.program} stack; promote moves a consumer (hosting) stack`);
    const image = values["smoke-image"];
    const smokeTest = smokeTestChoice(image, values["skip-smoke-test"] === true, "--smoke-image");
    const driver = automationPromotionDriver({
        ...stacksOptions(values, consoleBoard(), backendUrl),
        region: config.region,
        smokeImage: image ? fs.readFileSync(image) : undefined,
        // Only the smoke test (with an image) calls STS with it; a secret must be decrypted for that.
        externalId: image ? plaintextOf(config.rekognition?.externalId) : undefined,
        log: (message) => console.log(`promote ${stack}: ${message}`),
    });
    return withEnvironmentLock(environmentLock(backendUrl, [stack]), `promote ${stack}${values.abandon ? " --abandon" : ""}`, async () => {
        if (values.abandon) {
            await abandonPromotion(stack, driver);
            console.log(`forgot the promotion of ${stack} in progress; stack configurations are as the last completed step left them`);
            return 0;
        }
        const state = await promote(
            {
                stack,
                researchStack: referencedStack(config.researchStack),
                to: values.to!,
                stopOld: values["stop-old"] === true,
                smokeTest,
            },
            driver,
        );
        console.log(
            `promoted ${stack} from ${state.from} to ${state.to}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}`,
        );
        return 0;
    });
}

export const PROMOTE_COMMANDS: CommandGroup = {
    commands: [
        defineCommand({
            name: "promote",
            options: OPTIONS,
            help: `  promote <stack> --to <version ARN> (--smoke-image <file> | --skip-smoke-test)
          [--stop-old] [--abandon]
            move a consumer stack to another Rekognition model version in AWS's order:
            grant (research up), smoke test through the access role (with --smoke-image, run
            with the application role's credentials; --skip-smoke-test goes on untested, and
            the skip is recorded), flip the version parameter (<stack> up),
            revoke the old version (research up), optionally stop it; resumes where an
            interrupted promotion stopped, from any checkout using the same backend (its state
            is a stack tag of <stack>); --abandon forgets it.
            See it offline first: npm run plan -- --promote <stack> --to <version ARN>`,
            check: (stacks, values) => {
                requireOneStack("promote", stacks);
                if (!values.abandon) requireTo("promote", values);
            },
            run: (stacks, values, backendUrl) => promoteCommand(stacks[0], values, backendUrl),
        }),
    ],
};
