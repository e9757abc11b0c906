/** Progress as it happens and the summary table at the end of an orchestrated run. */
import { OrchestrationResult } from "./runner";
import { ProgressEvent } from "./workspace";

/** Counts per stack of resources planned, changed and failed, printing each event as it comes. */
export class ProgressBoard {
    private readonly counts = new Map<string, { planned: number; changed: number; failed: number }>();

    constructor(private readonly print: (line: string) => void) {}

    readonly onProgress = (event: ProgressEvent): void => {
        const c = this.counts.get(event.stack) ?? { planned: 0, changed: 0, failed: 0 };
        if (event.kind === "planned") c.planned++;
        if (event.kind === "changed") c.changed++;
        if (event.kind === "failed") c.failed++;
        this.counts.set(event.stack, c);
        const what = [event.operation, event.resource, event.message].filter(Boolean).join(" ");
        this.print(`[${event.stack}] ${event.kind.padEnd(10)} ${what}  (planned ${c.planned}, changed ${c.changed}, failed ${c.failed})`);
    };

    summary(result: OrchestrationResult): string {
        const rows = result.outcomes.map((o) => {
            const c = this.counts.get(o.stack) ?? { planned: 0, changed: 0, failed: 0 };
            const changes = Object.entries(o.result?.changes ?? {}).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(", ");
            return [o.stack, o.status, String(o.runs), String(c.planned), String(c.changed), String(c.failed), changes || o.error || ""];
        });
        const header = ["stack", "status", "runs", "planned", "changed", "failed", "changes / reason"];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
        return [
            line(header),
            ...rows.map(line),
            `${result.command}: ${result.ok ? "succeeded" : "FAILED"}${result.convergencePasses ? `, ${result.convergencePasses} re-application pass(es)` : ""}`,
        ].join("\n");
    }
}
