/** Progress as it happens and the summary table at the end of an orchestrated run. */
import { OrchestrationResult } from "./runner";
import { ProgressEvent } from "./workspace";

/** `12s`, `4m05s`, `3h02m05s`: a Bedrock import alone runs for up to four hours. */
export function formatElapsed(ms: number): string {
    const total = Math.max(0, Math.floor(ms / 1000));
    const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
    const two = (n: number) => String(n).padStart(2, "0");
    if (h > 0) return `${h}h${two(m)}m${two(s)}s`;
    return m > 0 ? `${m}m${two(s)}s` : `${s}s`;
}

interface StackProgress {
    planned: number;
    changed: number;
    failed: number;
    /** When the stack's current run started: its `started` event, or its first event without one. */
    runStart: number;
    /** The stack's last event: where its current run has got to. */
    lastAt: number;
    /** Time of the stack's earlier runs (re-applications), each from its start to its last event. */
    earlierMs: number;
}

/** Only resource events move the counts, so only their lines show them. */
const COUNTED: ReadonlySet<ProgressEvent["kind"]> = new Set(["planned", "changed", "failed"]);

/**
 * Prints each event as it comes, prefixed by its stack and the time since that stack's operation
 * started, and counts per stack resources planned, changed and failed for the summary.
 */
export class ProgressBoard {
    private readonly stacks = new Map<string, StackProgress>();

    /** `now` is injectable so that tests drive elapsed times with a fake clock. */
    constructor(
        private readonly print: (line: string) => void,
        private readonly now: () => number = Date.now,
    ) {}

    readonly onProgress = (event: ProgressEvent): void => {
        const at = this.now();
        let s = this.stacks.get(event.stack);
        if (!s) {
            s = { planned: 0, changed: 0, failed: 0, runStart: at, lastAt: at, earlierMs: 0 };
            this.stacks.set(event.stack, s);
        } else if (event.kind === "started") {
            s.earlierMs += s.lastAt - s.runStart;
            s.runStart = at;
        }
        s.lastAt = at;
        if (event.kind === "planned") s.planned++;
        if (event.kind === "changed") s.changed++;
        if (event.kind === "failed") s.failed++;
        const label = event.kind === "diagnostic" ? (event.severity ?? "diagnostic") : event.kind;
        const what = [event.operation, event.resource, event.message].filter(Boolean).join(" ");
        const counts = COUNTED.has(event.kind) ? `  (planned ${s.planned}, changed ${s.changed}, failed ${s.failed})` : "";
        this.print(`[${event.stack}] ${formatElapsed(at - s.runStart).padStart(6)} ${label.padEnd(10)} ${what}${counts}`.trimEnd());
    };

    summary(result: OrchestrationResult): string {
        const rows = result.outcomes.map((o) => {
            const s = this.stacks.get(o.stack);
            const elapsed = s ? formatElapsed(s.earlierMs + s.lastAt - s.runStart) : "-";
            const changes = Object.entries(o.result?.changes ?? {})
                .filter(([, n]) => n > 0)
                .map(([op, n]) => `${op} ${n}`)
                .join(", ");
            return [
                o.stack,
                o.status,
                String(o.runs),
                elapsed,
                String(s?.planned ?? 0),
                String(s?.changed ?? 0),
                String(s?.failed ?? 0),
                changes || o.error || "",
            ];
        });
        const header = ["stack", "status", "runs", "elapsed", "planned", "changed", "failed", "changes / reason"];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
        return [
            line(header),
            ...rows.map(line),
            `${result.command}: ${result.ok ? "succeeded" : "FAILED"}${result.convergencePasses ? `, ${result.convergencePasses} re-application pass(es)` : ""}`,
        ].join("\n");
    }
}
