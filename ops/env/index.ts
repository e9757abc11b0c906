/**
 * `npm run env -- <command> [stack ...]`: operates an environment with the Pulumi Automation API.
 * Each command group is a module of ops/env/ with its own options, checks and help; this entry
 * puts their help together, refuses what a command does not take, and dispatches.
 */
import { OptionSpec, ParsedArgs, requireKnownStacks } from "../cli/args";
import { PROJECT_DIR, listStacks } from "../project";
import { checkBackendUrl, commandBackend } from "../stacks/backend";
import { checkPrerequisites } from "../stacks/prerequisites";
import { BOOTSTRAP_COMMANDS } from "./bootstrap";
import { LOCK_COMMANDS } from "./lock";
import { MATRIX_COMMANDS } from "./matrix";
import { PROMOTE_COMMANDS } from "./promote";
import { REGISTRY_COMMANDS } from "./registry";
import { ROLLOUT_COMMANDS } from "./rollout";
import { EXIT_CODES_HELP, EnvCommand, NEEDS_HELP, Options, STATE_AND_LOCKS_HELP, USAGE, optionsHelp, usageError } from "./shared";
import { STACK_COMMANDS } from "./stacks";

/** The groups in the order of --help and of the command list in messages. */
const GROUPS = [BOOTSTRAP_COMMANDS, STACK_COMMANDS, MATRIX_COMMANDS, PROMOTE_COMMANDS, ROLLOUT_COMMANDS, REGISTRY_COMMANDS, LOCK_COMMANDS];

/** Each command by its name. */
const COMMANDS: ReadonlyMap<string, EnvCommand> = new Map(GROUPS.flatMap((g) => g.commands).map((c) => [c.name, c]));

const HELP = [
    `Usage: ${USAGE} <command> [stack ...] [options]`,
    ["Commands:", ...GROUPS.flatMap((g) => g.commands.map((c) => c.help))].join("\n"),
    STATE_AND_LOCKS_HELP,
    ...GROUPS.flatMap((g) => g.notes ?? []),
    optionsHelp(GROUPS.flatMap((g) => g.optionHelp ?? [])),
    EXIT_CODES_HELP,
    NEEDS_HELP,
].join("\n\n");

/** Every command's options, for the parser; a name must mean the same type in every command. */
function allOptions(commands: Iterable<EnvCommand>): Options {
    const all: Record<string, OptionSpec> = {};
    for (const command of commands) {
        for (const [name, spec] of Object.entries(command.options as Options)) {
            if (all[name] !== undefined && all[name].type !== spec.type)
                throw new Error(`--${name} is a ${all[name].type} option of one command and a ${spec.type} option of ${command.name}`);
            all[name] = spec;
        }
    }
    return all;
}

export const SPEC = { usage: USAGE, help: HELP, options: allOptions(COMMANDS.values()) };

/** The command, its stacks and options, checked against what the command takes and the stacks that exist. */
export function envCommand(
    args: Pick<ParsedArgs<Options>, "values" | "positionals">,
    known: readonly string[],
    terminal = process.stdin.isTTY === true,
): { command: string; stacks: string[] } {
    const [name, ...stacks] = args.positionals;
    const names = [...COMMANDS.keys()].join(", ");
    if (name === undefined) throw usageError(`a command is needed (${names})`);
    const command = COMMANDS.get(name);
    if (command === undefined) throw usageError(`unknown command "${name}" (commands: ${names})`);
    const refused = Object.keys(args.values).filter((o) => !Object.keys(command.options).includes(o));
    if (refused.length > 0) throw usageError(`${name} does not take ${refused.map((o) => `--${o}`).join(", ")}`);
    if (typeof args.values.backend === "string") checkBackendUrl(args.values.backend, "--backend");
    const stackValues = (command.stackOptions ?? []).map((o) => args.values[o]);
    requireKnownStacks([...stacks, ...stackValues.filter((s): s is string => typeof s === "string")], known);
    command.check?.(stacks, args.values, terminal);
    return { command: name, stacks };
}

export async function main(args: ParsedArgs<Options>): Promise<number> {
    const { command, stacks } = envCommand(args, listStacks());
    if (COMMANDS.get(command)!.offline) return COMMANDS.get(command)!.run(stacks, args.values, "");
    // Before any stack is touched: a missing CLI or passphrase is one message, not a dump per stack.
    await checkPrerequisites();
    const backend = args.values.backend as string | undefined; // a string option of every command
    const backendUrl = await commandBackend(backend, PROJECT_DIR, (line) => console.log(line));
    return COMMANDS.get(command)!.run(stacks, args.values, backendUrl);
}
