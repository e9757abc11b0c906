/**
 * `npm run bench`'s goals of issue 22 (proof/bench/generated.ts): each figure judged against its
 * goal, PASS or FAIL, from figures as a plan's process reports them (planProcess.ts).
 */
import { strict as assert } from "assert";
import { Measured, goals } from "../../proof/bench/generated";
import { PlanFigures } from "../../proof/bench/planProcess";

const figures = (planMs: number, accounts: number, extra: Partial<PlanFigures> = {}): PlanFigures => ({
    planMs,
    wallMs: planMs + 1000,
    cpusMs: [4000, 8000, 16000, 17000],
    peaksMb: [300, 250, 400, 320],
    stacks: accounts + 1,
    resources: 60 * accounts,
    paths: 64 * accounts,
    problems: [],
    ...extra,
});
const owner = (accounts: number, planMs: number, extra: Partial<PlanFigures> = {}): Measured => ({
    mode: "endpoint-owner",
    accounts,
    figures: figures(planMs, accounts, extra),
});
const second = (wallMs: number) => ({
    first: figures(26000, 100),
    second: { ...figures(wallMs - 1000, 100), wallMs, changed: "host001", reused: { runs: [100, 101] as [number, number] } },
});
const verdict = (lines: string[], what: RegExp) => {
    const line = lines.find((l) => what.test(l));
    assert.ok(line, `no line ${what}`);
    return line!.endsWith("PASS") ? "PASS" : line!.endsWith("FAIL") ? "FAIL" : "none";
};

describe("bench goals (issue 22)", () => {
    it("passes figures within the goals and names each figure beside its goal", () => {
        const lines = goals([owner(10, 3800), owner(100, 24400)], figures(25300, 100), second(3800));
        assert.equal(verdict(lines, /^100 accounts, the pack and the workers started: 24\.4 s/), "PASS");
        assert.equal(verdict(lines, /^peak memory at 100 accounts: 1\.24 GB/), "PASS");
        assert.equal(verdict(lines, /^100 accounts as npm run plan plans them/), "PASS");
        assert.equal(
            verdict(lines, /^time per account at 100 accounts against 10: 244 ms against 380 ms, -36%; each account past 10: 229 ms/),
            "PASS",
        );
        assert.equal(verdict(lines, /^second plan of 100 accounts, one hosting stack's configuration changed: 3\.8 s/), "PASS");
        assert.ok(lines.some((l) => /host001's flow log retention changed.*reused 100 of 101 runs/.test(l)));
    });

    it("fails each figure past its goal", () => {
        const heavy = { peaksMb: [700, 500, 600, 400] };
        const lines = goals([owner(10, 2000), owner(100, 30100, heavy)], figures(29500, 100), second(5100));
        assert.equal(verdict(lines, /^100 accounts, the pack and the workers started/), "FAIL");
        assert.equal(verdict(lines, /^peak memory/), "FAIL");
        assert.equal(verdict(lines, /^100 accounts as npm run plan plans them \(.*\): 30\.5 s/), "FAIL");
        assert.equal(verdict(lines, /^time per account/), "FAIL", "301 ms against 200 ms is 50% dearer");
        assert.equal(verdict(lines, /^second plan of 100 accounts, one hosting/), "FAIL");
    });

    it("scales the time goal with the accounts planned: 30 s per 100", () => {
        const lines = goals([owner(5, 1000), owner(50, 14000)], figures(16000, 50), second(3000));
        assert.equal(verdict(lines, /^50 accounts, the pack and the workers started: 14\.0 s,.*goal ≤ 15\.0 s/), "PASS");
        assert.equal(verdict(lines, /^50 accounts as npm run plan plans them \(.*\): 17\.0 s .*goal ≤ 15\.0 s/), "FAIL");
    });
});
