/**
 * `summary.md` and `plan.json` from small hand-made plan results (no plan run): the plan as data,
 * what changed between two plans (a path opened and one closed, a finding new and one gone, a
 * resource added, one replaced, one updated, one removed), and the cap of 60,000 characters with a
 * large synthetic plan, every cut saying what it left out.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PathResult } from "../../proof/access/prove";
import { AccessPath } from "../../proof/access/accessPath";
import { AccessDecision } from "../../proof/access/simulator";
import { Diagnostic } from "../../proof/pack/policyEngine";
import { ReportInput } from "../../proof/report";
import { RecordedResource, StackRun } from "../../proof/runtime/runStack";
import { diffPlans, hasChanges } from "../../proof/report/diff";
import { SUMMARY_CAP, fitBlocks, summaryMarkdown } from "../../proof/report/comment";
import { PLAN_FORMAT, PlanSnapshot, SnapshotPath, planSnapshot, readSnapshot, snapshotJson } from "../../proof/report/snapshot";
import { runCommand } from "../../ops/cli/args";
import { SPEC, main } from "../../proof/plan/command";

const RESEARCH = "111122223333";
const DEV = "777788889999";
const CMI = `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`;
const ADMIN = `arn:aws:iam::${DEV}:role/platform-administrator`;
const OBJECT = `arn:aws:s3:::model-artifacts-${RESEARCH}/weights/config.json`;

const resource = (type: string, name: string, inputs: Record<string, unknown>, protect = false): RecordedResource => ({
    type,
    name,
    urn: `urn:pulumi:dev::cross-account-models::${type}::${name}`,
    custom: true,
    inputs,
    state: { ...inputs, id: name },
    secretInputs: [],
    protect,
    parent: "",
    dependencies: [],
    propertyDependencies: {},
});

const BUCKET = "aws:s3/bucket:Bucket";
const ROLE = "aws:iam/role:Role";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const allowed: AccessDecision = { allowed: true, result: "Allowed", denials: [] };
const refused: AccessDecision = {
    allowed: false,
    result: "ImplicitlyDenied",
    denials: [{ policyType: "resource", explicit: false, policy: "research: BucketPolicy artifacts-policy" }],
};

function accessPath(id: string, expect: AccessPath["expect"], principal: string, action: string, why = `why ${action}`): AccessPath {
    return {
        id,
        architecture: "bedrock-cmi",
        expect,
        why,
        stack: "dev",
        principal,
        identity: "declared",
        action,
        resource: OBJECT,
        resourceAccount: RESEARCH,
        context: { "aws:SourceVpce": "vpce-0aaa" },
        endpointId: "vpce-0aaa",
    };
}
const decided = (p: AccessPath, decision: AccessDecision): PathResult => ({
    path: p,
    decision,
    holds: decision.allowed === (p.expect === "allowed"),
});

const finding = (policyName: string, enforcementLevel: Diagnostic["enforcementLevel"], name: string): Diagnostic => ({
    policyName,
    message: `${policyName} on ${name}`,
    enforcementLevel,
    urn: `urn:pulumi:dev::cross-account-models::${BUCKET}::${name}`,
    severity: 0,
});

/** A plan of one hosting stack: its resources, paths and findings as given. */
function planOf(
    resources: RecordedResource[],
    access: PathResult[],
    diagnostics: Diagnostic[],
    status: "planned" | "failed" = "planned",
): ReportInput {
    const run: StackRun = {
        stack: "dev",
        accountId: DEV,
        region: "us-east-1",
        config: { "cross-account-models:program": "hosting" },
        resources,
        outputs: {},
    };
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return {
        stacks: [
            {
                stack: "dev",
                accountId: DEV,
                region: "us-east-1",
                status,
                ...(status === "failed" ? { reason: "boom" } : {}),
                resourceCounts: status === "planned" ? counts : {},
                diagnostics,
            },
        ],
        access,
        keyAliases: new Map(),
        problems: access.filter((r) => !r.holds).map((r) => `broken ${r.path.id}`),
        timingsMs: { stacks: 1, policies: 1, access: 1, total: 3 },
        env: { runs: new Map([["dev", run]]), graph: { levels: [["dev"]], upstream: new Map() }, sequence: ["dev"], convergencePasses: 0 },
    };
}

