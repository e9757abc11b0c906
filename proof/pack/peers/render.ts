/** The comparison as the terminal shows it and as reports/peers.md keeps it. */
import { DocumentKind } from "./documents";
import { Row, Score, TOOLS, Tool, mark, reasonsTally, score, scoreByThreat } from "./compare";

export interface Timing {
    readonly step: string;
    readonly seconds: number;
}

export interface PeersReport {
    readonly generated: string;
    readonly rows: readonly Row[];
    readonly versions: Readonly<Partial<Record<"parliament" | "awsguard", string>>>;
    /** The resource types the cases use, and those awsguard has a policy for. */
    readonly caseTypes: readonly string[];
    readonly awsguardPolicies?: readonly { readonly name: string; readonly types: readonly string[] }[];
    /** The type tokens of the project's @pulumi/aws (v7). */
    readonly projectTypes?: ReadonlySet<string>;
    readonly timings: readonly Timing[];
}

const HEADS: Record<Tool, string> = {
    pack: "our pack",
    parliament: "parliament",
    "parliament+community": "parliament+community",
    awsguard: "awsguard",
};

/** Columns padded to their widest cell. */
export function textTable(head: readonly string[], body: readonly (readonly string[])[]): string {
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function markdownTable(head: readonly string[], body: readonly (readonly string[])[]): string {
    const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
    return [line(head), line(head.map(() => "---")), ...body.map(line)].join("\n");
}

const kinds = (row: Row): string => {
    if (row.documents.length === 0) return "-";
    const counts = new Map<DocumentKind, number>();
    for (const d of row.documents) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
    return [...counts].map(([k, n]) => (n > 1 ? `${n} ${k}` : k)).join(", ");
};

function caseBody(rows: readonly Row[]): string[][] {
    return rows.map((r) => [r.id, r.threat, r.verdict, kinds(r), ...TOOLS.map((t) => mark(r, t))]);
}
const CASE_HEAD = ["case", "threat", "verdict", "IAM documents", ...TOOLS.map((t) => HEADS[t])];

const caught = (s: Score) => `${s.caught} of ${s.insecure}`;
const alarms = (s: Score) => `${s.falseAlarms} of ${s.acceptable}`;

function summaryBody(rows: readonly Row[]): string[][] {
    return TOOLS.map((t) => {
        const s = score(rows, t);
        const byRule = s.caughtByRule !== undefined ? ` (its named rule: ${s.caughtByRule})` : "";
        const medium = (n: number) => (s.atMedium ? ` (MEDIUM+: ${n})` : "");
        return [
            HEADS[t],
            `${caught(s)}${byRule}${medium(s.atMedium?.caught ?? 0)}`,
            `${alarms(s)}${medium(s.atMedium?.falseAlarms ?? 0)}`,
            String(s.notApplicable),
        ];
    });
}
const SUMMARY_HEAD = ["tool", "caught (insecure cases)", "false alarms (acceptable cases)", "not applicable"];

function threatBody(rows: readonly Row[]): string[][] {
    const perTool = TOOLS.map((t) => new Map(scoreByThreat(rows, t)));
    return [...perTool[0].keys()].map((threat) => {
        const base = perTool[0].get(threat)!;
        return [
            threat,
            `${base.insecure} / ${base.acceptable}`,
            ...perTool.map((m) => {
                const s = m.get(threat)!;
                return `${s.caught}/${s.insecure} caught, ${s.falseAlarms}/${s.acceptable} alarms`;
            }),
        ];
    });
}
const THREAT_HEAD = ["threat class", "insecure / acceptable", ...TOOLS.map((t) => HEADS[t])];

const withDocuments = (rows: readonly Row[]) => rows.filter((r) => r.documents.length > 0);

function header(report: PeersReport): string[] {
    const rows = report.rows;
    const docs = rows.reduce((n, r) => n + r.documents.length, 0);
    const insecure = rows.filter((r) => r.verdict === "insecure").length;
    return [
        `${rows.length} cases (${insecure} insecure, ${rows.length - insecure} acceptable); ${docs} IAM documents in ${withDocuments(rows).length} of them`,
        `tools: our pack (judge: every rule, the environment's config), parliament ${report.versions.parliament ?? "(not run)"} ` +
            `(core checks; +community: with its community auditors), @pulumi/awsguard ${report.versions.awsguard ?? "(not run)"} (default config)`,
    ];
}

export function renderText(report: PeersReport): string {
    const rows = report.rows;
    return [
        ...header(report),
        "",
        textTable(CASE_HEAD, caseBody(rows)),
        "",
        `cases with IAM documents (${withDocuments(rows).length}):`,
        textTable(SUMMARY_HEAD, summaryBody(withDocuments(rows))),
        "",
        `all cases (${rows.length}):`,
        textTable(SUMMARY_HEAD, summaryBody(rows)),
        "",
        "per threat class (all cases):",
        textTable(THREAT_HEAD, threatBody(rows)),
        "",
        `runtime: ${report.timings.map((t) => `${t.step} ${t.seconds.toFixed(1)} s`).join(", ")}`,
    ].join("\n");
}

function reported(rows: readonly Row[]): string[] {
    const lines: string[] = [];
    for (const r of rows) {
        const parts = TOOLS.filter((t) => r.cells[t].reasons.length > 0 || r.cells[t].errors.length > 0).map((t) => {
            const cell = r.cells[t];
            const errors = cell.errors.length > 0 ? ` (could not finish: ${cell.errors.join("; ")})` : "";
            return `${HEADS[t]}: ${cell.reasons.join(", ") || "nothing"}${errors}`;
        });
        if (parts.length > 0) lines.push(`- \`${r.id}\` (${r.verdict}${r.rule ? `, rule ${r.rule}` : ""}): ${parts.join("; ")}`);
    }
    return lines.length > 0 ? lines : ["Nothing was reported on any case."];
}

function tallies(rows: readonly Row[], tool: Tool, what: string): string[] {
    const t = reasonsTally(rows, tool);
    if (t.length === 0) return [`${HEADS[tool]} reported nothing.`];
    return [
        markdownTable(
            [what, "insecure cases", "acceptable cases"],
            t.map((x) => [x.reason, String(x.insecure), String(x.acceptable)]),
        ),
    ];
}

function awsguardCoverage(report: PeersReport): string[] {
    const policies = report.awsguardPolicies;
    if (!policies) return ["awsguard did not run."];
    const known = new Set(policies.flatMap((p) => p.types));
    const used = report.caseTypes.filter((t) => known.has(t));
    const unknown = report.caseTypes.filter((t) => !known.has(t));
    return [
        `awsguard has ${policies.length} policies, keyed on @pulumi/aws v4 type tokens; none reads an IAM document. ` +
            `Of the ${report.caseTypes.length} resource types the cases use, it has a policy for ${used.length}: ` +
            `${
                used
                    .map(
                        (t) =>
                            `\`${t}\` (${policies
                                .filter((p) => p.types.includes(t))
                                .map((p) => p.name)
                                .join(", ")})`,
                    )
                    .join(", ") || "none"
            }.`,
        "",
        `Types it has no policy for (its cells are "n/a" on a case made only of these): ${unknown.map((t) => `\`${t}\``).join(", ") || "none"}.`,
        ...(report.projectTypes ? ["", staleTypes(policies, report.projectTypes)] : []),
    ];
}

function staleTypes(policies: NonNullable<PeersReport["awsguardPolicies"]>, projectTypes: ReadonlySet<string>): string {
    const stale = policies.flatMap((p) => p.types.filter((t) => !projectTypes.has(t)).map((t) => `${p.name} (\`${t}\`)`));
    return stale.length === 0
        ? "Every type awsguard keys on is still a type of the project's @pulumi/aws (v7)."
        : `Keyed on v4 types that the project's @pulumi/aws (v7) no longer has, so they never apply to a v7 program: ${stale.join(", ")}.`;
}

