/**
 * The plan's report: `plan.md` (summary first, then the policy pack, the folded access matrix and
 * the stacks) and `access.svg` (the access diagram, rendered offline from DOT).
 */
import * as fs from "fs";
import * as path from "path";
import { ReportInput } from "./model";
import { markdownReport } from "./markdown";
import { accessDot } from "./diagram";
import { renderSvg } from "./render";
import { PromotionView } from "./summary";
import { writeFileAtomicSync } from "../../ops/atomicFile";

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

/** Writes `plan.md` and `access.svg` into `dir`. */
export async function writeReport(input: ReportInput, dir: string, options: { promotion?: PromotionView } = {}): Promise<WrittenReport> {
    const { svg, ms } = await renderSvg(accessDot(input));
    const files = writeFiles(dir, { "plan.md": markdownReport(input, DIAGRAM_FILE, options.promotion), [DIAGRAM_FILE]: svg });
    return { files, renderMs: ms };
}
