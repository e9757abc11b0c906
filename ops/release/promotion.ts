/**
 * Promotion of a shared Rekognition model version (Rekognition Custom Labels sharing), in AWS's
 * documented order (grant, test, flip, revoke, optionally stop), each step a stack update: grant
 * the new version to the consumer's access role (research), smoke-test a call through the role,
 * flip the consumer's version parameter, revoke the old version, and optionally stop it. Progress
 * is saved in the backend after every step (a stack tag of the consumer stack), so an interrupted
 * promotion resumes where it stopped, from this checkout or another.
 */
import { OperationResult } from "../stacks/workspace";
import { ResumableStep, runResumableSteps } from "../stacks/steps";
import { OperationStateStore } from "../stacks/stateStore";
import { SmokeTestChoice, requireSmokeTestChoice, smokeTestStep } from "./smoke";
import { arn, rekognitionAccessRoleName } from "../../lib/naming";
import { RawConfig } from "../../lib/config/reader";
import { parseProgramConfig } from "../../lib/config/stackConfig";
import { RekognitionConsumer } from "../../lib/config/rekognitionConfig";

export const PROMOTION_STEPS = ["grant", "smoke-test", "flip", "revoke", "stop-old"] as const;
export type PromotionStep = (typeof PROMOTION_STEPS)[number];

export interface PromotionRequest {
    /** The consumer stack to promote (its `rekognition.activeVersionArn`). */
    readonly stack: string;
    readonly researchStack: string;
    /** The version to promote to. */
    readonly to: string;
    /** Stop the old version when no consumer is granted it any more. */
    readonly stopOld: boolean;
    /** Smoke-test the new version with the test image, or skip it deliberately; `none` is refused. */
    readonly smokeTest: SmokeTestChoice;
}

export interface PromotionState {
    readonly stack: string;
    readonly from: string;
    readonly to: string;
    readonly done: readonly PromotionStep[];
    /** What the smoke test found, or that it was skipped on purpose. */
    readonly smokeTest?: string;
}

/** What a promotion needs from the outside world; the real driver uses Pulumi and AWS, tests script it. */
export interface PromotionDriver {
    /** A stack's configuration as its program receives it; the promotion parses it as the program does. */
    getConfig(stack: string): Promise<RawConfig>;
    /** Sets a value at a config path, e.g. `cross-account-models:rekognition.activeVersionArn`. */
    setConfigPath(stack: string, path: string, value: string): Promise<void>;
    removeConfigPath(stack: string, path: string): Promise<void>;
    up(stack: string): Promise<OperationResult>;
    /** Calls the new version through the consumer's access role; resolves with what was found, or with a reason it was skipped. */
    smokeTest(accessRoleArn: string, version: string): Promise<{ skipped: boolean; detail: string }>;
    /** Stops a model version (StopProjectVersion), describing what was done. */
    stopVersion(version: string): Promise<string>;
    /** Where the promotion's progress is kept: the record `promotion` of the consumer stack. */
    readonly state: OperationStateStore;
    log(message: string): void;
    /** Called as each step begins. */
    stepStarted?(step: PromotionStep): void;
}

const REKOGNITION = "cross-account-models:rekognition";
/** The key of a promotion's record in the consumer stack's state. */
export const PROMOTION_KEY = "promotion";

/**
 * The consumer's entry in research's grants. Its index is the stack file's: a file with an
 * invalid entry is refused by the parser, never parsed with the entry left out.
 */
async function consumerEntry(
    driver: PromotionDriver,
    request: PromotionRequest,
): Promise<{ index: number; entry: RekognitionConsumer; all: readonly RekognitionConsumer[] }> {
    const research = parseProgramConfig(request.researchStack, await driver.getConfig(request.researchStack), "research");
    const all = research.rekognition?.consumers ?? [];
    const index = all.findIndex((c) => c.stack === request.stack);
    if (index < 0)
        throw new Error(
            `${request.researchStack} does not share its Rekognition model with ${request.stack} (${REKOGNITION}.consumers of Pulumi.${request.researchStack}.yaml)`,
        );
    return { index, entry: all[index], all };
}

/** The version a consumer stack's application calls, as its program reads it. */
async function activeVersion(driver: PromotionDriver, stack: string): Promise<string | undefined> {
    return parseProgramConfig(stack, await driver.getConfig(stack), "hosting").rekognition?.activeVersionArn;
}

/** Forgets a promotion in progress; stack configurations stay as its last completed step left them. */
export async function abandonPromotion(stack: string, driver: PromotionDriver): Promise<void> {
    await driver.state.clear(stack, PROMOTION_KEY);
}

/**
 * The promotion to carry out: the saved one when resuming (refused if it goes elsewhere), else a
 * new one from the version the stack calls now. Refused before any stack is changed.
 */
