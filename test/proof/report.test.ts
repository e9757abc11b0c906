/**
 * The plan's report from a small hand-made plan result (no plan run): the diagram's DOT (accounts
 * as clusters, SCPs attached, required and forbidden edges apart, stand-ins and outsiders marked,
 * a legend, short IDs), its SVG, and the Markdown (summary first, matrix folded by architecture).
 */
import { strict as assert } from "assert";
import { PathResult } from "../../proof/access/prove";
import { AccessPath } from "../../proof/access/accessPath";
import { AccessDecision } from "../../proof/access/simulator";
import { ReportInput, accessDot, markdownReport } from "../../proof/report";
import { EDGE_STYLE } from "../../proof/report/diagram";
import { renderSvg } from "../../proof/report/render";
import { RecordedResource, StackRun } from "../../proof/runtime/runStack";
import { readStackConfig } from "../../ops/project";

const ORG = "112233445566";
const RESEARCH = "111122223333";
const DEV = "777788889999";
const CMI = `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`;
const ADMIN = `arn:aws:iam::${DEV}:role/platform-administrator`;
const OBJECT = `arn:aws:s3:::model-artifacts-${RESEARCH}/weights/config.json`;

const resource = (type: string, name: string, inputs: Record<string, any>, state: Record<string, any>): RecordedResource => ({
    type,
    name,
    urn: `urn:pulumi:x::p::${type}::${name}`,
    custom: true,
    inputs,
    state: { ...inputs, ...state },
    secretInputs: [],
    protect: false,
    parent: "",
    dependencies: [],
    propertyDependencies: {},
});
const doc = (sid: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Deny", Action: "s3:*", Resource: "*" }] });
const run = (
    stack: string,
    accountId: string,
    program: string,
    resources: RecordedResource[],
    outputs: Record<string, any> = {},
): [string, StackRun] => [
    stack,
    { stack, accountId, region: "us-east-1", config: { "cross-account-models:program": program }, resources, outputs },
];

const allowed: AccessDecision = { allowed: true, result: "Allowed", denials: [] };
function path(
    id: string,
    architecture: string,
    expect: AccessPath["expect"],
    principal: string,
    action: string,
    resourceArn: string,
    more: Partial<AccessPath> = {},
): AccessPath {
    return {
        id,
        architecture,
        expect,
        why: `why ${id}`,
        stack: "dev",
        principal,
        identity: "declared",
        action,
        resource: resourceArn,
        resourceAccount: RESEARCH,
        context: {},
        ...more,
    };
}
const result = (p: AccessPath, decision: AccessDecision, holds = true): PathResult => ({ path: p, decision, holds });

/** An org with one SCP on dev, research sharing a bucket, dev reading it through its S3 endpoint. */
function fixture(access?: PathResult[]): ReportInput {
    const runs = new Map([
        run("org", ORG, "organization", [
            resource(
                "aws:organizations/policy:Policy",
                "deny-s3-deletes",
                { name: "deny-s3-deletes", type: "SERVICE_CONTROL_POLICY", content: doc("DenyDeletes") },
                { id: "p-1" },
            ),
            resource(
                "aws:organizations/policyAttachment:PolicyAttachment",
                "deny-s3-deletes-dev",
                { policyId: "p-1", targetId: DEV },
                { id: "a-1" },
            ),
        ]),
        run("research", RESEARCH, "research", [
            resource(
                "aws:s3/bucket:Bucket",
                "artifacts",
                {},
                {
                    id: `model-artifacts-${RESEARCH}`,
                    bucket: `model-artifacts-${RESEARCH}`,
                    arn: `arn:aws:s3:::model-artifacts-${RESEARCH}`,
                },
            ),
            resource(
                "aws:s3/bucketPolicy:BucketPolicy",
                "artifacts-policy",
                { bucket: `model-artifacts-${RESEARCH}`, policy: doc("DenyOutsideEndpoints") },
                { id: "bp" },
            ),
        ]),
        run("dev", DEV, "hosting", [
            resource(
                "aws:iam/role:Role",
                "cmi-role",
                { assumeRolePolicy: doc("Trust") },
                { id: "cmi", name: `BedrockCMIExecutionRole-${DEV}`, arn: CMI },
            ),
            resource(
                "aws:ec2/vpcEndpoint:VpcEndpoint",
                "network-s3",
                { serviceName: "com.amazonaws.us-east-1.s3", policy: doc("Endpoint") },
                { id: "vpce-0aaa" },
            ),
        ]),
    ]);
    const deniedBy = (policy: string, statementId?: string, policyType = "resource"): AccessDecision => ({
        allowed: false,
        result: statementId ? "ExplicitlyDenied" : "ImplicitlyDenied",
        denials: [{ policyType, explicit: !!statementId, policy, statementId }],
    });
    return {
        stacks: [
            {
                stack: "org",
                accountId: ORG,
                region: "us-east-1",
                status: "planned",
                resourceCounts: { "aws:organizations/policy:Policy": 1 },
                diagnostics: [],
            },
            {
                stack: "research",
                accountId: RESEARCH,
                region: "us-east-1",
                status: "planned",
                resourceCounts: { "aws:s3/bucket:Bucket": 1 },
                diagnostics: [],
            },
            {
                stack: "dev",
                accountId: DEV,
                region: "us-east-1",
                status: "planned",
                resourceCounts: { "aws:iam/role:Role": 1 },
                diagnostics: [
                    {
                        policyName: "s3-versioning",
                        message: "Bucket x has no versioning",
                        enforcementLevel: "advisory",
                        urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::x",
                        severity: 0,
                    },
                ],
            },
        ],
        access: access ?? [
            result(
                path("dev-cmi-01", "bedrock-cmi", "allowed", CMI, "s3:GetObject", OBJECT, {
                    endpointId: "vpce-0aaa",
                    context: { "aws:SourceVpce": "vpce-0aaa" },
                }),
                allowed,
            ),
            result(
                path("dev-cmi-02", "bedrock-cmi", "denied", ADMIN, "s3:GetObject", OBJECT, { identity: "administrator" }),
                deniedBy("research: BucketPolicy artifacts-policy"),
            ),
            result(
                path("dev-cmi-03", "bedrock-cmi", "denied", CMI, "s3:GetObject", OBJECT, {
                    context: { "aws:SourceVpce": "vpce-0999999999999999a" },
                }),
                deniedBy("research: BucketPolicy artifacts-policy", "DenyOutsideEndpoints"),
            ),
            result(
                path("dev-scp-01", "guardrails", "denied", ADMIN, "s3:DeleteBucket", "*", {
                    identity: "administrator",
                    resourceAccount: DEV,
                }),
                deniedBy("org: Policy deny-s3-deletes", "DenyDeletes", "scp"),
            ),
        ],
        keyAliases: new Map(),
        problems: [],
        timingsMs: { stacks: 1, policies: 1, access: 1, total: 3 },
        env: {
            runs,
            graph: { levels: [["org", "research"], ["dev"]], upstream: new Map() },
            sequence: ["org", "research", "dev"],
            convergencePasses: 0,
        },
    };
}

/** The DOT's statements with the clusters each sits in. */
function parseDot(dot: string) {
    const nodes = new Map<string, { attrs: string; clusters: string[] }>();
    const edges: { from: string; to: string; attrs: string; clusters: string[] }[] = [];
    const stack: string[] = [];
    for (const line of dot.split("\n").map((l) => l.trim())) {
        const cluster = /^subgraph (\w+) \{$/.exec(line);
        const edge = /^(\w+) -> (\w+) \[(.*)\]$/.exec(line);
        const node = /^(\w+) \[(.*)\]$/.exec(line);
        if (cluster) stack.push(cluster[1]);
        else if (line === "}") stack.pop();
        else if (edge) edges.push({ from: edge[1], to: edge[2], attrs: edge[3], clusters: [...stack] });
        else if (node && !["graph", "node", "edge"].includes(node[1])) nodes.set(node[1], { attrs: node[2], clusters: [...stack] });
    }
    return { nodes, edges };
}

const styleOf = (attrs: string) => ({
    color: /color="([^"]+)"/.exec(attrs)?.[1],
    style: /style=(\w+)/.exec(attrs)?.[1],
    arrowhead: /arrowhead=(\w+)/.exec(attrs)?.[1],
});

