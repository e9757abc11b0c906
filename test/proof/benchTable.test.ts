/**
 * `npm run bench`'s tables keep their columns aligned whatever the length of a stack name or a
 * figure: each column as wide as its widest cell, text left-aligned, figures right-aligned.
 */
import { strict as assert } from "assert";
import { loadTable } from "../../proof/bench/measures";
import { alignedTable } from "../../proof/bench/table";

const LONG = "hosting-eu-central-1-analytics-platform-account-0042";

describe("bench tables", () => {
    it("keeps the program-load table's columns aligned with long stack names", () => {
        const stacks = ["dev", "bootstrap-research", LONG];
        const time = (programMs: number, totalMs: number) => ({ programMs, totalMs });
        const up = new Map(stacks.map((s, i) => [s, time(900 + i, 1500 + i * 1000)]));
        const checked = new Map(stacks.map((s, i) => [s, time(7000 + i * 10000, 8000 + i * 10000)]));
        const lines = loadTable(stacks, (s) => (s.startsWith("bootstrap") ? "bootstrap" : "hosting"), up, checked, "transpile-only");
        assert.equal(lines.length, 4);
        // The program column starts at one place in every line, after the longest stack name.
        const programAt = lines[0].indexOf("program");
        assert.ok(programAt > LONG.length);
        for (const line of lines.slice(1)) assert.match(line.slice(programAt), /^(hosting|bootstrap) /, line);
        // Each figure ends where its header ends.
        const header = lines[0];
        const ends = [
            header.indexOf("program ms") + "program ms".length,
            header.indexOf("total ms") + "total ms".length,
            header.lastIndexOf("program ms") + "program ms".length,
            header.length,
        ];
        for (const line of lines.slice(1)) {
            for (const end of ends)
                assert.ok(/\d/.test(line[end - 1]) && (line[end] === undefined || line[end] === " "), `"${line}" at ${end}`);
        }
        assert.ok(lines[3].startsWith(`${LONG}  hosting`));
    });

    it("widens a column for its widest cell, and right-aligns figures", () => {
        assert.deepEqual(
            alignedTable(
                [{ header: "stack" }, { header: "ms", align: "right" }],
                [
                    ["a", "5"],
                    ["a-much-longer-name", "12345"],
                ],
            ),
            ["stack                  ms", "a                       5", "a-much-longer-name  12345"],
        );
    });
});
