/**
 * The project's stacks, for settings that name another stack (`researchStack`, consumer and target
 * stacks) or another stack's account (guardrail targets): a name with no stack file is a typo, and
 * is caught with the list of stacks before anything is declared, not by a failed StackReference.
 */
import { ConfigReader } from "./reader";
import { listStackFiles, readStackFile, PROJECT_DIR } from "./stackFile";
import { stackFileName } from "./errors";
import { didYouMean } from "./suggest";
import { PROJECT } from "../naming";

/** What other stacks' settings are checked against: the program and account of a stack. */
export interface StackSummary {
    /** `cross-account-models:program`, when the stack file says. */
    readonly program?: string;
    /** The one account of `aws:allowedAccountIds`, when the stack file says. */
    readonly accountId?: string;
    /** A bootstrap stack whose deployment role requires an external ID of every caller. */
    readonly requiresExternalId?: boolean;
}

/** Every stack of the project by name. */
export type ProjectStacks = ReadonlyMap<string, StackSummary>;

/** The stacks with a stack file in `dir`; a stack file that cannot be read still names a stack. */
export function readProjectStacks(dir = PROJECT_DIR): Map<string, StackSummary> {
    return new Map(listStackFiles(dir).map((stack) => [stack, summaryOf(stack, dir)]));
}

function summaryOf(stack: string, dir: string): StackSummary {
    try {
        const raw = readStackFile(stack, dir);
        const accounts: unknown = JSON.parse(raw["aws:allowedAccountIds"] ?? "[]");
        const deployment: unknown = JSON.parse(raw[`${PROJECT}:deployment`] ?? "{}");
        return {
            program: raw[`${PROJECT}:program`],
            accountId: Array.isArray(accounts) && accounts.length === 1 ? String(accounts[0]) : undefined,
            ...(typeof deployment === "object" && deployment !== null && "externalId" in deployment ? { requiresExternalId: true } : {}),
        };
    } catch {
        // Its own problems are reported when that stack runs, not in every stack naming it.
        return {};
    }
}

/** The bootstrap stack that creates an account's deployment role, if the project has one. */
export function bootstrapStackOf(stacks: ProjectStacks, accountId: string): string | undefined {
    return [...stacks].find(([, s]) => s.program === "bootstrap" && s.accountId === accountId)?.[0];
}

/** The stacks of a program, for messages. */
export function stacksOf(stacks: ProjectStacks, program: string): string[] {
    return [...stacks].filter(([, s]) => s.program === program).map(([name]) => name);
}

/** What a stack named by a setting must be: of a program, and (with `accountId`) in an account. */
export interface StackExpectation {
    readonly program: string;
    /** The account the setting pairs with the stack, and the key that gives it. */
    readonly accountId?: string;
    readonly accountKey?: string;
}

/**
 * Checks a stack named at `at` against the project's stacks: it exists, runs `program` and, when
 * the setting pairs it with an account, deploys into that account. Without `stacks` (while the
 * offline runner only discovers references) nothing is checked.
 */
export function checkStackName(
    reader: ConfigReader,
    at: string,
    name: string,
    stacks: ProjectStacks | undefined,
    want: StackExpectation,
): void {
    if (!stacks) return;
    const found = stacks.get(name);
    const names = [...stacks.keys()];
    if (!found) {
        reader.issues.add(
            at,
            `"${name}" is not a stack of this project (there is no ${stackFileName(name)}); ${didYouMean(name, names)}expected one of ${names.join(", ") || "(no stacks)"}`,
        );
        return;
    }
    if (found.program !== undefined && found.program !== want.program) {
        reader.issues.add(
            at,
            `"${name}" is a stack of program ${found.program} (${PROJECT}:program of ${stackFileName(name)}); expected a stack of program ${want.program}: ${stacksOf(stacks, want.program).join(", ") || "(none)"}`,
        );
        return;
    }
    if (want.accountId && want.accountKey && found.accountId && found.accountId !== want.accountId) {
        reader.issues.add(
            want.accountKey,
            `"${want.accountId}" is not the account of stack ${name}; expected "${found.accountId}" (aws:allowedAccountIds of ${stackFileName(name)})`,
        );
    }
}
