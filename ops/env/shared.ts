/**
 * What several `npm run env` command groups share: the shape of a command, the options they have
 * in common, the environment's lock, the settings of the stacks they run, and the sections of
 * --help that are about the environment rather than one command.
 */
import * as path from "path";
import { OptionSpec, ParsedArgs } from "../cli/args";
import { UsageError } from "../cli/errors";
import { DEFAULT_PACK_DIR, EXAMPLE_CONFIG_PATH, PROJECT_DIR, readStackConfig } from "../project";
import { AutomationWorkspace } from "../stacks/automation";
import { EnvironmentLockOptions } from "../stacks/lock";
import { MIN_PULUMI_CLI } from "../stacks/prerequisites";
import { ProgressBoard } from "../stacks/progress";
import { automationStackTags, lazyWorkspace } from "../stacks/stackTags";
import { PROJECT, referencedStack } from "../../lib/naming";

export const USAGE = "npm run env --";

export type Options = Record<string, OptionSpec>;
export type Values<O extends Options> = ParsedArgs<O>["values"];

/**
 * One `npm run env` command as its module writes it: what it takes, what --help says of it, and
 * what it does. `O` types the values `check` and `run` see: its options, or the group's they are of.
 */
export interface CommandDefinition<O extends Options> {
    readonly name: string;
    /** The options it takes (--help and --debug besides); any other is refused rather than ignored. */
    readonly options: Partial<O>;
    /** Those of its options whose values name stacks, checked like the stacks named. */
    readonly stackOptions?: readonly (keyof O & string)[];
    /**
     * Reads the stack files alone: run without the Pulumi CLI, the passphrase or a backend (its
     * `run` is given no backend URL).
     */
    readonly offline?: boolean;
    /** Its usage and description in the Commands section of --help. */
    readonly help: string;
    /** Refuses, before any work, what the options alone do not (how many stacks, which options together). */
    readonly check?: (stacks: readonly string[], values: Values<O>, terminal: boolean) => void;
    readonly run: (stacks: readonly string[], values: Values<O>, backendUrl: string) => Promise<number>;
}

/** A command in the entry's table, whatever its options. */
export type EnvCommand = CommandDefinition<Options>;

export function defineCommand<O extends Options>(command: CommandDefinition<O>): EnvCommand {
    // The one place the options' types are let go of: the entry passes a command only the options it
    // declares (envCommand refuses any other), each of the type declared (the parser checks it).
    return command as unknown as EnvCommand;
}

/** The commands of one module, and what the group adds to the sections of --help after the commands. */
export interface CommandGroup {
    readonly commands: readonly EnvCommand[];
    /** A paragraph after State and locks. */
    readonly notes?: string;
    /** Lines of the Options section, for options only this group takes. */
    readonly optionHelp?: string;
}

export const BACKEND_OPTION = { backend: { type: "string" } } as const;
/** What the commands that run stacks with the policy pack take. */
export const STACK_OPTIONS = { ...BACKEND_OPTION, "policy-config": { type: "string" } } as const;
export const CONFIRM_OPTION = { yes: { type: "boolean" } } as const;

/** A usage error that says where the help is. */
export function usageError(message: string): UsageError {
    return new UsageError(`${message}; see ${USAGE} --help`);
}

export function requireOneStack(command: string, stacks: readonly string[]): void {
    if (stacks.length !== 1) throw usageError(`${command} takes one stack`);
}

export function requireTo(command: string, values: { to?: string }): void {
    if (values.to === undefined) throw usageError(`${command} needs --to`);
}

/** `up`, `destroy` and `bootstrap` ask on a terminal; without one, only --yes lets them go ahead. */
export function requireConfirmation(command: string, values: { yes?: boolean }, terminal: boolean): void {
    if (!values.yes && !terminal) {
        throw new UsageError(
            `${command} changes stacks in several accounts: on a terminal it shows the previews and asks; without one (CI) pass --yes`,
        );
    }
}

