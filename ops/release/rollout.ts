/**
 * Staged rollout of an approved SageMaker model package (SageMaker hosting): deploy to staging,
 * smoke-test the staging endpoint, wait for an approval, then deploy to production. Each deployment
 * is a stack update; a failed stage stops the rollout (rerun to resume, from this checkout or
 * another), and the packages each stack served are remembered in the backend, so rolling back to
 * the previous one is one command, from any checkout. The package must be granted by research
 * and approved in the model registry (registryGate.ts): checked before anything changes, again
 * before production, and before a rollback.
 */
import { OperationResult } from "../stacks/workspace";
import { ResumableStep, runResumableSteps } from "../stacks/steps";
import { OperationStateStore } from "../stacks/stateStore";
import { SmokeTestChoice, requireSmokeTestChoice, smokeTestStep } from "./smoke";
import { RawConfig } from "../../lib/config/reader";
import { parseProgramConfig } from "../../lib/config/stackConfig";
import { ModelRegistry, grantingResearch, requireApproved } from "./registryGate";

export const ROLLOUT_STEPS = ["deploy-staging", "smoke-test-staging", "approval", "deploy-production"] as const;
export type RolloutStep = (typeof ROLLOUT_STEPS)[number];

export interface RolloutRequest {
    readonly modelPackageArn: string;
    readonly researchStack: string;
    readonly staging: string;
    readonly production: string;
    /** Smoke-test the staging endpoint with the payload, or skip it deliberately; `none` is refused. */
    readonly smokeTest: SmokeTestChoice;
}

export interface RolloutState {
    readonly modelPackageArn: string;
    readonly done: readonly RolloutStep[];
    /** What the smoke test of staging found, or that it was skipped on purpose. */
    readonly smokeTest?: string;
    /** The registry's approval as last verified (its ApprovalDescription: who approved, when). */
    readonly approval?: string;
}

export interface RolloutDriver {
    /** A stack's configuration as its program receives it; the rollout parses it as the program does. */
    getConfig(stack: string): Promise<RawConfig>;
    setConfigPath(stack: string, path: string, value: string): Promise<void>;
    up(stack: string): Promise<OperationResult>;
    /** Calls a stack's endpoint with a test payload; resolves with what came back, or with why it was skipped. */
    smokeTest(stack: string): Promise<{ skipped: boolean; detail: string }>;
    /** Asks for the approval to go to production (a flag, or a prompt); false stops the rollout before production. */
    approve(question: string): Promise<boolean>;
    /** The research account's model registry, called as the research stack's deployment identity. */
    readonly registry: ModelRegistry;
    /**
     * Where the rollout in progress (record `rollout` of the research stack, whose registry it
     * rolls out from) and each stack's package history (record `rollout-history` of that stack) are kept.
     */
    readonly state: OperationStateStore;
    log(message: string): void;
}

const SAGEMAKER = "cross-account-models:sagemaker";
export const ROLLOUT_KEY = "rollout";
export const HISTORY_KEY = "rollout-history";
/** The packages a stack's history keeps, newest last: enough to step back through; older ones are dropped. */
export const HISTORY_LIMIT = 10;

/** What a stack served, kept in the backend so a rollback from any checkout picks the same target. */
export interface PackageHistory {
    /** The package the stack served after each successful update, oldest first, the last HISTORY_LIMIT. */
    readonly served: readonly string[];
    /** A package whose update started and has not succeeded: the stack may run part of it. */
    readonly attempted?: string;
}

export async function packageHistory(driver: RolloutDriver, stack: string): Promise<PackageHistory> {
    return (await driver.state.load<PackageHistory>(stack, HISTORY_KEY)) ?? { served: [] };
}

async function saveHistory(driver: RolloutDriver, stack: string, history: PackageHistory): Promise<void> {
    await driver.state.save(stack, HISTORY_KEY, { ...history, served: history.served.slice(-HISTORY_LIMIT) });
}

export class RolloutStopped extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RolloutStopped";
    }
}

async function servedPackage(driver: RolloutDriver, stack: string): Promise<string> {
    const current = parseProgramConfig(stack, await driver.getConfig(stack), "hosting").sagemaker?.modelPackageArn;
    if (!current) throw new Error(`${stack} serves no SageMaker model (${SAGEMAKER}.modelPackageArn in Pulumi.${stack}.yaml)`);
    return current;
}

/**
 * Before a stack's first rollout its history is seeded with the package its config names (what its
 * last update deployed). Done before any step, so every checkout seeds from a config no step edited.
 */
async function seedHistory(driver: RolloutDriver, stack: string): Promise<void> {
    if ((await packageHistory(driver, stack)).served.length === 0)
        await saveHistory(driver, stack, { served: [await servedPackage(driver, stack)] });
}

/** Points this checkout's config of a stack at a package, without an update; resolves with the stack if its file changed. */
async function ensureServing(driver: RolloutDriver, stack: string, modelPackageArn: string): Promise<string[]> {
    if ((await servedPackage(driver, stack)) === modelPackageArn) return [];
    await driver.setConfigPath(stack, `${SAGEMAKER}.modelPackageArn`, modelPackageArn);
    return [stack];
}

/**
 * Updates a stack whose config names the package. The package is recorded as attempted before the
 * update and appended to what the stack served only once the update succeeded, so a failed update
 * never becomes a rollback target, and a rollback knows the stack may run part of it.
 */
