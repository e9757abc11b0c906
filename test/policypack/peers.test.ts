/**
 * The peers comparison (npm run policy -- peers) without its peers: the documents it hands to
 * parliament, the way it runs another pack's CrossGuard policies, and the scoring, over fabricated
 * cases and findings. Neither Python nor awsguard's install is needed; the full run is CI's.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Finding } from "../../proof/pack/cases/judge";
import { OUTSIDER, PackCase, doc } from "../../proof/pack/cases/types";
import { Row, compareRows, mark, reasonsTally, score, scoreByThreat } from "../../proof/pack/peers/compare";
import { documentKey, documentKind, iamDocuments } from "../../proof/pack/peers/documents";
import { PARLIAMENT_REQUIREMENTS, ParliamentResult, parliamentFindings } from "../../proof/pack/peers/parliament";
import { PeersReport, renderMarkdown, renderText } from "../../proof/pack/peers/render";
import { PeerPolicy, defaultConfig, runPeerPolicies } from "../../proof/pack/peers/runPolicies";

const allow = (extra: object) => ({ Effect: "Allow", ...extra });
const trust = doc(allow({ Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }));
const readModels = doc(allow({ Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" }));

const role: PackCase = {
    id: "admin-power-role",
    threat: "admin-power",
    verdict: "insecure",
    rule: "iam-no-wildcard-action",
    why: "test",
    resources: [
        {
            type: "aws:iam/role:Role",
            name: "role",
            props: {
                assumeRolePolicy: trust,
                inlinePolicies: [
                    { name: "read", policy: readModels },
                    { name: "all", policy: { Version: "2012-10-17", Statement: [allow({ Action: "*", Resource: "*" })] } },
                ],
                tags: { note: "{not json", config: JSON.stringify({ a: 1 }) },
            },
        },
    ],
};

describe("peers: the IAM documents of a case", () => {
    it("finds every document in any input and tells trust from identity policies on a role", () => {
        const docs = iamDocuments(role);
        assert.deepEqual(
            docs.map((d) => [d.field, d.kind]),
            [
                ["assumeRolePolicy", "trust"],
                ["inlinePolicies[0].policy", "identity"],
                ["inlinePolicies[1].policy", "identity"],
            ],
        );
        assert.equal(docs[0].text, trust, "a JSON string goes to the tools as the program passed it");
        assert.deepEqual(JSON.parse(docs[2].text).Statement[0].Action, "*", "an object is serialised");
        assert.equal(documentKey(docs[1]), "admin-power-role/role/inlinePolicies[0].policy");
    });

    it("tells resource, organization and identity policies apart by resource type", () => {
        const c: PackCase = {
            id: "mixed",
            threat: "open-grant",
            verdict: "acceptable",
            why: "test",
            resources: [
                { type: "aws:s3/bucketPolicy:BucketPolicy", name: "bp", props: { bucket: "b", policy: readModels } },
                { type: "aws:kms/key:Key", name: "key", props: { policy: readModels, enableKeyRotation: true } },
                { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "ep", props: { policy: readModels } },
                { type: "aws:organizations/policy:Policy", name: "scp", props: { type: "SERVICE_CONTROL_POLICY", content: readModels } },
                // A tag policy's content is JSON without a Statement: not an IAM document.
                {
                    type: "aws:organizations/policy:Policy",
                    name: "tags",
                    props: { type: "TAG_POLICY", content: JSON.stringify({ tags: {} }) },
                },
                { type: "aws:iam/userPolicy:UserPolicy", name: "up", props: { policy: readModels } },
                {
                    type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
                    name: "ps",
                    props: { inlinePolicy: readModels },
                },
                // A secret, as the engine sends one.
                {
                    type: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
                    name: "logs",
                    props: {
                        policyDocument: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: readModels },
                    },
                },
                { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: { egress: [{ cidrBlocks: ["0.0.0.0/0"] }] } },
            ],
        };
        assert.deepEqual(
            iamDocuments(c).map((d) => `${d.resource}.${d.field}: ${d.kind}`),
            [
                "bp.policy: resource",
                "key.policy: resource",
                "ep.policy: resource",
                "scp.content: organization",
                "up.policy: identity",
                "ps.inlinePolicy: identity",
                "logs.policyDocument: resource",
            ],
        );
        assert.equal(documentKind("aws:iam/role:Role", "assumeRolePolicy"), "trust");
        assert.equal(documentKind("aws:iam/role:Role", "inlinePolicies[3].policy"), "identity");
    });
});

describe("peers: parliament's findings", () => {
    const missingResource = {
        issue: "MALFORMED",
        severity: "HIGH",
        title: "Malformed",
        detail: "Statement contains neither Resource nor NotResource",
    };
    const federation = { issue: "UNKNOWN_FEDERATION_SOURCE", severity: "MEDIUM", title: "Unknown federation source", detail: "x" };

    it("drops the missing Resource on a trust policy only, which parliament cannot read as one", () => {
        assert.deepEqual(parliamentFindings({ kind: "trust" }, [missingResource, federation]), [federation]);
        assert.deepEqual(parliamentFindings({ kind: "identity" }, [missingResource]), [missingResource]);
    });

    it("pins every package it installs, with hashes", () => {
        const text = fs.readFileSync(PARLIAMENT_REQUIREMENTS, "utf8").replace(/\\\n/g, " ");
        const requirements = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
        assert.ok(requirements.some((r) => r.startsWith("parliament==")));
        for (const r of requirements) assert.match(r, /^[A-Za-z0-9_.-]+==\S+( +--hash=sha256:[0-9a-f]{64})+\s*$/, r);
    });

    it("installs awsguard apart from the project, at the pinned version", () => {
        const dir = path.join(__dirname, "..", "..", "proof", "pack", "peers", "awsguard");
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
        assert.equal(manifest.dependencies["@pulumi/awsguard"], "0.3.1");
        assert.equal(lock.packages["node_modules/@pulumi/awsguard"].version, "0.3.1");
        const root = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
        assert.ok(!("@pulumi/awsguard" in { ...root.dependencies, ...root.devDependencies }), "never in the project's own package.json");
    });
});

describe("peers: another pack's policies, as the framework runs them", () => {
    const Key = { __pulumiType: "aws:kms/key:Key" };
    const typed = (cls: { __pulumiType: string }, validate: (props: any, args: any, report: (m: string) => void) => unknown) => {
        const fn = (args: any, report: (m: string) => void) =>
            args.isType(cls) ? validate(args.props, args, report) : args.notApplicable();
        return Object.assign(fn, { __pulumiType: cls.__pulumiType });
    };
    const policies: PeerPolicy[] = [
        { name: "rotation", validateResource: typed(Key, async (p, _, report) => !p.enableKeyRotation && report("no rotation")) },
        {
            name: "max-age",
            configSchema: { properties: { maxDays: { default: 90 }, enforcementLevel: { default: "advisory" } } },
            validateResource: [typed(Key, (p, args, report) => p.deletionWindowInDays > args.getConfig().maxDays && report("too long"))],
        },
        {
            name: "calls-aws",
            validateResource: typed({ __pulumiType: "aws:iam/userLoginProfile:UserLoginProfile" }, async () => {
                throw new Error("offline");
            }),
        },
        {
            name: "stack-keys",
            validateStack: (args: any, report: (m: string) => void) => {
                const keys = args.resources.filter((r: any) => r.isType(Key));
                if (keys.length === 0) return args.notApplicable();
                if (keys.length > 1) report("several keys");
            },
        },
    ];
    const key = (name: string, props: Record<string, unknown>) => ({ type: "aws:kms/key:Key", name, props });

    it("runs resource policies only on their type, awaits them, reads the schema's defaults", async () => {
        assert.deepEqual(defaultConfig(policies[1]), { maxDays: 90 });
        const result = await runPeerPolicies(policies, [
            key("a", { enableKeyRotation: false, deletionWindowInDays: 100 }),
            key("b", { enableKeyRotation: true }),
        ]);
        assert.deepEqual(result.applicable, ["max-age", "rotation", "stack-keys"]);
        assert.deepEqual(
            result.findings.map((f) => `${f.policy} ${f.resource ?? "-"}: ${f.message}`),
            ["rotation a: no rotation", "max-age a: too long", "stack-keys -: several keys"],
        );
    });

    it("says a case is not applicable when no policy reads its types, and records a policy that throws", async () => {
        const none = await runPeerPolicies(policies, [{ type: "aws:iam/role:Role", name: "r", props: {} }]);
        assert.deepEqual(none, { applicable: [], findings: [], errors: [] });
        const login = await runPeerPolicies(policies, [{ type: "aws:iam/userLoginProfile:UserLoginProfile", name: "lp", props: {} }]);
        assert.deepEqual(login.applicable, ["calls-aws"]);
        assert.deepEqual(login.errors, [{ policy: "calls-aws", resource: "lp", message: "offline" }]);
    });
});

describe("peers: the scores", () => {
    const insecure = (id: string, threat: PackCase["threat"], resources: PackCase["resources"]): PackCase => ({
        id,
        threat,
        verdict: "insecure",
        rule: "rule-a",
        why: "test",
        resources,
    });
    const acceptable = (id: string, threat: PackCase["threat"], resources: PackCase["resources"]): PackCase => ({
        id,
        threat,
        verdict: "acceptable",
        why: "test",
        resources,
    });
    const policyOf = (name: string, policy: string) => ({ type: "aws:iam/policy:Policy", name, props: { policy } });
    const outsiderRead = doc(
        allow({ Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::m/*" }),
    );
    const cases: PackCase[] = [
        insecure("a-caught-by-all", "open-grant", [
            { type: "aws:s3/bucketPolicy:BucketPolicy", name: "bp", props: { policy: outsiderRead } },
        ]),
        insecure("b-other-rule", "admin-power", [policyOf("p", readModels)]),
        insecure("c-no-documents", "open-egress", [{ type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: {} }]),
        acceptable("d-quiet", "admin-power", [policyOf("p", readModels)]),
        acceptable("e-alarm", "admin-power", [{ type: "aws:kms/key:Key", name: "k", props: { policy: readModels } }]),
        acceptable("f-trust", "service-trust", [{ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: trust } }]),
    ];
    const documents = cases.flatMap((c) => iamDocuments(c));
    const finding = (policy: string): Finding => ({ policy, level: "mandatory", message: "m" });
    const pack = new Map<string, Finding[]>([
        ["a-caught-by-all", [finding("rule-a")]],
        ["b-other-rule", [finding("rule-b")]],
        ["e-alarm", [finding("rule-c")]],
    ]);
    const issue = (name: string, severity = "MEDIUM") => ({ issue: name, severity, title: name, detail: "" });
    const parliament = new Map<string, ParliamentResult>(
        documents.map((d) => {
            if (d.caseId === "a-caught-by-all") return [documentKey(d), { core: [], community: [issue("SENSITIVE_ACCESS")] }];
            if (d.caseId === "e-alarm")
                return [documentKey(d), { core: [issue("RESOURCE_STAR", "LOW")], community: [issue("RESOURCE_STAR", "LOW")] }];
            if (d.caseId === "f-trust") {
                const malformed = {
                    issue: "MALFORMED",
                    severity: "HIGH",
                    title: "",
                    detail: "Statement contains neither Resource nor NotResource",
                };
                return [documentKey(d), { core: [malformed], community: [malformed] }];
            }
            return [documentKey(d), { core: [], community: [] }];
        }),
    );
    const awsguard = new Map(
        cases.map((c) => [
            c.id,
            c.id === "e-alarm"
                ? {
                      applicable: ["cmk-backing-key-rotation-enabled"],
                      findings: [{ policy: "cmk-backing-key-rotation-enabled", message: "m" }],
                      errors: [],
                  }
                : { applicable: [], findings: [], errors: [] },
        ]),
    );
    const rows: Row[] = compareRows(cases, documents, { pack, parliament, awsguard });
    const byId = (id: string) => rows.find((r) => r.id === id)!;

    it("marks each case per tool: caught or missed, quiet or a false alarm, or not applicable", () => {
        assert.deepEqual(
            rows.map((r) => [r.id, mark(r, "pack"), mark(r, "parliament"), mark(r, "parliament+community"), mark(r, "awsguard")]),
            [
                ["a-caught-by-all", "caught", "missed", "caught", "n/a"],
                ["b-other-rule", "caught*", "missed", "missed", "n/a"],
                ["c-no-documents", "missed", "n/a", "n/a", "n/a"],
                ["d-quiet", "quiet", "quiet", "quiet", "n/a"],
                ["e-alarm", "FALSE ALARM", "FALSE ALARM", "FALSE ALARM", "FALSE ALARM"],
                ["f-trust", "quiet", "quiet", "quiet", "n/a"],
            ],
        );
        assert.equal(byId("f-trust").cells.parliament.partial, true);
    });

    it("scores caught of insecure and false alarms of acceptable, with our pack's named-rule figure", () => {
        assert.deepEqual(score(rows, "pack"), { insecure: 3, caught: 2, acceptable: 3, falseAlarms: 1, notApplicable: 0, caughtByRule: 1 });
        assert.deepEqual(score(rows, "parliament+community"), {
            insecure: 3,
            caught: 1,
            acceptable: 3,
            falseAlarms: 1,
            notApplicable: 1,
            atMedium: { caught: 1, falseAlarms: 0 },
        });
        assert.deepEqual(score(rows, "awsguard"), { insecure: 3, caught: 0, acceptable: 3, falseAlarms: 1, notApplicable: 5 });
        const threats = new Map(scoreByThreat(rows, "pack"));
        assert.deepEqual([...threats.keys()], ["admin-power", "open-egress", "open-grant", "service-trust"]);
        assert.deepEqual(threats.get("admin-power"), {
            insecure: 1,
            caught: 1,
            acceptable: 2,
            falseAlarms: 1,
            notApplicable: 0,
            caughtByRule: 0,
        });
        assert.deepEqual(reasonsTally(rows, "parliament"), [{ reason: "RESOURCE_STAR", insecure: 0, acceptable: 1 }]);
    });

    it("shows a tool that did not run as such, and one that could not finish", () => {
        const notRun = compareRows(cases, documents, { pack });
        assert.equal(mark(notRun[0], "parliament"), "not run");
        const failed = compareRows(cases.slice(0, 1), documents, {
            pack,
            parliament: new Map([[documentKey(documents[0]), { core: [], community: [], error: "Exception: boom" }]]),
            awsguard: new Map([["a-caught-by-all", { applicable: ["x"], findings: [], errors: [{ policy: "x", message: "offline" }] }]]),
        });
        assert.equal(mark(failed[0], "parliament"), "missed (error)");
        assert.equal(mark(failed[0], "awsguard"), "missed (error)");
    });

    it("renders one table and the scores, in the terminal and in reports/peers.md", () => {
        const report: PeersReport = {
            generated: "2026-01-01T00:00:00Z",
            rows,
            versions: { parliament: "1.6.4", awsguard: "0.3.1" },
            caseTypes: ["aws:iam/policy:Policy", "aws:kms/key:Key"],
            awsguardPolicies: [
                { name: "cmk-backing-key-rotation-enabled", types: ["aws:kms/key:Key"] },
                { name: "elb", types: ["aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"] },
            ],
            projectTypes: new Set(["aws:kms/key:Key", "aws:iam/policy:Policy"]),
            timings: [{ step: "total", seconds: 1.25 }],
        };
        const text = renderText(report);
        assert.match(text, /^6 cases \(3 insecure, 3 acceptable\); 5 IAM documents in 5 of them$/m);
        assert.match(text, /^our pack\s+2 of 3 \(its named rule: 1\)\s+1 of 3\s+0$/m);
        assert.match(text, /^b-other-rule\s+admin-power\s+insecure\s+identity\s+caught\*\s+missed\s+missed\s+n\/a$/m);
        assert.match(text, /^parliament\+community\s+1 of 3 \(MEDIUM\+: 1\)\s+1 of 3 \(MEDIUM\+: 0\)\s+1$/m);
        assert.match(text, /runtime: total 1\.3 s/);
        const md = renderMarkdown(report);
        assert.match(md, /^\| our pack \| 2 of 3 \(its named rule: 1\) \| 1 of 3 \| 0 \|$/m);
        assert.match(md, /never apply to a v7 program: elb \(`aws:elasticloadbalancingv2\/loadBalancer:LoadBalancer`\)/);
        assert.match(
            md,
            /^- `e-alarm` \(acceptable\): our pack: rule-c; parliament: RESOURCE_STAR; .*awsguard: cmk-backing-key-rotation-enabled$/m,
        );
    });
});
