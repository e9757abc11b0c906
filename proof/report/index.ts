/**
 * The plan's report: `plan.md` (summary first, then the policy pack, the folded access matrix and
 * the stacks), `access.svg` (the access diagram, rendered offline from DOT), `plan.json` (the plan
 * as data, which a later run's `--base` reads) and `summary.md` (for a pull-request comment: the
 * verdict, the key figures and what changed since a base plan), and `index.html` (the same, for the
 * browser: a view per architecture, the findings and the matrix as filtered tables; `html/`).
 */
import * as fs from "fs";
import * as path from "path";
import { ReportInput } from "./model";
import { markdownReport } from "./markdown";
import { accessDot } from "./diagram";
import { renderSvg } from "./render";
import { PromotionView } from "./summary";
import { writeFileAtomicSync } from "../../ops/atomicFile";
import { PLAN_JSON, PlanSnapshot, planSnapshot, snapshotJson } from "./snapshot";
import { SUMMARY_FILE, summaryMarkdown } from "./comment";
import { HTML_FILE, htmlReport } from "./html";

export { ReportInput, PromotionView, markdownReport, accessDot };

export const DIAGRAM_FILE = "access.svg";

/** The one place report files are written, each whole, into `dir`; returns their paths. */
function writeFiles(dir: string, files: Readonly<Record<string, string>>): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return Object.entries(files).map(([name, content]) => {
        const file = path.join(dir, name);
        writeFileAtomicSync(file, content);
        return file;
    });
}

export interface WrittenReport {
    readonly files: readonly string[];
    /** Time spent rendering the SVG (most of it loading Graphviz's WebAssembly the first time). */
    readonly renderMs: number;
}

export interface ReportOptions {
    readonly promotion?: PromotionView;
    /** Every reason the run fails, the plan's and the command's (a planned promotion's); default the plan's. */
    readonly problems?: readonly string[];
    /** A previous plan, for the changes in `summary.md`. */
    readonly base?: PlanSnapshot;
    readonly baseLabel?: string;
}

/** Writes `plan.md`, `access.svg`, `plan.json`, `summary.md` and `index.html` into `dir`. */
export async function writeReport(input: ReportInput, dir: string, options: ReportOptions = {}): Promise<WrittenReport> {
    const { svg, ms } = await renderSvg(accessDot(input));
    const snapshot = planSnapshot(input, options.problems);
    const files = writeFiles(dir, {
        "plan.md": markdownReport(input, DIAGRAM_FILE, options.promotion),
        [DIAGRAM_FILE]: svg,
        [PLAN_JSON]: snapshotJson(snapshot),
        [SUMMARY_FILE]: summaryMarkdown(snapshot, { base: options.base, baseLabel: options.baseLabel }),
        [HTML_FILE]: htmlReport(input).html,
    });
    return { files, renderMs: ms };
}
