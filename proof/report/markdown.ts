/**
 * The plan's report as Markdown: a headline, the summary, the policy pack's findings, the access
 * matrix grouped by architecture and folded (`<details>`), required and forbidden paths apart, and
 * the stacks with their resources.
 */
import { PathResult } from "../access/prove";
import { accessGraph } from "./graph";
import { ReportInput, decidedBy, inventoryOf } from "./model";
import { architectureName, architecturesOf, shortName } from "./names";
import { PromotionView, summary, table } from "./summary";
import { keyFigures } from "./snapshot";

function headline(input: ReportInput): string[] {
    const ok = input.problems.length === 0;
    // The figures summary.md gives too (proof/report/snapshot.ts).
    const f = keyFigures(input, 0);
    const t = input.timingsMs;
    return [
        `# Offline plan: ${ok ? "PASS" : "FAIL"}`,
        "",
        `**${f.stacks.planned} of ${f.stacks.total} stacks planned · ${f.required.allowed} of ${f.required.total} required paths allowed · ${f.forbidden.refused} of ${f.forbidden.total} forbidden paths refused · ${f.findings.mandatory + f.findings.advisory} policy pack finding(s)${ok ? "" : ` · ${f.problems} problem(s)`}**`,
        "",
        `Stacks run under Pulumi's mock runtime against a simulated AWS, checked by the policy pack over the engine's analyzer protocol, and access proven with an IAM policy simulator. Time: stacks ${Math.round(t.stacks)} ms, policies ${Math.round(t.policies)} ms, access ${Math.round(t.access)} ms, total ${Math.round(t.total)} ms.`,
        "",
        ...(ok ? [] : ["## Problems", "", ...input.problems.map((p) => `- ${p}`), ""]),
    ];
}

function policyPack(input: ReportInput): string[] {
    const findings = input.stacks.flatMap((s) =>
        s.diagnostics.map((d) => [
            s.stack,
            d.enforcementLevel,
            d.policyName,
            d.urn.split("::").pop() || "the stack",
            d.message.split("\n").pop() ?? "",
        ]),
    );
    return [
        "## Policy pack",
        "",
        ...(findings.length === 0
            ? ["No findings on any planned stack."]
            : table(["stack", "level", "policy", "resource", "finding"], findings)),
        "",
    ];
}

/** Where a request goes through: its own endpoint, another account's, or none. */
function through(r: PathResult): string {
    const source = r.path.context["aws:SourceVpce"];
    if (r.path.endpointId) return `own endpoint \`${r.path.endpointId}\``;
    if (typeof source === "string")
        return `another account's endpoint \`${source}\`${r.path.context["aws:VpceAccount"] ? ` (owner ${r.path.context["aws:VpceAccount"]})` : ""}`;
    return "—";
}

function matrix(input: ReportInput): string[] {
    const inventory = inventoryOf(input);
    // A path's ID starts with its stack's name, so the stack needs no column of its own.
    const rows = (results: readonly PathResult[]) =>
        table(
            ["path", "why", "principal", "action", "resource", "through", "decided by", "verdict"],
            results.map((r) => [
                r.path.id,
                r.path.why,
                `\`${shortName(r.path.principal, input.keyAliases)}\``,
                r.path.action,
                `\`${shortName(r.path.resource, input.keyAliases)}\``,
                through(r),
                decidedBy(r, inventory),
                r.holds ? "✅ holds" : "❌ **BROKEN**",
            ]),
        );
    return [
        "## Access matrix",
        "",
        "Every path the architectures require (must be allowed) or forbid (must be refused), decided by the IAM policy simulator over every policy the stacks declare. Stand-ins such as `platform-administrator` (any other role of an account, with administrator rights) and account `999999999999` (anyone outside) are the proof's, not deployed.",
        "",
        ...architecturesOf(input.access.map((r) => r.path.architecture)).flatMap((architecture) => {
            const results = input.access.filter((r) => r.path.architecture === architecture);
            const required = results.filter((r) => r.path.expect === "allowed");
            const forbidden = results.filter((r) => r.path.expect === "denied");
            const broken = results.filter((r) => !r.holds).length;
            const count = (rs: readonly PathResult[], what: string) =>
                `${rs.length} ${what}${rs.every((r) => r.holds) ? " ✅" : ` (${rs.filter((r) => !r.holds).length} ❌)`}`;
            return [
                // A group with a broken path is open, so nobody has to look for it.
                `<details${broken > 0 ? " open" : ""}><summary><b>${architectureName(architecture)}</b>: ${count(required, "required")}, ${count(forbidden, "forbidden")}</summary>`,
                "",
                ...(required.length > 0 ? ["**Required** (must be allowed)", "", ...rows(required), ""] : []),
                ...(forbidden.length > 0 ? ["**Forbidden** (must be refused)", "", ...rows(forbidden), ""] : []),
                "</details>",
                "",
            ];
        }),
    ];
}

function stacksSection(input: ReportInput): string[] {
    return [
        "## Stacks",
        "",
        ...table(
            ["stack", "account", "region", "status", "resources", "mandatory", "advisory"],
            input.stacks.map((s) => {
                const mandatory = s.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
                const total = Object.values(s.resourceCounts).reduce((a, b) => a + b, 0);
                return [
                    s.stack,
                    s.accountId ?? "",
                    s.region ?? "",
                    s.status + (s.reason ? `: ${s.reason}` : ""),
                    String(total),
                    String(mandatory),
                    String(s.diagnostics.length - mandatory),
                ];
            }),
        ),
        "",
        `Order (from the StackReferences the programs declare): ${input.env.graph.levels.map((l) => l.join(" + ")).join(" → ")}. Runs, re-applications for feedback references included: ${input.env.sequence.join(" → ")} (${input.env.convergencePasses} re-application pass(es)).`,
        "",
        ...input.stacks.flatMap((s) => {
            const counts = Object.entries(s.resourceCounts).sort(([a], [b]) => a.localeCompare(b));
            return counts.length === 0
                ? []
                : [
                      `<details><summary>${s.stack}: resources by type</summary>`,
                      "",
                      ...table(
                          ["resource type", "count"],
                          counts.map(([t, n]) => [`\`${t}\``, String(n)]),
                      ),
                      "",
                      "</details>",
                      "",
                  ];
        }),
    ];
}

export function markdownReport(input: ReportInput, diagramFile: string, promotion?: PromotionView): string {
    return [
        ...headline(input),
        ...summary(input, accessGraph(input), diagramFile, promotion),
        ...policyPack(input),
        ...matrix(input),
        ...stacksSection(input),
    ].join("\n");
}
