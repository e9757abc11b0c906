/**
 * `npm run env -- matrix`: the stack graph as CI jobs, from the stack files alone (no Pulumi CLI,
 * backend or credentials): the shipped environment's levels, a generated environment of 300
 * hosting accounts split at GitHub's 256 jobs per matrix, research re-applied after the last level
 * when it pins consumers' endpoints, and the text form's columns with long stack names.
 */
import { strict as assert } from "assert";
import { MAX_MATRIX_JOBS, StackMatrix, matrixText, stackMatrix } from "../../ops/env/matrix";
import { SPEC, envCommand, main } from "../../ops/env";
import { listStacks } from "../../ops/project";
import { parseCommand, runCommand } from "../../ops/cli/args";
import { generatedEnvironment } from "../../proof/runtime/generatedEnvironment";
import { ProjectStacks } from "../../lib/config/projectStacks";

/** A generated environment as the project's stacks and their configurations. */
function generated(count: number, perimeter?: object) {
    const env = generatedEnvironment(count, perimeter);
    const projectStacks: ProjectStacks = new Map(
        env.stacks.map((s) => [
            s,
            {
                program: env.configs[s]["cross-account-models:program"],
                accountId: JSON.parse(env.configs[s]["aws:allowedAccountIds"])[0],
            },
        ]),
    );
    return { projectStacks, readConfig: (s: string) => env.configs[s] };
}

describe("env matrix: the stack graph as CI jobs", () => {
    it("gives the shipped environment's levels, each stack a job with its account and upstream stacks, bootstrap stacks apart", () => {
        const matrix = stackMatrix([]);
        assert.deepEqual(
            matrix.levels.map((l) => l.include.map((j) => [j.stack, j.level, j.upstream])),
            [
                [
                    ["org", 0, []],
                    ["research", 0, []],
                ],
                [
                    ["dev", 1, ["research"]],
                    ["prod", 1, ["research"]],
                ],
            ],
        );
        assert.deepEqual(matrix.levels[1].include[1], {
            stack: "prod",
            level: 1,
            account: "444455556666",
            region: "us-east-1",
            program: "hosting",
            upstream: ["research"],
            feedback: [],
        });
        assert.equal(matrix.levelCount, 2);
        assert.deepEqual(matrix.stacks, ["org", "research", "dev", "prod"]);
        assert.deepEqual([matrix.reapply, matrix.reapplyCount], [{ include: [] }, 0]);
        // Named stacks alone, as up runs them: an upstream stack not named is already deployed.
        assert.deepEqual(
            stackMatrix(["dev"]).levels.map((l) => l.include.map((j) => [j.stack, j.upstream])),
            [[["dev", []]]],
        );
    });

    it("prints one line of JSON for GitHub's fromJSON, and aligned text with --format text, without the Pulumi CLI", async () => {
        const out: string[] = [];
        const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
        const log = console.log;
        console.log = (line: string) => out.push(line);
        try {
            assert.equal(await runCommand(SPEC, ["matrix"], main, io), 0);
            assert.equal(out.length, 1);
            assert.deepEqual(JSON.parse(out[0]), JSON.parse(JSON.stringify(stackMatrix([]))));
            out.length = 0;
            assert.equal(await runCommand(SPEC, ["matrix", "--format", "text"], main, io), 0);
            assert.deepEqual(out.join("\n").split("\n").slice(0, 3), [
                "order: org + research -> dev + prod",
                "level 0: 2 job(s)",
                "  stack     account       region     program       upstream  feedback",
            ]);
            out.length = 0;
            assert.equal(await runCommand(SPEC, ["matrix", "--format", "yaml"], main, io), 2);
            assert.match(out.join("\n"), /--format takes json or text; got "yaml"/);
        } finally {
            console.log = log;
        }
        assert.throws(() => envCommand(parseCommand(SPEC, ["matrix", "--yes"]), listStacks()), /matrix does not take --yes/);
        assert.throws(() => stackMatrix(["bootstrap-dev"]), /bootstrap-dev is a bootstrap stack/);
    });

    it(`splits a level of more than ${MAX_MATRIX_JOBS} stacks into consecutive levels, GitHub's limit per matrix`, () => {
        const matrix = stackMatrix([], generated(300));
        assert.deepEqual(
            matrix.levels.map((l) => [l.include.length, [...new Set(l.include.map((j) => j.level))]]),
            [
                [1, [0]],
                [256, [1]],
                [44, [1]],
            ],
        );
        assert.equal(matrix.levelCount, 3);
        assert.deepEqual(matrix.levels[2].include[43].upstream, ["research"]);
    });

    it("re-applies research after the last level when it pins consumers' endpoint IDs (feedback references)", () => {
        const matrix = stackMatrix([], generated(2, { mode: "endpoint-id" }));
        assert.deepEqual(
            matrix.reapply.include.map((j) => [j.stack, j.feedback]),
            [["research", ["host01", "host02"]]],
        );
        assert.equal(matrix.reapplyCount, 1);
        assert.ok(matrixText(matrix).includes("re-applied after the last level (feedback references): research"));
    });

    it("keeps the text's columns aligned, whatever the length of the stack names", () => {
        const long = "hosting-eu-central-1-analytics-platform-account-0042";
        const job = (stack: string, level: number, upstream: string[]) => ({
            stack,
            level,
            account: "123456789012",
            region: "eu-central-1",
            program: level === 0 ? "research" : "hosting",
            upstream,
            feedback: [],
        });
        const matrix: StackMatrix = {
            levels: [{ include: [job("r", 0, [])] }, { include: [job(long, 1, ["r"]), job("dev", 1, ["r"])] }],
            levelCount: 2,
            stacks: ["r", long, "dev"],
            reapply: { include: [] },
            reapplyCount: 0,
        };
        const rows = matrixText(matrix).filter((l) => l.startsWith("  "));
        for (const column of ["account", "region", "program", "upstream"]) {
            const at = rows[0].indexOf(column);
            for (const row of rows) assert.notEqual(row[at - 1], undefined, row);
            // Every row has a value starting where the header's column starts, after a space.
            for (const row of rows) assert.ok(row[at - 2] === " " && row[at] !== " ", `${column} in "${row}"`);
        }
        assert.ok(rows.some((r) => r.includes(`  ${long}  123456789012`)));
    });
});