export function renderMarkdown(report: PeersReport): string {
    const rows = report.rows;
    return [
        "# Policy pack peers",
        "",
        `Generated by \`npm run policy -- peers\` at ${report.generated} (docs/policy-pack-peers.md says what is compared).`,
        "",
        ...header(report).map((l) => `${l}.`),
        "",
        "A tool flags a case when it reports anything on it: on an insecure case that is caught, on an acceptable one a false alarm. " +
            "`caught*`: our pack reported the case, but not with the rule the case names. `n/a`: the tool reads nothing of the case " +
            "(parliament: no IAM document; awsguard: no resource type it has a policy for). MEDIUM+: parliament's figure counting " +
            "only its findings of MEDIUM severity or above (its LOW ones are RESOURCE_STAR, UNKNOWN_ACTION and the like).",
        "",
        `## Cases with IAM documents (${withDocuments(rows).length})`,
        "",
        markdownTable(SUMMARY_HEAD, summaryBody(withDocuments(rows))),
        "",
        `## All cases (${rows.length})`,
        "",
        markdownTable(SUMMARY_HEAD, summaryBody(rows)),
        "",
        "## Per threat class (all cases)",
        "",
        markdownTable(THREAT_HEAD, threatBody(rows)),
        "",
        "## Per case",
        "",
        markdownTable(CASE_HEAD, caseBody(rows)),
        "",
        "## What each tool reported",
        "",
        ...reported(rows),
        "",
        "## parliament's issues",
        "",
        "On how many cases each issue appeared (with community auditors; the core checks are the same list less the community issues). " +
            "A trust policy's missing `Resource` is not counted: parliament 1.6.4 reads every document as an identity policy.",
        "",
        ...tallies(rows, "parliament+community", "issue"),
        "",
        "## awsguard's coverage",
        "",
        ...awsguardCoverage(report),
        "",
        ...tallies(rows, "awsguard", "policy"),
        "",
        "## Runtime",
        "",
        markdownTable(
            ["step", "seconds"],
            report.timings.map((t) => [t.step, t.seconds.toFixed(1)]),
        ),
        "",
    ].join("\n");
}
