/**
 * `npm run bench -- --only generated`: plans of generated environments (research and N hosting
 * accounts), each in a process of its own (planProcess.ts), in both perimeter modes, with the
 * artifact policies' sizes; then, for the largest, a plan as `npm run plan` makes one and a second
 * plan after one hosting stack's configuration changed; ends with each goal of issue 22 beside its
 * figure.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PERIMETER_MODES } from "../../lib/config/perimeterConfig";
import { ResearchConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { POLICY_SIZE_LIMITS, policySize } from "../../lib/policies/limits";
import { artifactPolicies } from "../../stacks/researchPerimeter";
import { generatedEnvironment } from "../runtime/generatedEnvironment";
import { goalLine, seconds } from "./goals";
import { PlanFigures, planInProcess } from "./planProcess";
import { Column, columnWidths, tableLine } from "./table";

export interface Measured {
    readonly mode: string;
    readonly accounts: number;
    readonly figures: PlanFigures;
}

const sum = (values: readonly number[] = []) => values.reduce((a, b) => a + b, 0);

/** The table's result column: PASS, research's refusal in short, or how many problems. */
function outcome(problems: readonly string[]): string {
    if (problems.length === 0) return "PASS";
    const refusal = problems[0].split("\n").find((line) => /At most/.test(line));
    return refusal?.replace(/^.*At most (\d+) consumer stacks fit.*$/, "refused: at most $1 fit") ?? `${problems.length} problems`;
}

export async function benchGenerated(counts: readonly number[]): Promise<void> {
    console.log(
        `\nplan of generated environments (research + N hosting accounts), per perimeter mode, each in a process of its own that first starts the policy pack and the worker processes (untimed), then plans without a cache`,
    );
    console.log(
        `policy size limits: bucket ${POLICY_SIZE_LIMITS.bucket} B, key ${POLICY_SIZE_LIMITS.key} B; CPU: the plan's process's, the pack's and the workers'; peak: the sum of each one's peak resident memory during the plan`,
    );
    const columns: Column[] = [
        { header: "mode" },
        ...["accounts", "stacks", "resources", "paths", "wall ms", "ms/account", "CPU s", "peak MB", "bucket B", "key B"].map((header) => ({
            header,
            align: "right" as const,
        })),
        { header: "result" },
    ];
    // Each row is printed as it is measured (minutes apart): the widths come from what is known
    // before, the modes and the account counts, and the headers, wider than the figures under them.
    const widths = columnWidths(
        columns,
        PERIMETER_MODES.flatMap((mode) => counts.map((n) => [mode, String(n), String(n + 1)])),
    );
    console.log(
        tableLine(
            columns,
            widths,
            columns.map((c) => c.header),
        ),
    );
    const measured: Measured[] = [];
    for (const mode of PERIMETER_MODES) {
        for (const accounts of counts) {
            const env = generatedEnvironment(accounts, { mode });
            const sizes = artifactPolicies(parseStackConfig("research", env.configs.research) as ResearchConfig);
            const figures = await planInProcess({ how: "started", accounts, mode });
            measured.push({ mode, accounts, figures });
            console.log(
                tableLine(columns, widths, [
                    mode,
                    String(accounts),
                    String(figures.stacks),
                    String(figures.resources),
                    String(figures.paths),
                    String(Math.round(figures.planMs)),
                    (figures.planMs / accounts).toFixed(0),
                    (sum(figures.cpusMs) / 1000).toFixed(1),
                    String(Math.round(sum(figures.peaksMb))),
                    String(policySize(sizes.bucket)),
                    String(policySize(sizes.key)),
                    outcome(figures.problems),
                ]),
            );
        }
    }
    const largest = Math.max(...counts);
    const fresh = await planInProcess({ how: "fresh", accounts: largest, mode: "endpoint-owner" });
    const second = await secondPlan(largest);
    console.log(`\ngoals (by endpoint owner):`);
    for (const line of goals(measured, fresh, second)) console.log(line);
}

