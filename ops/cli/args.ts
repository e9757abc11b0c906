/**
 * The one argument parser of every command in scripts/ (node:util parseArgs), so they agree:
 * unknown flags and unknown stacks are usage errors (exit 2, one line), `--flag=value` works,
 * `--help` prints the help and exits 0 before any work, and `--debug` shows stack traces.
 */
import { parseArgs } from "node:util";
import { UsageError, UserError } from "./errors";

export type OptionSpec = { readonly type: "string" } | { readonly type: "boolean" };

export interface CommandSpec<Options extends Record<string, OptionSpec>> {
    /** How the command is invoked, for messages: `npm run plan --`. */
    readonly usage: string;
    readonly help: string;
    /** The command's own options; `help` and `debug` are added to every command. */
    readonly options: Options;
}

type Values<Options extends Record<string, OptionSpec>> = {
    readonly [K in keyof Options]?: Options[K] extends { type: "boolean" } ? boolean : string;
};

export interface ParsedArgs<Options extends Record<string, OptionSpec>> {
    readonly values: Values<Options>;
    readonly positionals: readonly string[];
    readonly help: boolean;
    readonly debug: boolean;
}

const COMMON = { help: { type: "boolean" }, debug: { type: "boolean" } } as const;

/** Parses argv strictly; every mistake becomes a UsageError that names the flag and where help is. */
export function parseCommand<Options extends Record<string, OptionSpec>>(
    spec: CommandSpec<Options>,
    argv: readonly string[],
): ParsedArgs<Options> {
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options: { ...spec.options, ...COMMON }, allowPositionals: true, strict: true });
    } catch (err) {
        // parseArgs's messages run to several sentences; keep the first, which names the flag.
        const first = (err as Error).message.split(/(?<=\.)\s/)[0].replace(/\.$/, "");
        throw new UsageError(`${first}; see ${spec.usage} --help`);
    }
    const { help, debug, ...values } = parsed.values as Record<string, string | boolean | undefined>;
    return { values: values as Values<Options>, positionals: parsed.positionals, help: help === true, debug: debug === true };
}

/** Refuses stack names with no Pulumi.<stack>.yaml: a typo must not pass a CI gate by checking nothing. */
export function requireKnownStacks(names: readonly string[], known: readonly string[]): void {
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
        throw new UsageError(
            `unknown stack${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")} (stacks: ${known.join(", ")}; each is a Pulumi.<stack>.yaml)`,
        );
    }
}

export interface CliIo {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
}

/**
 * Runs a command: help before any work, then `main`; resolves with the exit code. User errors
 * (usage: 2, prerequisites: 1) print their message alone; other errors exit 1 with their message
 * and a hint; stack traces only with --debug.
 */
export async function runCommand<Options extends Record<string, OptionSpec>>(
    spec: CommandSpec<Options>,
    argv: readonly string[],
    main: (args: ParsedArgs<Options>) => Promise<number>,
    io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
    let args: ParsedArgs<Options> | undefined;
    try {
        args = parseCommand(spec, argv);
        if (args.help) {
            io.out(spec.help);
            return 0;
        }
        return await main(args);
    } catch (err) {
        const debug = args?.debug ?? argv.includes("--debug");
        if (err instanceof UserError) {
            io.err(debug ? String(err.stack) : err.message);
            return err.exitCode;
        }
        const error = err instanceof Error ? err : new Error(String(err));
        io.err(debug ? String(error.stack) : `error: ${error.message}\n(run with --debug for the stack trace)`);
        return 1;
    }
}

/** Entry point for scripts: runs the command and exits with its code. */
export function cli<Options extends Record<string, OptionSpec>>(
    spec: CommandSpec<Options>,
    main: (args: ParsedArgs<Options>) => Promise<number>,
): void {
    runCommand(spec, process.argv.slice(2), main).then((code) => process.exit(code));
}
