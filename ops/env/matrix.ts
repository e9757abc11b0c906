/**
 * `npm run env -- matrix [stack ...]`: the stack graph as CI jobs, so a pipeline can run `up` a
 * level at a time with one job per stack on the CI system's own runners (examples/github-actions/).
 * The graph is the one `up` runs by: what each stack file says its program reads
 * (lib/contracts/references.ts), ordered by ops/stacks/graph.ts; nothing is run and neither the
 * Pulumi CLI nor a backend is needed.
 */
import { parseStackConfig } from "../../lib/config/stackConfig";
import { ProjectStacks, readProjectStacks } from "../../lib/config/projectStacks";
import { RawConfig } from "../../lib/config/reader";
import { readStackConfig } from "../project";
import { stacksFor } from "../stacks/deploymentRoles";
import { buildGraph, declaredReads } from "../stacks/graph";
import { orderLine } from "../stacks/runner";
import { CommandGroup, defineCommand, usageError } from "./shared";

/** GitHub Actions runs at most 256 jobs of one matrix. */
export const MAX_MATRIX_JOBS = 256;

/** One stack as a CI job. */
export interface MatrixJob {
    readonly stack: string;
    /** Its level in the stack graph (0: reads no other stack of the list). */
    readonly level: number;
    readonly account: string;
    readonly region: string;
    readonly program: string;
    /** The stacks of the list it reads, which earlier levels deploy. */
    readonly upstream: readonly string[];
    /** The stacks it reads back after they are deployed (feedback references): re-applied after the last level. */
    readonly feedback: readonly string[];
}

/** The matrix of one CI job, as GitHub's `strategy.matrix` takes it (`fromJSON`). */
export interface JobMatrix {
    readonly include: readonly MatrixJob[];
}

export interface StackMatrix {
    /**
     * The jobs, a level at a time, each level's stacks independent of each other. A graph level of
     * more than {@link MAX_MATRIX_JOBS} stacks is split into consecutive levels of at most that many.
     */
    readonly levels: readonly JobMatrix[];
    readonly levelCount: number;
    /** Every stack, in the order of the levels. */
    readonly stacks: readonly string[];
    /** The stacks with feedback references, run once more after every level (empty by default). */
    readonly reapply: JobMatrix;
    readonly reapplyCount: number;
}

export interface MatrixOptions {
    /** The project's stacks (default: the stack files). */
    readonly projectStacks?: ProjectStacks;
    /** A stack's configuration (default: its stack file). */
    readonly readConfig?: (stack: string) => RawConfig;
    readonly maxJobs?: number;
}

/** The jobs of `named` (default: every stack `up` runs, bootstrap stacks aside), a level at a time. */
export function stackMatrix(named: readonly string[], options: MatrixOptions = {}): StackMatrix {
    const projectStacks = options.projectStacks ?? readProjectStacks();
    const maxJobs = options.maxJobs ?? MAX_MATRIX_JOBS;
    const readConfig = options.readConfig ?? readStackConfig;
    const stacks = stacksFor("up", named, projectStacks);
    const configs = new Map(stacks.map((s) => [s, parseStackConfig(s, readConfig(s), { stacks: projectStacks })]));
    const reads = declaredReads([...configs.values()]);
    const graph = buildGraph(stacks, new Map([...reads].map(([s, r]) => [s, r.upstream])));
    const job = (stack: string, level: number): MatrixJob => {
        const config = configs.get(stack)!;
        return {
            stack,
            level,
            account: config.accountId,
            region: config.region,
            program: config.program,
            upstream: [...graph.upstream.get(stack)!],
            feedback: (reads.get(stack)?.feedback ?? []).filter((s) => stacks.includes(s)),
        };
    };
    const levels = graph.levels.flatMap((level, i) => {
        const jobs = level.map((s) => job(s, i));
        return Array.from({ length: Math.ceil(jobs.length / maxJobs) }, (_, k) => ({
            include: jobs.slice(k * maxJobs, (k + 1) * maxJobs),
        }));
    });
    const reapply = levels.flatMap((l) => l.include).filter((j) => j.feedback.length > 0);
    return {
        levels,
        levelCount: levels.length,
        stacks: levels.flatMap((l) => l.include.map((j) => j.stack)),
        reapply: { include: reapply },
        reapplyCount: reapply.length,
    };
}

/** The matrix as a person reads it: the order, then each level's jobs in aligned columns. */
export function matrixText(matrix: StackMatrix): string[] {
    const jobs = matrix.levels.flatMap((l) => l.include);
    const width = (values: readonly string[], header: string) => Math.max(header.length, ...values.map((v) => v.length));
    const columns = [
        { header: "stack", value: (j: MatrixJob) => j.stack },
        { header: "account", value: (j: MatrixJob) => j.account },
        { header: "region", value: (j: MatrixJob) => j.region },
        { header: "program", value: (j: MatrixJob) => j.program },
        { header: "upstream", value: (j: MatrixJob) => j.upstream.join(", ") || "—" },
        { header: "feedback", value: (j: MatrixJob) => j.feedback.join(", ") || "—" },
    ].map((c) => ({ ...c, width: width(jobs.map(c.value), c.header) }));
    const row = (cells: readonly string[]) =>
        `  ${cells
            .map((cell, i) => cell.padEnd(columns[i].width))
            .join("  ")
            .trimEnd()}`;
    return [
        orderLine("up", { levels: matrix.levels.map((l) => l.include.map((j) => j.stack)), upstream: new Map() }),
        ...matrix.levels.flatMap((l, i) => [
            `level ${i}: ${l.include.length} job(s)`,
            row(columns.map((c) => c.header)),
            ...l.include.map((j) => row(columns.map((c) => c.value(j)))),
        ]),
        `re-applied after the last level (feedback references): ${matrix.reapply.include.map((j) => j.stack).join(", ") || "none"}`,
    ];
}

const FORMATS = ["json", "text"];

export const MATRIX_COMMANDS: CommandGroup = {
    commands: [
        defineCommand<{ format: { type: "string" } }>({
            name: "matrix",
            options: { format: { type: "string" } },
            offline: true,
            help: `  matrix [stack ...] [--format json|text]
            print the stack graph as CI jobs, without running anything (no Pulumi CLI, backend
            or credentials needed): the levels up runs, each stack a job with its account,
            Region, program and upstream stacks, and the stacks re-applied after the last level
            (feedback references). JSON (default, one line) for GitHub Actions:
            strategy.matrix: \${{ fromJSON(<output>).levels[i] }}; levels hold at most ${MAX_MATRIX_JOBS}
            jobs (GitHub's limit per matrix), a larger level split in consecutive ones`,
            check: (_stacks, values) => {
                if (values.format !== undefined && !FORMATS.includes(values.format))
                    throw usageError(`--format takes ${FORMATS.join(" or ")}; got "${values.format}"`);
            },
            run: async (named, values) => {
                const matrix = stackMatrix(named);
                console.log(values.format === "text" ? matrixText(matrix).join("\n") : JSON.stringify(matrix));
                return 0;
            },
        }),
    ],
    optionHelp: `  --format json|text      matrix: JSON for a CI matrix (default), or text to read`,
};