async function deploy(driver: RolloutDriver, stack: string, modelPackageArn: string): Promise<void> {
    const history = await packageHistory(driver, stack);
    const last = history.served[history.served.length - 1];
    if (last !== modelPackageArn && history.attempted !== modelPackageArn)
        await saveHistory(driver, stack, { ...history, attempted: modelPackageArn });
    await driver.up(stack);
    if (last !== modelPackageArn || history.attempted !== undefined) {
        await saveHistory(driver, stack, { served: last === modelPackageArn ? history.served : [...history.served, modelPackageArn] });
    }
}

export async function rollout(request: RolloutRequest, driver: RolloutDriver): Promise<RolloutState> {
    const saved = await driver.state.load<RolloutState>(request.researchStack, ROLLOUT_KEY);
    if (saved && saved.modelPackageArn !== request.modelPackageArn) {
        throw new Error(
            `A rollout of ${saved.modelPackageArn} is in progress (done: ${saved.done.join(", ") || "nothing"}); finish it, or roll back first`,
        );
    }
    const pkg = request.modelPackageArn;
    // Refused first, before any stack is read or changed: an approval must never let an untested package through.
    if (!saved?.done.includes("smoke-test-staging"))
        requireSmokeTestChoice(request.smokeTest, "--smoke-payload", `the rollout of ${pkg} to ${request.production}`);
    // Also on resume: the registry's approval may have been revoked since the rollout stopped.
    let approval = await verifiedApproval(
        driver,
        request.researchStack,
        pkg,
        saved
            ? `the rollout stops (done: ${saved.done.join(", ") || "nothing"}); to stop serving it, roll back (npm run env -- rollback ${request.staging})`
            : "the rollout changed nothing",
    );
    const state: RolloutState = { ...(saved ?? { modelPackageArn: pkg, done: [] }), approval };
    if (saved) driver.log(`resuming the rollout of ${pkg} after: ${saved.done.join(", ") || "nothing"}`);
    driver.log(`registry approval: ${approval}`);
    for (const stack of [request.staging, request.production]) await seedHistory(driver, stack);
    let smokeTest = state.smokeTest;
    const steps: Record<RolloutStep, ResumableStep<RolloutState>> = {
        "deploy-staging": {
            ensureConfig: () => ensureServing(driver, request.staging, pkg),
            run: () => deploy(driver, request.staging, pkg),
        },
        "smoke-test-staging": {
            run: async () => {
                smokeTest = await smokeTestStep(request.smokeTest, "--smoke-payload", request.staging, () =>
                    driver.smokeTest(request.staging),
                );
                driver.log(`smoke test ${smokeTest}`);
                return { smokeTest };
            },
        },
        approval: {
            run: async () => {
                const question = `Deploy ${pkg} to ${request.production} (smoke test ${smokeTest ?? "not recorded"}; registry: ${approval})?`;
                if (!(await driver.approve(question))) {
                    throw new RolloutStopped(
                        `${pkg} runs in ${request.staging}; waiting for approval before ${request.production} (rerun with --approve)`,
                    );
                }
            },
        },
        "deploy-production": {
            // Before production's config or stack changes: an approval revoked since the start stops here.
            gate: async () => {
                approval = await verifiedApproval(
                    driver,
                    request.researchStack,
                    pkg,
                    `the rollout stops before ${request.production}; ${request.staging} serves it: roll it back (npm run env -- rollback ${request.staging})`,
                );
            },
            ensureConfig: () => ensureServing(driver, request.production, pkg),
            run: async () => {
                await deploy(driver, request.production, pkg);
                return { approval };
            },
        },
    };
    const finished = await runResumableSteps(ROLLOUT_STEPS, steps, state, {
        save: (s) => driver.state.save(request.researchStack, ROLLOUT_KEY, s),
        log: (m) => driver.log(m),
    });
    await driver.state.clear(request.researchStack, ROLLOUT_KEY);
    return finished;
}

/** The registry's approval of a package research grants; refuses, saying what `refused` means, anything else. */
async function verifiedApproval(driver: RolloutDriver, researchStack: string, modelPackageArn: string, refused: string): Promise<string> {
    const research = await grantingResearch(driver, researchStack, modelPackageArn);
    return requireApproved(driver.registry, research, modelPackageArn, refused);
}

/**
 * Deploys the package the stack served before its current one: after an update that did not
 * succeed (a package attempted, never served), the last package served; otherwise the one before
 * it. Decided from the history in the backend, not this checkout's config, which may be behind.
 * A rollback ends the rollout in progress, if any. The package must still be granted and approved
 * in the registry: one rejected since it was served (found faulty) must not come back by rollback.
 */
export async function rollback(target: { stack: string; researchStack: string }, driver: RolloutDriver): Promise<string> {
    const { stack } = target;
    const { served, attempted } = await packageHistory(driver, stack);
    const index = attempted !== undefined && attempted !== served[served.length - 1] ? served.length - 1 : served.length - 2;
    if (index < 0) throw new Error(`${stack} has no earlier package to roll back to (no rollout recorded)`);
    const previous = served[index];
    await verifiedApproval(driver, target.researchStack, previous, `the rollback of ${stack} changed nothing`);
    const changed = await ensureServing(driver, stack, previous);
    await driver.up(stack);
    await saveHistory(driver, stack, { served: served.slice(0, index + 1) });
    await driver.state.clear(target.researchStack, ROLLOUT_KEY);
    driver.log(`${stack} serves ${previous} again${changed.length ? `; commit Pulumi.${stack}.yaml` : ""}`);
    return previous;
}
