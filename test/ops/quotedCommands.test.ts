/**
 * The `npm run env` command lines the stack files' comments (and the bootstrap contract's message)
 * tell users to run, checked with the env command's own parser and validator: a quoted line that
 * exits 2 (`bootstrap --stack bootstrap-dev`: bootstrap takes its stacks as arguments) is a
 * broken instruction.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseCommand } from "../../ops/cli/args";
import { SPEC, envCommand } from "../../ops/env";
import { PROJECT_DIR, listStacks } from "../../ops/project";
import { parseBootstrapExports } from "../../lib/contracts/bootstrap";

const QUOTED = /npm run env -- ([^()`,;]*?)(?=\s{2,}|[()`,;]|\.?\s*$)/g;

/** Every `npm run env -- <args>` in a text, as its arguments. */
function quotedCommands(text: string): string[][] {
    return [...text.matchAll(QUOTED)].map((m) => m[1].trim().split(/\s+/));
}

/** The comments of a stack file: what follows `#` on each line. */
function comments(file: string): string {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((line) => /#(.*)$/.exec(line)?.[1] ?? "")
        .join("\n");
}

/**
 * Refuses what the env command would refuse. A lone command name (`(npm run env -- promote)`)
 * names the command rather than giving a whole command line: it need only be a command.
 */
function check(argv: string[], where: string): void {
    const args = parseCommand(SPEC, argv);
    try {
        // On a terminal: whether --yes is needed without one is not the quoted line's business.
        envCommand(args, listStacks(), true);
    } catch (err) {
        const message = (err as Error).message;
        if (argv.length === 1 && !/unknown command/.test(message)) return;
        assert.fail(`${where}: \`npm run env -- ${argv.join(" ")}\` is refused: ${message}`);
    }
}

describe("command lines quoted to users", () => {
    const stackFiles = fs
        .readdirSync(PROJECT_DIR)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .sort();

    it("finds the quoted lines, whole", () => {
        assert.deepEqual(quotedCommands("#   npm run env -- bootstrap bootstrap-dev   (or: pulumi up -s bootstrap-dev)"), [
            ["bootstrap", "bootstrap-dev"],
        ]);
        assert.deepEqual(quotedCommands("approved here (npm run env -- rollout)."), [["rollout"]]);
        assert.deepEqual(quotedCommands("(npm run env -- bootstrap --stack bootstrap-dev, or pulumi up)"), [
            ["bootstrap", "--stack", "bootstrap-dev"],
        ]);
        assert.throws(() => check(["bootstrap", "--stack", "bootstrap-dev"], "old text"), /Unknown option '--stack'/);
    });

    it("every `npm run env` line in a stack file's comments parses and passes the env command's checks", () => {
        let found = 0;
        for (const file of stackFiles) {
            for (const argv of quotedCommands(comments(path.join(PROJECT_DIR, file)))) {
                found++;
                check(argv, file);
            }
        }
        // The four bootstrap stack files say how to deploy them; research names promote and rollout.
        assert.ok(found >= 6, `${found} quoted command lines`);
    });

    it("the bootstrap contract's message for a stack never deployed", () => {
        for (const stack of listStacks().filter((s) => s.startsWith("bootstrap-"))) {
            assert.throws(
                () => parseBootstrapExports(stack, {}),
                (err: Error) => {
                    const quoted = quotedCommands(err.message);
                    assert.deepEqual(quoted, [["bootstrap", stack]], err.message);
                    quoted.forEach((argv) => check(argv, `parseBootstrapExports(${stack})`));
                    return true;
                },
            );
        }
    });
});
