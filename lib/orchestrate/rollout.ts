/**
 * Staged rollout of an approved SageMaker model package (seed 003): deploy to staging, smoke-test
 * the staging endpoint, wait for an approval, then deploy to production. Each deployment is a
 * stack update; a failed stage stops the rollout (rerun to resume), and every deployed package is
 * remembered per stack, so rolling back to the previous one is one command.
 */
import { OperationResult } from "./workspace";
import { runResumableSteps } from "./steps";
import { SmokeTestChoice, requireSmokeTestChoice, smokeTestStep } from "./smoke";

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
}

export interface RolloutDriver {
    getConfig(stack: string, key: string): Promise<unknown>;
    setConfigPath(stack: string, path: string, value: string): Promise<void>;
    up(stack: string): Promise<OperationResult>;
    /** Calls a stack's endpoint with a test payload; resolves with what came back, or with why it was skipped. */
    smokeTest(stack: string): Promise<{ skipped: boolean; detail: string }>;
    /** Asks for the approval to go to production (a flag, or a prompt); false stops the rollout before production. */
    approve(question: string): Promise<boolean>;
    loadState(): Promise<RolloutState | undefined>;
    saveState(state: RolloutState | undefined): Promise<void>;
    /** Packages a stack served after each successful update, oldest first. */
    loadHistory(stack: string): Promise<string[]>;
    saveHistory(stack: string, packages: string[]): Promise<void>;
    log(message: string): void;
}

const SAGEMAKER = "cross-account-models:sagemaker";

export class RolloutStopped extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RolloutStopped";
    }
}

async function servedPackage(driver: RolloutDriver, stack: string): Promise<string> {
    const current = ((await driver.getConfig(stack, SAGEMAKER)) as { modelPackageArn?: string } | undefined)?.modelPackageArn;
    if (!current) throw new Error(`${stack} serves no SageMaker model (${SAGEMAKER}.modelPackageArn in Pulumi.${stack}.yaml)`);
    return current;
}

/**
 * Points a stack at a package and updates it. The history holds what the stack served after each
 * successful update, oldest first: before the first rollout it is seeded with the package the
 * stack's config names (what its last update deployed), and a package is appended only once its
 * update succeeded, so a failed update never becomes a rollback target.
 */
async function deploy(driver: RolloutDriver, stack: string, modelPackageArn: string): Promise<void> {
    const current = await servedPackage(driver, stack);
    let history = await driver.loadHistory(stack);
    if (history.length === 0) {
        history = [current];
        await driver.saveHistory(stack, history);
    }
    if (current !== modelPackageArn) {
        await driver.setConfigPath(stack, `${SAGEMAKER}.modelPackageArn`, modelPackageArn);
    }
    await driver.up(stack);
    if (history[history.length - 1] !== modelPackageArn) await driver.saveHistory(stack, [...history, modelPackageArn]);
}

export async function rollout(request: RolloutRequest, driver: RolloutDriver): Promise<RolloutState> {
    const saved = await driver.loadState();
    if (saved && saved.modelPackageArn !== request.modelPackageArn) {
        throw new Error(`A rollout of ${saved.modelPackageArn} is in progress (done: ${saved.done.join(", ") || "nothing"}); finish it, or roll back first`);
    }
    const state: RolloutState = saved ?? { modelPackageArn: request.modelPackageArn, done: [] };
    // Refused first, before any stack is read or changed: an approval must never let an untested package through.
    if (!state.done.includes("smoke-test-staging")) requireSmokeTestChoice(request.smokeTest, "--smoke-payload", `the rollout of ${request.modelPackageArn} to ${request.production}`);
    const registry = (await driver.getConfig(request.researchStack, SAGEMAKER)) as { approvedModelPackages?: string[] } | undefined;
    if (!registry?.approvedModelPackages?.includes(request.modelPackageArn)) {
        throw new Error(`${request.modelPackageArn} is not approved in ${SAGEMAKER}.approvedModelPackages of Pulumi.${request.researchStack}.yaml; approve it and deploy ${request.researchStack} first`);
    }
    let smokeTest = state.smokeTest;
    const steps: Record<RolloutStep, () => Promise<Partial<RolloutState> | void>> = {
        "deploy-staging": () => deploy(driver, request.staging, request.modelPackageArn),
        "smoke-test-staging": async () => {
            smokeTest = await smokeTestStep(request.smokeTest, "--smoke-payload", request.staging, () => driver.smokeTest(request.staging));
            driver.log(`smoke test ${smokeTest}`);
            return { smokeTest };
        },
        approval: async () => {
            if (!(await driver.approve(`Deploy ${request.modelPackageArn} to ${request.production} (smoke test ${smokeTest ?? "not recorded"})?`))) {
                throw new RolloutStopped(`${request.modelPackageArn} runs in ${request.staging}; waiting for approval before ${request.production} (rerun with --approve)`);
            }
        },
        "deploy-production": () => deploy(driver, request.production, request.modelPackageArn),
    };
    const finished = await runResumableSteps(ROLLOUT_STEPS, steps, state, { save: (s) => driver.saveState(s), log: (m) => driver.log(m) });
    await driver.saveState(undefined);
    return finished;
}

/**
 * Deploys the package the stack served before its current one. When the last update failed, the
 * config names a package the history never recorded, and the last package served is the target;
 * otherwise it is the one before the last.
 */
export async function rollback(stack: string, driver: RolloutDriver): Promise<string> {
    const history = await driver.loadHistory(stack);
    const current = await servedPackage(driver, stack);
    const target = history[history.length - 1] === current ? history.length - 2 : history.length - 1;
    if (target < 0) throw new Error(`${stack} has no earlier package to roll back to (no rollout recorded)`);
    const previous = history[target];
    await driver.setConfigPath(stack, `${SAGEMAKER}.modelPackageArn`, previous);
    await driver.up(stack);
    await driver.saveHistory(stack, history.slice(0, target + 1));
    await driver.saveState(undefined);
    driver.log(`${stack} serves ${previous} again`);
    return previous;
}
