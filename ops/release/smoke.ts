/**
 * The smoke test before a consumer or production moves to another model. It runs with an input
 * (a test image or payload), or is skipped only because the operator said so (--skip-smoke-test);
 * either way the outcome is recorded in the operation's state. A test that could not run never
 * counts as passed: that is how an untested model used to reach production.
 */
import { UsageError } from "../cli/errors";

/** `run`: an input was given; `skip`: --skip-smoke-test; `none`: neither, which is refused. */
export type SmokeTestChoice = "run" | "skip" | "none";

export interface SmokeTestOutcome {
    readonly skipped: boolean;
    readonly detail: string;
}

/** The choice from the command line; both an input and the skip flag contradict each other. */
export function smokeTestChoice(input: string | undefined, skip: boolean, inputFlag: string): SmokeTestChoice {
    if (input !== undefined && skip) throw new UsageError(`${inputFlag} and --skip-smoke-test contradict each other; give one of them`);
    return input !== undefined ? "run" : skip ? "skip" : "none";
}

/** Refuses, before anything changes, an operation whose smoke test is still to run and has neither an input nor the skip. */
export function requireSmokeTestChoice(choice: SmokeTestChoice, inputFlag: string, target: string): void {
    if (choice === "none") {
        throw new UsageError(`${target} needs a smoke test: give ${inputFlag} <file>, or --skip-smoke-test to go on untested (recorded)`);
    }
}

/** Runs or skips the smoke test as chosen; resolves with the record kept in the state. */
export async function smokeTestStep(
    choice: SmokeTestChoice,
    inputFlag: string,
    target: string,
    run: () => Promise<SmokeTestOutcome>,
): Promise<string> {
    requireSmokeTestChoice(choice, inputFlag, target);
    if (choice === "skip") return `skipped (--skip-smoke-test): ${target} goes on untested`;
    const result = await run();
    if (result.skipped) throw new Error(`smoke test of ${target} did not run: ${result.detail}`);
    return `passed: ${result.detail}`;
}
