/**
 * The threat-model cases over resource inputs (proof/pack/cases/resourceInputs.ts): each insecure
 * spelling is reported by its rule, each acceptable look-alike by no rule at all, with the
 * environment's policy-config (the one the shipped stacks are checked with).
 */
import { strict as assert } from "assert";
import { resourceInputCases } from "../../proof/pack/cases/resourceInputs";
import { caseConfig, judge, verdictHolds } from "../../proof/pack/cases/judge";

describe("policy pack: threat-model cases over resource inputs", () => {
    it("has insecure and acceptable cases for every class it covers, with unique ids", () => {
        for (const threat of new Set(resourceInputCases.map((c) => c.threat))) {
            const verdicts = new Set(resourceInputCases.filter((c) => c.threat === threat).map((c) => c.verdict));
            assert.deepEqual([...verdicts].sort(), ["acceptable", "insecure"], threat);
        }
        assert.equal(new Set(resourceInputCases.map((c) => c.id)).size, resourceInputCases.length, "case ids are unique");
    });

    for (const c of resourceInputCases) {
        it(`${c.verdict === "insecure" ? "reports" : "accepts"} ${c.id}: ${c.why}`, () => {
            const findings = judge(c.resources, caseConfig(c), c.stack ?? "dev");
            assert.ok(verdictHolds(c, findings), JSON.stringify(findings, null, 1));
        });
    }
});