async function startOrResume(request: PromotionRequest, driver: PromotionDriver): Promise<PromotionState> {
    const saved = await driver.state.load<PromotionState>(request.stack, PROMOTION_KEY);
    if (saved && saved.to !== request.to) {
        throw new Error(
            `A promotion of ${request.stack} to ${saved.to} is in progress (done: ${saved.done.join(", ") || "nothing"}); resume it with the same --to, or abandon it first`,
        );
    }
    // Refused first, before any stack is read or changed: a consumer never moves to an untested version by default.
    if (!saved?.done.includes("smoke-test"))
        requireSmokeTestChoice(request.smokeTest, "--smoke-image", `the promotion of ${request.stack} to ${request.to}`);
    const active = await activeVersion(driver, request.stack);
    if (!active)
        throw new Error(
            `${request.stack} calls no shared Rekognition model (${REKOGNITION}.activeVersionArn in Pulumi.${request.stack}.yaml)`,
        );
    const state: PromotionState = saved ?? { stack: request.stack, from: active, to: request.to, done: [] };
    if (!saved && state.from === state.to) throw new Error(`${request.stack} already calls ${request.to}`);
    if (saved) driver.log(`resuming the promotion of ${request.stack} to ${request.to} after: ${saved.done.join(", ") || "nothing"}`);
    return state;
}

/**
 * The promotion's steps in AWS's order. Each edit is by index into research's grant list: the
 * environment lock keeps two operations from racing on it.
 */
function promotionSteps(
    request: PromotionRequest,
    driver: PromotionDriver,
    { from, to }: PromotionState,
): Record<PromotionStep, ResumableStep<PromotionState>> {
    const { researchStack } = request;
    return {
        grant: {
            ensureConfig: async () => {
                const { index, entry } = await consumerEntry(driver, request);
                if (entry.grantedVersions.includes(to)) return [];
                await driver.setConfigPath(
                    researchStack,
                    `${REKOGNITION}.consumers[${index}].grantedVersions[${entry.grantedVersions.length}]`,
                    to,
                );
                return [researchStack];
            },
            run: async () => {
                await driver.up(researchStack);
                driver.log(`granted ${to} to ${request.stack}'s access role; ${from} stays granted during the switch`);
            },
        },
        "smoke-test": {
            run: async () => {
                const smokeTest = await smokeTestStep(request.smokeTest, "--smoke-image", request.stack, async () =>
                    driver.smokeTest(await accessRoleOf(driver, request), to),
                );
                driver.log(`smoke test ${smokeTest}`);
                return { smokeTest };
            },
        },
        flip: {
            ensureConfig: async () => {
                if ((await activeVersion(driver, request.stack)) === to) return [];
                await driver.setConfigPath(request.stack, `${REKOGNITION}.activeVersionArn`, to);
                return [request.stack];
            },
            run: async () => {
                await driver.up(request.stack);
                driver.log(`${request.stack}'s version parameter now names ${to}`);
            },
        },
        revoke: {
            ensureConfig: async () => {
                const { index, entry } = await consumerEntry(driver, request);
                const old = entry.grantedVersions.indexOf(from);
                if (old < 0) return [];
                await driver.removeConfigPath(researchStack, `${REKOGNITION}.consumers[${index}].grantedVersions[${old}]`);
                return [researchStack];
            },
            run: async () => {
                await driver.up(researchStack);
                driver.log(`revoked ${from} from ${request.stack}'s access role`);
            },
        },
        "stop-old": {
            run: async () => {
                if (!request.stopOld) return driver.log("old version left running (no --stop-old)");
                const { all } = await consumerEntry(driver, request);
                const stillUsed = all.filter((c) => c.grantedVersions.includes(from)).map((c) => c.stack);
                if (stillUsed.length > 0) return driver.log(`old version not stopped: still granted to ${stillUsed.join(", ")}`);
                driver.log(await driver.stopVersion(from));
            },
        },
    };
}

/**
 * Moves a consumer stack to another Rekognition model version in AWS's order (grant, smoke test,
 * flip, revoke, optionally stop the old one), resuming where an interrupted promotion stopped.
 */
export async function promote(request: PromotionRequest, driver: PromotionDriver): Promise<PromotionState> {
    const state = await startOrResume(request, driver);
    const finished = await runResumableSteps(PROMOTION_STEPS, promotionSteps(request, driver, state), state, {
        save: (s) => driver.state.save(request.stack, PROMOTION_KEY, s),
        log: (m) => driver.log(m),
        started: (step) => driver.stepStarted?.(step),
    });
    await driver.state.clear(request.stack, PROMOTION_KEY);
    return finished;
}

/** The consumer's access role in the ML account (the account of the version), by its deterministic name. */
async function accessRoleOf(driver: PromotionDriver, request: PromotionRequest): Promise<string> {
    const { entry } = await consumerEntry(driver, request);
    const [, partition, , mlAccount] = /^arn:([^:]+):rekognition:([^:]+):(\d{12}):/.exec(request.to)!;
    return arn.role(partition, mlAccount, rekognitionAccessRoleName(entry.accountId));
}