describe("plan report", () => {
    const input = fixture();
    const dot = accessDot(input);
    const { nodes, edges } = parseDot(dot);
    const nodeLabelled = (text: string) => [...nodes].find(([, n]) => n.attrs.includes(text));

    it("draws each account as a cluster, the organization's SCP inside it, attached to the account it governs", () => {
        for (const [stack, account] of [
            ["org", ORG],
            ["research", RESEARCH],
            ["dev", DEV],
        ]) {
            assert.match(
                dot,
                new RegExp(`subgraph cluster_\\w+_${stack} \\{\\n\\s+label=<<B>${stack} · ${account}</B>`),
                `no cluster for ${stack}`,
            );
        }
        const [scpId, scp] = nodeLabelled("deny-s3-deletes")!;
        assert.ok(
            scp.clusters.some((c) => c.endsWith("_org")),
            `SCP outside the org cluster: ${scp.clusters}`,
        );
        const governs = edges.filter((e) => e.from === scpId);
        assert.deepEqual(
            governs.map((e) => /lhead=(\w+)/.exec(e.attrs)?.[1]),
            ["cluster_scp_dev"],
        );
        assert.deepEqual(styleOf(governs[0].attrs), { color: EDGE_STYLE.scp.color, style: "dotted", arrowhead: "empty" });
    });

    it("tells required from forbidden edges: solid green versus dashed red ending in a bar", () => {
        const [cmi] = nodeLabelled(`BedrockCMIExecutionRole-${DEV}`)!;
        const [bucket] = nodeLabelled(`model-artifacts-${RESEARCH}`)!;
        const required = edges.find((e) => e.from === cmi && e.to === bucket)!;
        assert.deepEqual(styleOf(required.attrs), { color: EDGE_STYLE.required.color, style: "solid", arrowhead: "normal" });
        assert.match(required.attrs, /label="s3:GetObject weights\/\\nvia s3 endpoint"/);
        const forbidden = edges.filter((e) => e.to === bucket && e !== required);
        assert.equal(forbidden.length, 2);
        for (const edge of forbidden)
            assert.deepEqual(styleOf(edge.attrs), { color: EDGE_STYLE.forbidden.color, style: "dashed", arrowhead: "tee" });
        assert.notEqual(EDGE_STYLE.required.color, EDGE_STYLE.forbidden.color);
    });

    it("draws a path that does not hold in the broken style, whatever it expected", () => {
        const broken = fixture(fixture().access.map((r) => (r.path.id === "dev-cmi-02" ? { ...r, holds: false } : r)));
        const drawn = parseDot(accessDot(broken)).edges.filter((e) => /label="BROKEN /.test(e.attrs));
        assert.equal(drawn.length, 1);
        assert.deepEqual(styleOf(drawn[0].attrs), { color: EDGE_STYLE.broken.color, style: "bold", arrowhead: "normal" });
        assert.match(drawn[0].attrs, /dev-cmi-02: why dev-cmi-02 \(DOES NOT HOLD\)/);
    });

    it("marks the proof's stand-ins and puts another account's endpoint in the outside cluster", () => {
        const [, admin] = nodeLabelled("any other role")!;
        assert.match(admin.attrs, /stand-in \(platform-administrator\)/);
        assert.match(admin.attrs, /style="dashed,rounded"/);
        const [foreignId, foreign] = nodeLabelled("vpce-0999999999999999a")!;
        assert.ok(
            foreign.clusters.some((c) => c.endsWith("_outside")),
            `foreign endpoint in ${foreign.clusters}`,
        );
        // The refused read through it is drawn from the endpoint, naming whose credentials were used.
        assert.match(edges.find((e) => e.from === foreignId)!.attrs, /with dev credentials/);
        const [, cmi] = nodeLabelled(`BedrockCMIExecutionRole-${DEV}`)!;
        assert.doesNotMatch(cmi.attrs, /dashed/);
    });

    it("has a legend with a sample of every edge style", () => {
        const legend = edges.filter((e) => e.clusters.includes("cluster_legend"));
        for (const style of Object.values(EDGE_STYLE)) {
            assert.ok(
                legend.some((e) => styleOf(e.attrs).color === style.color && styleOf(e.attrs).style === style.style),
                `legend lacks ${style.color} ${style.style}`,
            );
        }
        assert.ok([...nodes].some(([, n]) => n.clusters.includes("cluster_legend") && n.attrs.includes("stand-in")));
    });

    it("uses short identifiers, whatever the ARNs", () => {
        const ids = [...nodes.keys(), ...edges.flatMap((e) => [e.from, e.to]), ...[...dot.matchAll(/subgraph (\w+)/g)].map((m) => m[1])];
        assert.ok(ids.length > 10);
        for (const id of ids) assert.ok(id.length <= 40 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(id), `identifier ${id}`);
    });

    it("renders to SVG offline", async () => {
        // Graphviz writes hyphens in text as character references.
        const svg = (await renderSvg(dot)).svg.replace(/&#45;/g, "-");
        assert.match(svg, /^<\?xml[\s\S]*<svg /);
        for (const text of [`org · ${ORG}`, "deny-s3-deletes", "Legend", "✕ s3:GetObject"])
            assert.ok(svg.includes(text), `SVG lacks ${text}`);
    });

    describe("Markdown", () => {
        const markdown = markdownReport(input, "access.svg");
        const headings = markdown.split("\n").filter((l) => /^##? /.test(l));

        it("starts with the summary: the diagram, the accounts, what is shared through which endpoint held by which policy", () => {
            assert.deepEqual(headings.slice(0, 2), ["# Offline plan: PASS", "## Summary"]);
            const summary = markdown.slice(markdown.indexOf("## Summary"), markdown.indexOf("## Policy pack"));
            assert.ok(summary.includes("![Accounts, what they share with whom, and what is refused](access.svg)"));
            assert.match(
                summary,
                new RegExp(`\\| \`${DEV}\` \\| dev \\| model hosting \\| 1 role; 1 VPC endpoint \\| deny-s3-deletes \\|`),
            );
            assert.ok(
                summary.includes(
                    `| dev | BedrockCMIExecutionRole-${DEV} | s3:GetObject weights/ | model-artifacts-${RESEARCH} (research) | own s3 endpoint | research bucket policy + dev endpoint policy |`,
                ),
                summary,
            );
            assert.ok(summary.includes("why dev-cmi-03 (dev): research bucket policy (DenyOutsideEndpoints)"));
            assert.match(summary, /\| `deny-s3-deletes` \| org \| dev \(777788889999\) \| DenyDeletes: s3:\* \| 1 refused path\(s\) \|/);
            assert.ok(headings.indexOf("## Summary") < headings.indexOf("## Access matrix"));
        });

        it("lists the policy pack's findings", () => {
            assert.ok(markdown.includes("| dev | advisory | s3-versioning | x | Bucket x has no versioning |"));
        });

        it("folds the matrix by architecture, required and forbidden apart, a group with a broken path open", () => {
            const matrix = markdown.slice(markdown.indexOf("## Access matrix"), markdown.indexOf("## Stacks"));
            const groups = matrix.split("<details").slice(1);
            assert.deepEqual(
                groups.map((g) => /<b>([^<]+)<\/b>: (.*)<\/summary>/.exec(g)?.slice(1)),
                [
                    ["Bedrock Custom Model Import", "1 required ✅, 2 forbidden ✅"],
                    ["Organizations guardrails (SCPs)", "0 required ✅, 1 forbidden ✅"],
                ],
            );
            assert.ok(groups[0].indexOf("**Required**") < groups[0].indexOf("**Forbidden**"));
            assert.ok(
                groups[0].includes(
                    "| dev-cmi-02 | why dev-cmi-02 | `platform-administrator` | s3:GetObject | `s3://model-artifacts-111122223333/weights/config.json` | — | no Allow in research bucket policy | ✅ holds |",
                ),
            );

            const broken = fixture(fixture().access.map((r, i) => (i === 0 ? { ...r, holds: false } : r)));
            const text = markdownReport({ ...broken, problems: ["REQUIRED path refused"] }, "access.svg");
            assert.match(text, /<details open><summary><b>Bedrock Custom Model Import<\/b>: 1 required \(1 ❌\)/);
            assert.ok(text.startsWith("# Offline plan: FAIL"));
        });

        it("writes the promotion view: the versions each consumer can call, and a planned promotion step by step", () => {
            const version = (n: string) => `arn:aws:rekognition:us-east-1:${RESEARCH}:project/tool-detector/version/tool-detector.${n}/1`;
            const access = `arn:aws:iam::${RESEARCH}:role/RekognitionModelAccess-${DEV}`;
            const own = { endpointId: "vpce-0rek", context: { "aws:SourceVpce": "vpce-0rek" }, resourceAccount: RESEARCH };
            const withVersions = fixture([
                result(
                    path("dev-rek-01", "rekognition-shared", "allowed", access, "rekognition:DetectCustomLabels", version("v2"), own),
                    allowed,
                ),
                result(path("dev-rek-02", "rekognition-shared", "denied", access, "rekognition:DetectCustomLabels", version("v1"), own), {
                    allowed: false,
                    result: "ImplicitlyDenied",
                    denials: [],
                }),
            ]);
            const runs = new Map(withVersions.env.runs);
            runs.set("dev", { ...runs.get("dev")!, outputs: { activeModelVersionArn: version("v2") } });
            const text = markdownReport({ ...withVersions, env: { ...withVersions.env, runs } }, "access.svg", {
                stack: "dev",
                to: version("v1"),
                log: ["granted v1"],
                snapshots: [
                    { after: "before", active: version("v2"), callable: { [version("v2")]: true, [version("v1")]: false }, problems: [] },
                ],
            });
            assert.ok(text.includes("| dev | `tool-detector.v2` | ✅ allowed | ✕ denied |"), text);
            assert.ok(text.includes("#### Promotion of dev to `tool-detector.v1`, planned offline"));
            assert.ok(text.includes("| before | `tool-detector.v2` | ✅ allowed | ✕ denied | — |"));
            assert.ok(text.includes("- granted v1"));
        });

        it("shows which package each SageMaker target serves and may serve, and leaves the registry's approval unread", () => {
            const pkg = (n: number) => `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package/abalone-models/${n}`;
            const execution = `arn:aws:iam::${DEV}:role/SageMakerModelExecutionRole-${DEV}`;
            const describes = (stack: string, n: number, allowedHere: boolean) =>
                result(
                    path(`${stack}-sm-01`, "sagemaker", "allowed", execution, "sagemaker:DescribeModelPackage", pkg(n), { stack }),
                    allowedHere ? allowed : { allowed: false, result: "ImplicitlyDenied", denials: [] },
                    allowedHere,
                );
            const base = fixture([describes("dev", 4, true), describes("prod", 5, false)]);
            const runs = new Map(base.env.runs);
            runs.set("research", {
                ...runs.get("research")!,
                config: readStackConfig("research"),
                outputs: {
                    sagemaker: {
                        modelPackageGroupArn: `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package-group/abalone-models`,
                        modelPackageGroupName: "abalone-models",
                        approvedModelPackages: [pkg(3), pkg(4)],
                        modelDataPrefix: "sagemaker-models/",
                        targets: [
                            { stack: "dev", accountId: DEV },
                            { stack: "prod", accountId: "444455556666" },
                            { stack: "qa", accountId: "555566667777" },
                        ],
                    },
                },
            });
            runs.set("dev", { ...runs.get("dev")!, outputs: { servedModelPackageArn: pkg(4) } });
            runs.set("prod", { ...runs.get("dev")!, stack: "prod", outputs: { servedModelPackageArn: pkg(5) } });
            const text = markdownReport({ ...base, env: { ...base.env, runs } }, "access.svg");
            const section = text.slice(text.indexOf("### SageMaker model packages"), text.indexOf("## Policy pack"));
            assert.ok(section.length > 0, "no SageMaker packages section");
            assert.match(
                section,
                /The plan cannot read the registry, so no status is shown: `npm run env -- rollout` reads it .* as `arn:aws:iam::111122223333:role\/CrossAccountModelsDeployment-111122223333` \(research\)/,
            );
            const rows = section.split("\n").filter((l) => /^\| (dev|prod|qa) \|/.test(l));
            assert.deepEqual(rows, [
                "| dev | `abalone-models/4` ✅ granted | `abalone-models/3`, `abalone-models/4` | ✅ allowed | not read offline; checked at rollout time |",
                "| prod | `abalone-models/5` ✕ not granted | `abalone-models/3`, `abalone-models/4` | ✕ refused | not read offline; checked at rollout time |",
                "| qa | — (not planned) | `abalone-models/3`, `abalone-models/4` | — | not read offline; checked at rollout time |",
            ]);
            assert.doesNotMatch(section, /PendingManualApproval|\| Approved|Rejected/, "no registry status made up offline");
            assert.ok(!markdownReport(fixture(), "access.svg").includes("### SageMaker model packages"), "no section without a registry");
        });
    });
});