describe("summary.md and plan.json", () => {
    // The base: the admin refused, the CMI role allowed to read and to list; an advisory finding on logs.
    const base = planSnapshot(
        planOf(
            [
                resource(BUCKET, "models", { bucket: "models-1", tags: { team: "ml" } }, true),
                resource(ROLE, "cmi-role", { name: "cmi", assumeRolePolicy: "{}" }),
                resource(LOG_GROUP, "flow-logs", { retentionInDays: 30 }),
                resource(LOG_GROUP, "old-logs", { retentionInDays: 30 }),
            ],
            [
                decided(accessPath("dev-cmi-01", "allowed", CMI, "s3:GetObject"), allowed),
                decided(accessPath("dev-cmi-02", "allowed", CMI, "s3:ListBucket"), allowed),
                decided(accessPath("dev-cmi-03", "denied", ADMIN, "s3:GetObject", "another role reads the artifacts"), refused),
            ],
            [finding("s3-versioning", "advisory", "logs"), finding("log-retention", "advisory", "logs")],
        ),
    );
    // Now: a new path first (every id after it shifts), the admin let through (opened), the list
    // refused (closed); the bucket renamed (replaced), the role's trust edited (updated), a key
    // added, the old logs removed; one finding gone, a mandatory one new.
    const head = planSnapshot(
        planOf(
            [
                resource(BUCKET, "models", { bucket: "models-2", tags: { team: "ml" } }, true),
                resource(ROLE, "cmi-role", { name: "cmi", assumeRolePolicy: '{"Statement":[]}' }),
                resource(LOG_GROUP, "flow-logs", { retentionInDays: 30 }),
                resource("aws:kms/key:Key", "imported-models", { description: "key" }),
            ],
            [
                decided(accessPath("dev-cmi-01", "allowed", CMI, "s3:GetObjectVersion"), allowed),
                decided(accessPath("dev-cmi-02", "allowed", CMI, "s3:GetObject"), allowed),
                decided(accessPath("dev-cmi-03", "allowed", CMI, "s3:ListBucket"), refused),
                decided(accessPath("dev-cmi-04", "denied", ADMIN, "s3:GetObject", "another role reads the artifacts"), allowed),
            ],
            [finding("s3-versioning", "advisory", "logs"), finding("kms-rotation", "mandatory", "imported-models")],
        ),
    );

    it("keeps the plan as data: verdict, figures, every path by what it asks, inputs as digests only", () => {
        assert.equal(base.format, PLAN_FORMAT);
        assert.equal(base.verdict, "PASS");
        assert.equal(head.verdict, "FAIL");
        assert.deepEqual(head.figures, {
            stacks: { planned: 1, total: 1 },
            required: { allowed: 2, total: 3 },
            forbidden: { refused: 0, total: 1 },
            findings: { mandatory: 1, advisory: 1 },
            resources: 4,
            problems: 2,
        });
        const bucket = base.resources.find((r) => r.name === "models")!;
        assert.deepEqual(Object.keys(bucket.inputs), ["bucket", "tags"]);
        assert.match(bucket.inputs.bucket, /^[0-9a-f]{16}$/);
        assert.ok(!snapshotJson(base).includes("models-1"), "an input's value is kept as a digest, not copied");
        assert.equal(base.paths[2].decidedBy, "no Allow in research bucket policy");
    });

    it("says what changed: paths opened and closed, findings new and gone, resources added, replaced, updated and removed", () => {
        const diff = diffPlans(base, head);
        assert.ok(hasChanges(diff));
        assert.deepEqual(diff.verdict, { base: "PASS", head: "FAIL" });
        // By what each path asks, not by its id: dev-cmi-02 now is dev-cmi-01 before, unchanged.
        assert.deepEqual(
            diff.pathsOpened.map((p) => [p.id, p.action, p.holds]),
            [["dev-cmi-04", "s3:GetObject", false]],
        );
        assert.deepEqual(
            diff.pathsClosed.map((p) => [p.id, p.action, p.holds]),
            [["dev-cmi-03", "s3:ListBucket", false]],
        );
        assert.deepEqual(
            diff.pathsAdded.map((p) => p.action),
            ["s3:GetObjectVersion"],
        );
        assert.deepEqual(diff.pathsGone, []);
        assert.deepEqual(
            diff.findingsNew.map((f) => [f.policy, f.level]),
            [["kms-rotation", "mandatory"]],
        );
        assert.deepEqual(
            diff.findingsGone.map((f) => f.policy),
            ["log-retention"],
        );
        assert.deepEqual(
            diff.resourcesAdded.map((r) => r.name),
            ["imported-models"],
        );
        assert.deepEqual(
            diff.resourcesRemoved.map((r) => r.name),
            ["old-logs"],
        );
        // A bucket's name replaces it (the AWS provider's ForceNew); a role's trust is updated in place.
        assert.deepEqual(
            diff.resourcesReplaced.map((c) => [c.resource.name, c.inputs]),
            [["models", ["bucket"]]],
        );
        assert.deepEqual(
            diff.resourcesUpdated.map((c) => [c.resource.name, c.inputs]),
            [["cmi-role", ["assumeRolePolicy"]]],
        );
        assert.deepEqual(diff.problemsNew, ["broken dev-cmi-03", "broken dev-cmi-04"]);

        const text = summaryMarkdown(head, { base });
        assert.ok(text.startsWith("## Offline plan: ❌ FAIL\n"), text.slice(0, 80));
        const order = [
            "**1 of 1 stacks planned",
            "\n### Problems (2)\n",
            "\n### Changes since the base plan\n",
            "\n### Stacks\n",
            "\n### Policy pack findings\n",
        ];
        assert.deepEqual(
            order.map((part) => text.indexOf(part)),
            order.map((part) => text.indexOf(part)).sort((a, b) => a - b),
            "verdict, figures, problems, changes, stacks, findings in that order",
        );
        for (const part of [
            "| verdict | PASS | FAIL ⬅ |",
            "- broken dev-cmi-04 _(new)_",
            "2 problem(s) new, 0 gone · 1 path(s) opened, 1 closed, 1 new, 0 gone · 1 finding(s) new, 1 gone · 1 resource(s) added, 1 replaced, 1 removed, 1 updated",
            "The verdict went from PASS to **FAIL**.",
            "#### Paths opened (refused before, allowed now) (1)",
            "| dev-cmi-04 | Bedrock Custom Model Import | another role reads the artifacts | `platform-administrator` | s3:GetObject |",
            "| refused (forbidden) | allowed ❌ **BROKEN**:",
            "#### Paths closed (allowed before, refused now) (1)",
            "| allowed (required) | refused ❌ **BROKEN**: no Allow in research bucket policy |",
            "| dev | **mandatory** | kms-rotation | imported-models | kms-rotation on imported-models |",
            "#### Policy pack findings, gone (1)",
            "| dev | models | `aws:s3/bucket:Bucket` | replaced: `bucket` changed (protected) |",
            "| dev | imported-models | `aws:kms/key:Key` | added |",
            "| dev | old-logs | `aws:cloudwatch/logGroup:LogGroup` | removed |",
            "| dev | cmi-role | `aws:iam/role:Role` | updated: `assumeRolePolicy` |",
        ]) {
            assert.ok(text.includes(part), `summary lacks ${part}\n${text}`);
        }
    });

    it("says when nothing changed, and that the changes need a base when none is given", () => {
        const same = summaryMarkdown(base, { base, baseLabel: "main" });
        assert.ok(same.startsWith("## Offline plan: ✅ PASS\n"));
        assert.ok(same.includes("### Changes since main\n\nNothing changed"));
        assert.ok(summaryMarkdown(base).includes("_No base plan given: `npm run plan -- --base <dir>`"));
    });

    it("counts a finding reported once more in the same words as new", () => {
        const once = { ...base, findings: [base.findings[0]] };
        const twice = { ...base, findings: [base.findings[0], base.findings[0]] };
        assert.equal(diffPlans(once, twice).findingsNew.length, 1);
        assert.equal(diffPlans(twice, once).findingsGone.length, 1);
        assert.equal(diffPlans(twice, twice).findingsNew.length, 0);
    });

    it("counts nothing of a stack that failed on one side as removed or added: its status change says it", () => {
        const failed = planSnapshot(planOf([], [], [], "failed"));
        const diff = diffPlans(base, failed);
        assert.deepEqual([diff.resourcesRemoved.length, diff.pathsGone.length], [0, 0]);
        assert.deepEqual(
            diff.stacksChanged.map((s) => [s.stack, s.base?.status, s.head?.status]),
            [["dev", "planned", "failed"]],
        );
        assert.deepEqual(diffPlans(failed, base).resourcesAdded, []);
    });

    it(`stays under ${SUMMARY_CAP.toLocaleString("en-US")} characters on a large plan, saying what each cut left out`, () => {
        const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
        const pathOf = (i: number, allowedNow: boolean): SnapshotPath => ({
            ...base.paths[2],
            id: `dev-cmi-${i}`,
            action: `s3:Action${i}`,
            allowed: allowedNow,
            holds: !allowedNow,
            why: `another role reads the artifacts, case ${i} of a long list of forbidden paths`,
        });
        const bigBase: PlanSnapshot = { ...base, paths: many(3000, (i) => pathOf(i, false)), resources: [] };
        const bigHead: PlanSnapshot = {
            ...base,
            verdict: "FAIL",
            problems: many(50, (i) => `FORBIDDEN path open: case ${i} `.padEnd(300, "x")),
            paths: many(3000, (i) => pathOf(i, true)),
            findings: many(2000, (i) => ({ stack: "dev", level: "advisory", policy: `p${i}`, urn: `urn::r${i}`, message: "m" })),
            resources: many(5000, (i) => ({ ...base.resources[0], urn: `urn:${i}`, name: `bucket-${i}` })),
        };
        const text = summaryMarkdown(bigHead, { base: bigBase });
        assert.ok(text.length <= SUMMARY_CAP, `${text.length} characters`);
        assert.ok(text.startsWith("## Offline plan: ❌ FAIL\n\n**1 of 1 stacks planned"));
        // Every problem fits; of the 3,000 paths opened, those shown and those said left out add up.
        assert.equal((text.match(/^- FORBIDDEN path open/gm) ?? []).length, 50);
        const shown = (text.match(/^\| dev-cmi-\d+ /gm) ?? []).length;
        const left = Number(/_… ([\d,]+) more paths opened left out/.exec(text)?.[1].replace(/,/g, ""));
        assert.ok(shown > 0 && shown + left === 3000, `${shown} shown + ${left} left out`);
        for (const what of ["resources added", "findings"])
            assert.match(text, new RegExp(`_… [\\d,]+ more ${what} left out to keep this summary under 60,000 characters`));
    });

    it("cuts even a summary whose headings alone are too long, at a line, saying how much it left out", () => {
        const text = fitBlocks([{ head: Array.from({ length: 1000 }, (_, i) => `line ${i} `.padEnd(100, ".")) }], 5000);
        assert.ok(text.length <= 5000);
        assert.match(text, /_… truncated: [\d,]+ more characters left out/);
        assert.ok(text.split("\n")[0].startsWith("line 0"));
    });

    it("is written by the report beside plan.md, and read back as a later run's base", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summary-"));
        try {
            fs.writeFileSync(path.join(dir, "plan.json"), snapshotJson(base));
            assert.deepEqual(readSnapshot(dir), base);
            fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ format: "other" }));
            assert.throws(() => readSnapshot(dir), /not cross-account-models\/plan\/v1/);
            // The command refuses a base it cannot read before any work: a usage error, exit 2.
            const err: string[] = [];
            const code = await runCommand(SPEC, ["--base", path.join(dir, "missing")], main, {
                out: () => undefined,
                err: (l) => err.push(l),
            });
            assert.equal(code, 2);
            assert.match(err.join("\n"), /--base .*missing: no plan\.json in/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