/** Progress and summaries, printed as they come. */
export function consoleBoard(): ProgressBoard {
    return new ProgressBoard((line) => console.log(line));
}

/** The Automation API workspace's settings: this project, the backend, the policy pack and its config. */
export function workspaceSettings(values: { "policy-config"?: string }, backendUrl: string) {
    return {
        projectDir: PROJECT_DIR,
        backendUrl,
        policyPacks: [DEFAULT_PACK_DIR],
        policyPackConfigs: [values["policy-config"] ?? EXAMPLE_CONFIG_PATH],
    };
}

/** The settings of the drivers (promotion, rollout, registry), which report progress to `board`. */
export function stacksOptions(values: { "policy-config"?: string }, board: ProgressBoard, backendUrl: string) {
    return { ...workspaceSettings(values, backendUrl), onProgress: board.onProgress };
}

/**
 * The environment's lock (ops/stacks/lock.ts), recorded on its research stack: the stack
 * the named stacks read, or the research stack among them. That stack is created first when the
 * backend has none yet (a first `up`, or `bootstrap` on a fresh backend), as the orchestrator
 * creates its stacks, so the record is kept from the first operation on.
 */
export function environmentLock(backendUrl: string, stacks: readonly string[]): EnvironmentLockOptions {
    let researchStack = "research";
    for (const stack of stacks) {
        const raw = readStackConfig(stack);
        const program = raw[`${PROJECT}:program`];
        if (program === "research") researchStack = stack;
        else if (program === "hosting") researchStack = referencedStack(raw[`${PROJECT}:researchStack`] ?? "research");
        else continue;
        break;
    }
    return {
        backendUrl,
        stack: researchStack,
        tags: automationStackTags(lazyWorkspace({ projectDir: PROJECT_DIR, backendUrl })),
        ensureStack: (stack) => new AutomationWorkspace(workspaceSettings({}, backendUrl)).ensureStacks([stack]),
        log: (m) => console.log(`lock: ${m}`),
    };
}

export const STATE_AND_LOCKS_HELP = `State and locks: promotions, rollouts and each stack's package history are kept in the backend
as stack tags, so an interrupted operation resumes from another checkout or machine. A resumed
operation first brings this checkout's Pulumi.<stack>.yaml files up to date with the steps
already done (commit them). promote, rollout, rollback, approve-package, up and destroy hold the
environment's lock; a second one is refused at once, naming the holder.`;

/** The Options section: the common options around those the groups add (`groupOptions`). */
export function optionsHelp(groupOptions: readonly string[]): string {
    return [
        `Options:
  --backend <url>         Pulumi backend (default: $PULUMI_BACKEND_URL, else the one \`pulumi login\`
                          chose, else, said when used, the project's file backend .pulumi/,
                          which only this checkout sees: stacks, state and locks not shared)
  --policy-config <file>  policy pack config (default:
                          ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --yes                   bootstrap, up, destroy: go ahead without asking (required without a
                          terminal, as in CI)`,
        ...groupOptions,
        `  --debug                 show stack traces
  --help                  this text (also after a command)`,
    ].join("\n");
}

export const EXIT_CODES_HELP = `Options take --name value or --name=value. Exit codes: 0 done, 1 a stack or step failed (or an
error, or the environment locked by another operation), 2 a usage error (unknown command, flag
or stack, a flag the command does not take, a missing smoke-test choice), 3 a rollout waiting
for approval (its production gate, or the package's approval in the registry).`;

export const NEEDS_HELP = `Needs the Pulumi CLI on PATH (${MIN_PULUMI_CLI} or later; checked first), PULUMI_CONFIG_PASSPHRASE for the
passphrase secrets provider (checked first), and one identity: the CI role the bootstrap stacks
trust (a stack with aws:assumeRoles deploys through its account's deployment role; up, preview,
refresh and destroy first check each such role was bootstrapped). A stack without aws:assumeRoles
uses its own credentials (AWS_PROFILE or aws:profile).`;
