/**
 * The comparison itself, from what each tool said: one row per case with a cell per tool
 * (applicable or not, flagged or not, and what it reported), then per tool the insecure cases it
 * caught and the acceptable ones it raised a false alarm on, overall and per threat class.
 *
 * The same yardstick for every tool: a tool flags a case when it reports anything on it. For a
 * peer, which has no rule named by the case, that is generous on insecure cases (a finding for
 * another reason counts as caught) and strict on acceptable ones (any finding is a false alarm);
 * for our pack the row also says whether the case's own rule reported it (`verdictHolds`).
 */
import { Finding, verdictHolds } from "../cases/judge";
import { PackCase, ThreatClass } from "../cases/types";
import { IamDocument, documentKey } from "./documents";
import { ParliamentFinding, ParliamentResult, parliamentFindings } from "./parliament";
import { PeerCaseResult } from "./runPolicies";

export const TOOLS = ["pack", "parliament", "parliament+community", "awsguard"] as const;
export type Tool = (typeof TOOLS)[number];

export interface Cell {
    /** Whether the tool reads anything of the case: parliament needs an IAM document, awsguard a resource type it has a policy for. */
    readonly applicable: boolean;
    readonly flagged: boolean;
    /** What it reported: rule names, parliament issues, awsguard policies. */
    readonly reasons: readonly string[];
    /** Where the tool could not finish (a parliament exception, an awsguard policy that calls AWS). */
    readonly errors: readonly string[];
    /** Our pack: whether the case's verdict holds (its rule reported it, or nothing reported an acceptable case). */
    readonly verdictHolds?: boolean;
    /** parliament: some of the case's documents are trust policies, which it reads only in part. */
    readonly partial?: boolean;
    /** parliament: flagged with a finding of MEDIUM severity or above (its LOW ones are style: RESOURCE_STAR, UNKNOWN_ACTION…). */
    readonly flaggedAtMedium?: boolean;
}

export interface Row {
    readonly id: string;
    readonly threat: ThreatClass;
    readonly verdict: PackCase["verdict"];
    readonly rule?: string;
    readonly documents: readonly Pick<IamDocument, "kind">[];
    readonly cells: Readonly<Record<Tool, Cell>>;
}

export interface ToolInputs {
    /** By case id. */
    readonly pack: ReadonlyMap<string, readonly Finding[]>;
    /** By document key; absent when parliament did not run. */
    readonly parliament?: ReadonlyMap<string, ParliamentResult>;
    /** By case id; absent when awsguard did not run. */
    readonly awsguard?: ReadonlyMap<string, PeerCaseResult>;
}

const MEDIUM_OR_ABOVE = new Set(["MEDIUM", "HIGH", "CRITICAL"]);
const unique = (items: readonly string[]) => [...new Set(items)].sort();
const NOT_RUN: Cell = { applicable: false, flagged: false, reasons: [], errors: ["not run"] };

function parliamentCell(docs: readonly IamDocument[], results: ReadonlyMap<string, ParliamentResult>, community: boolean): Cell {
    const findings: ParliamentFinding[] = [];
    const errors: string[] = [];
    for (const d of docs) {
        const result = results.get(documentKey(d));
        if (!result) continue;
        if (result.error) errors.push(result.error);
        findings.push(...parliamentFindings(d, community ? result.community : result.core));
    }
    return {
        applicable: docs.length > 0,
        flagged: findings.length > 0,
        reasons: unique(findings.map((f) => f.issue)),
        errors: unique(errors),
        partial: docs.some((d) => d.kind === "trust"),
        flaggedAtMedium: findings.some((f) => MEDIUM_OR_ABOVE.has(f.severity)),
    };
}

function awsguardCell(result: PeerCaseResult | undefined): Cell {
    if (!result) return NOT_RUN;
    return {
        applicable: result.applicable.length > 0,
        flagged: result.findings.length > 0,
        reasons: unique(result.findings.map((f) => f.policy)),
        errors: unique(result.errors.map((e) => `${e.policy}: ${e.message}`)),
    };
}

