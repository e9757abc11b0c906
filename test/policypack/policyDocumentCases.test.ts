/**
 * The threat-model cases over policy documents (proof/pack/cases/policyDocuments.ts): each
 * insecure spelling is reported by its rule, each acceptable look-alike by no rule at all, with the
 * environment's policy-config (the one the shipped stacks are checked with).
 */
import { strict as assert } from "assert";
import { policyDocumentCases } from "../../proof/pack/cases/policyDocuments";
import { caseConfig, judge, verdictHolds } from "../../proof/pack/cases/judge";

describe("policy pack: threat-model cases over policy documents", () => {
    it("has insecure and acceptable cases for every class it covers", () => {
        const classes = new Set(policyDocumentCases.map((c) => c.threat));
        for (const threat of classes) {
            const verdicts = new Set(policyDocumentCases.filter((c) => c.threat === threat).map((c) => c.verdict));
            assert.deepEqual([...verdicts].sort(), ["acceptable", "insecure"], threat);
        }
        assert.equal(new Set(policyDocumentCases.map((c) => c.id)).size, policyDocumentCases.length, "case ids are unique");
    });

    for (const c of policyDocumentCases) {
        it(`${c.verdict === "insecure" ? "reports" : "accepts"} ${c.id}: ${c.why}`, () => {
            const findings = judge(c.resources, caseConfig(c), c.stack ?? "dev");
            assert.ok(verdictHolds(c, findings), JSON.stringify(findings, null, 1));
        });
    }
});