/** A plan as npm run plan makes one into a new cache folder, then another after one hosting stack's configuration changed. */
async function secondPlan(accounts: number): Promise<{ first: PlanFigures; second: PlanFigures }> {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-second-plan-"));
    try {
        const first = await planInProcess({ how: "fresh", accounts, mode: "endpoint-owner", cacheDir });
        const second = await planInProcess({ how: "fresh", accounts, mode: "endpoint-owner", cacheDir, changeOneHostingStack: true });
        return { first, second };
    } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
    }
}

const machineCpu = (f: PlanFigures) => (f.machineCpuMs !== undefined ? `, the machine's CPU ${seconds(f.machineCpuMs)}` : "");

/** Each goal of the plan's speed (issue 22) beside its figure. */
export function goals(
    measured: readonly Measured[],
    fresh: PlanFigures,
    { first, second }: { first: PlanFigures; second: PlanFigures },
): string[] {
    const owner = measured
        .filter((m) => m.mode === "endpoint-owner" && m.figures.problems.length === 0)
        .sort((a, b) => a.accounts - b.accounts);
    const [smallest, largest] = [owner[0], owner[owner.length - 1]];
    const lines: string[] = [];
    const limit = (accounts: number) => accounts * 300; // 30 s per 100 accounts
    if (largest) {
        const { figures } = largest;
        lines.push(
            goalLine(
                `${largest.accounts} accounts, the pack and the workers started`,
                `${seconds(figures.planMs)}, CPU ${seconds(sum(figures.cpusMs))} (the plan's process, the pack, the workers: ${figures.cpusMs!.map((ms) => (ms / 1000).toFixed(1)).join(" + ")} s)`,
                `≤ ${seconds(limit(largest.accounts))}`,
                figures.planMs <= limit(largest.accounts),
            ),
        );
        lines.push(
            goalLine(
                `peak memory at ${largest.accounts} accounts`,
                `${(sum(figures.peaksMb) / 1024).toFixed(2)} GB (the plan's process, the pack, the workers: ${figures.peaksMb!.map((mb) => Math.round(mb)).join(" + ")} MB)`,
                "≤ 2 GB",
                sum(figures.peaksMb) <= 2048,
            ),
        );
    }
    lines.push(
        goalLine(
            `${fresh.stacks - 1} accounts as npm run plan plans them (a fresh process that starts the pack and the workers; compiled TypeScript and the pack's type-check kept from before, no results)`,
            `${seconds(fresh.wallMs)} from start to exit, the plan ${seconds(fresh.planMs)}${machineCpu(fresh)}, ${fresh.problems.length} problems`,
            `≤ ${seconds(limit(fresh.stacks - 1))}`,
            fresh.wallMs <= limit(fresh.stacks - 1),
        ),
    );
    if (largest && smallest && largest !== smallest) {
        const [big, small] = [largest.figures.planMs / largest.accounts, smallest.figures.planMs / smallest.accounts];
        const change = (big / small - 1) * 100;
        // What each account past the smallest plan's adds: what every plan pays once taken out.
        const marginal = (largest.figures.planMs - smallest.figures.planMs) / (largest.accounts - smallest.accounts);
        lines.push(
            goalLine(
                `time per account at ${largest.accounts} accounts against ${smallest.accounts}`,
                `${big.toFixed(0)} ms against ${small.toFixed(0)} ms, ${change >= 0 ? "+" : ""}${change.toFixed(0)}%; each account past ${smallest.accounts}: ${marginal.toFixed(0)} ms`,
                "within 10%, read as no more than 10% dearer: cheaper per account is no regression",
                change <= 10,
            ),
        );
    }
    const reused = Object.entries(second.reused ?? {})
        .map(([kind, [hits, asks]]) => `${hits} of ${asks} ${kind}`)
        .join(", ");
    lines.push(
        `second plan of ${second.stacks - 1} accounts as npm run plan plans it, ${second.changed}'s flow log retention changed; the first, into an empty cache, took ${seconds(first.wallMs)}; reused ${reused}; ${second.problems.length} problems`,
    );
    lines.push(
        goalLine(
            `second plan of ${second.stacks - 1} accounts, one hosting stack's configuration changed`,
            `${seconds(second.wallMs)} from start to exit, the plan ${seconds(second.planMs)}${machineCpu(second)}`,
            "≤ 5 s",
            second.wallMs <= 5000,
        ),
    );
    return lines;
}