export function compareRows(cases: readonly PackCase[], documents: readonly IamDocument[], inputs: ToolInputs): Row[] {
    return cases.map((c) => {
        const docs = documents.filter((d) => d.caseId === c.id);
        const findings = inputs.pack.get(c.id) ?? [];
        const pack: Cell = {
            applicable: true,
            flagged: findings.length > 0,
            reasons: unique(findings.map((f) => f.policy)),
            errors: [],
            verdictHolds: verdictHolds(c, findings),
        };
        const parliament = inputs.parliament;
        return {
            id: c.id,
            threat: c.threat,
            verdict: c.verdict,
            rule: c.rule,
            documents: docs.map((d) => ({ kind: d.kind })),
            cells: {
                pack,
                parliament: parliament ? parliamentCell(docs, parliament, false) : NOT_RUN,
                "parliament+community": parliament ? parliamentCell(docs, parliament, true) : NOT_RUN,
                awsguard: inputs.awsguard ? awsguardCell(inputs.awsguard.get(c.id)) : NOT_RUN,
            },
        };
    });
}

export interface Score {
    readonly insecure: number;
    readonly caught: number;
    readonly acceptable: number;
    readonly falseAlarms: number;
    /** Cases the tool does not read at all (counted as neither caught nor alarmed). */
    readonly notApplicable: number;
    /** Our pack: insecure cases its named rule reported. */
    readonly caughtByRule?: number;
    /** parliament: caught and false alarms counting only findings of MEDIUM severity or above. */
    readonly atMedium?: { readonly caught: number; readonly falseAlarms: number };
}

export function score(rows: readonly Row[], tool: Tool): Score {
    const insecure = rows.filter((r) => r.verdict === "insecure");
    const acceptable = rows.filter((r) => r.verdict === "acceptable");
    return {
        insecure: insecure.length,
        caught: insecure.filter((r) => r.cells[tool].flagged).length,
        acceptable: acceptable.length,
        falseAlarms: acceptable.filter((r) => r.cells[tool].flagged).length,
        notApplicable: rows.filter((r) => !r.cells[tool].applicable).length,
        ...(tool === "pack" ? { caughtByRule: insecure.filter((r) => r.cells.pack.verdictHolds).length } : {}),
        ...(tool === "parliament" || tool === "parliament+community"
            ? {
                  atMedium: {
                      caught: insecure.filter((r) => r.cells[tool].flaggedAtMedium).length,
                      falseAlarms: acceptable.filter((r) => r.cells[tool].flaggedAtMedium).length,
                  },
              }
            : {}),
    };
}

/** Per threat class, alphabetically. */
export function scoreByThreat(rows: readonly Row[], tool: Tool): [ThreatClass, Score][] {
    const classes = unique(rows.map((r) => r.threat)) as ThreatClass[];
    return classes.map((t) => [
        t,
        score(
            rows.filter((r) => r.threat === t),
            tool,
        ),
    ]);
}

/** How a cell reads in the table: insecure cases are caught or missed, acceptable ones quiet or a false alarm. */
export function mark(row: Row, tool: Tool): string {
    const cell = row.cells[tool];
    if (!cell.applicable) return cell.errors.includes("not run") ? "not run" : "n/a";
    // A tool that could not finish on the case (an exception, a call to AWS) and reported nothing says so.
    const unfinished = !cell.flagged && cell.errors.length > 0 ? " (error)" : "";
    if (row.verdict === "insecure") {
        if (!cell.flagged) return `missed${unfinished}`;
        return tool === "pack" && !cell.verdictHolds ? "caught*" : "caught";
    }
    return cell.flagged ? "FALSE ALARM" : `quiet${unfinished}`;
}

/** The findings of one issue (parliament) or policy (awsguard) over the cases: how many insecure and acceptable cases it appeared on. */
export function reasonsTally(rows: readonly Row[], tool: Tool): { reason: string; insecure: number; acceptable: number }[] {
    const tally = new Map<string, { insecure: number; acceptable: number }>();
    for (const r of rows) {
        for (const reason of r.cells[tool].reasons) {
            const t = tally.get(reason) ?? { insecure: 0, acceptable: 0 };
            t[r.verdict] += 1;
            tally.set(reason, t);
        }
    }
    return [...tally]
        .map(([reason, t]) => ({ reason, ...t }))
        .sort((a, b) => b.insecure + b.acceptable - (a.insecure + a.acceptable) || a.reason.localeCompare(b.reason));
}
