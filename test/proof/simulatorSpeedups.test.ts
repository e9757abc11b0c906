/**
 * What proof/access/simulator.ts does for speed leaves the simulator's answers as they were: a
 * policy validated once is still refused when another, malformed, takes its place; operators and
 * keys still compare without case; the resource types it remembers answer as the simulator does.
 */
import { strict as assert } from "assert";
import { AccessQuery, simulateOnce } from "../../proof/access/simulator";
import { PolicyDocument } from "../../lib/policies/document";

const role = "arn:aws:iam::777788889999:role/reader";
const object = "arn:aws:s3:::model-artifacts-111122223333/weights/config.json";
const query = (identity: PolicyDocument, context: Record<string, string> = {}): AccessQuery => ({
    principal: role,
    action: "s3:GetObject",
    resource: object,
    resourceAccount: "777788889999",
    context,
    identityPolicies: [{ name: "reader", document: identity }],
});
const allow = (condition?: object): PolicyDocument =>
    ({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Read",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::model-artifacts-111122223333/*",
                ...(condition ? { Condition: condition } : {}),
            },
        ],
    }) as PolicyDocument;

describe("simulator speed-ups", () => {
    it("a policy validated for one use is taken as it is; a malformed one is still refused, every time", async () => {
        const valid = allow();
        assert.equal((await simulateOnce(query(valid))).allowed, true);
        assert.equal((await simulateOnce(query(valid))).allowed, true, "the same document again, now taken as validated");
        const malformed = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject" }] } as unknown as PolicyDocument;
        for (let i = 0; i < 2; i++) await assert.rejects(simulateOnce(query(malformed)), /is invalid/);
    });

    it("condition operators and keys compare without case, as the simulator's model compares them", async () => {
        const through = (operator: string, key: string) =>
            simulateOnce(query(allow({ [operator]: { [key]: "vpce-1" } }), { "aws:SourceVpce": "vpce-1" })).then((d) => d.allowed);
        assert.equal(await through("StringEquals", "aws:SourceVpce"), true);
        assert.equal(await through("stringequals", "AWS:SOURCEVPCE"), true);
        assert.equal(await through("StringEqualsIfExists", "aws:sourcevpce"), true);
        assert.equal(await through("STRINGEQUALSIFEXISTS", "aws:SourceVpce"), true);
        assert.equal(await through("StringNotEquals", "aws:SourceVpce"), false);
        assert.equal(await through("ForAnyValue:StringEquals", "aws:SourceVpce"), true);
        assert.equal(await through("forallvalues:stringequals", "aws:SourceVpce"), true);
    });

    it("the resource types remembered answer as the simulator does: a bucket and an object of one bucket are told apart", async () => {
        const onBucket = { ...query(allow()), action: "s3:ListBucket", resource: "arn:aws:s3:::model-artifacts-111122223333" };
        for (let i = 0; i < 2; i++) {
            assert.equal((await simulateOnce(query(allow()))).allowed, true);
            assert.equal((await simulateOnce(onBucket)).allowed, false, "the object's grant does not list the bucket");
        }
    });
});
