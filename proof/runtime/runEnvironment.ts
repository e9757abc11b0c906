/**
 * Runs a whole environment offline: takes each stack's references from its stack file, then lets the orchestrator run the stacks (in order, re-applying stacks with
 * feedback references until nothing changes) against a workspace that runs them under mocks.
 */
import { RecordedResource, StackRun, StackRunError, runStack } from "./runStack";
import { runStackInWorker, warmStackWorkers } from "./stackWorker";
import { RunCache, StackRead, stackFilesDigests, stackFilesOf } from "../cache/runs";
import { PlanCache } from "../cache/planCache";
import { deleteProtectedError } from "./protection";
import { keptOnDestroy, protectedClosure } from "../../ops/stacks/protection";
import { PROJECT_DIR, readStackConfig } from "../../ops/project";
import { ProjectStacks, StackSummary, bootstrapStackOf, readProjectStacks } from "../../lib/config/projectStacks";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { ConfigError, stackFileName } from "../../lib/config/errors";
import { BOOTSTRAP_PROGRAM } from "../../lib/config/deploymentConfig";
import { scopeStacks } from "../../lib/deployment/scope";
import { StackReads, stacksRead } from "../../lib/contracts/references";
import { RawConfig } from "../../lib/config/reader";
import { StackGraph, buildGraph } from "../../ops/stacks/graph";
import { StackOutcome, orchestrate } from "../../ops/stacks/runner";
import { Command, OperationResult, RunOptions, StackWorkspace } from "../../ops/stacks/workspace";
import { PlannedStep, PreviewReport } from "../../ops/stacks/preview";
import { referencedStack, stackReferenceName } from "../../lib/naming";
import { FEEDBACK_PREFIX } from "../../stacks/references";

/** What a stack reads: the stacks deployed before it, and those it reads back after them. */
export type StackReferences = StackReads;

export interface EnvironmentRun {
    readonly graph: StackGraph;
    readonly references: ReadonlyMap<string, StackReferences>;
    readonly runs: ReadonlyMap<string, StackRun>;
    /** Stacks whose program failed, with the error. */
    readonly failures: ReadonlyMap<string, Error>;
    /** Stacks not run because an upstream stack failed, with the reason. */
    readonly skipped: ReadonlyMap<string, string>;
    /** Every stack run in order, re-applications included. */
    readonly sequence: readonly string[];
    readonly convergencePasses: number;
}

/**
 * What a stack reads, as its stack file declares it (lib/contracts/references.ts), without running
 * its program. A configuration the program refuses reads nothing: its run reports why.
 */
export function declaredReferences(stack: string, config: RawConfig, stacks?: ProjectStacks): StackReferences {
    const reads = checkedReferences(stack, () => config, stacks);
    return reads instanceof ConfigError ? { upstream: [], feedback: [] } : reads;
}

/** What a stack reads, or why its program will refuse its configuration (an unreadable stack file included). */
function checkedReferences(stack: string, config: () => RawConfig, stacks?: ProjectStacks): StackReferences | ConfigError {
    try {
        return stacksRead(parseStackConfig(stack, config(), { stacks }));
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
}

/**
 * The references a stack's program registers, found by running it with no upstream exports: what
 * the tests check {@link declaredReferences} against.
 */
export async function discoverReferences(stack: string, config: RawConfig): Promise<StackReferences> {
    let resources;
    try {
        resources = (await runStack(stack, { config, discovery: true })).resources;
    } catch (err) {
        if (!(err instanceof StackRunError)) throw err;
        resources = err.resources;
    }
    const references = resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
    const names = (feedback: boolean) =>
        references.filter((r) => r.name.startsWith(FEEDBACK_PREFIX) === feedback).map((r) => referencedStack(r.inputs.name));
    return { upstream: names(false), feedback: names(true) };
}

const qualified = (stack: string) => stackReferenceName(stack);

/** How the workspace runs programs. */
export interface WorkspaceOptions {
    /** Run programs in worker processes, one per core (proof/runtime/stackWorker.ts), rather than in this process. */
    readonly workers?: boolean;
    /** Keep runs, and use those kept (proof/cache/runs.ts). */
    readonly cache?: PlanCache;
    /** Told of each program about to run (not kept in the cache). */
    readonly onProgram?: (stack: string) => void;
    /** Told of each run as it is made, before the update that applies it (which a re-application may replace). */
    readonly onRun?: (run: StackRun) => void;
}

/**
 * What a run's result depends on besides its configuration and the stack files: the stack names
 * its configuration may name, and the outputs of each stack it read (the object, never changed
 * once set) and whether that stack existed.
 */
interface RunBasis {
    readonly names: string;
    readonly reads: Map<string, { readonly outputs?: Record<string, unknown>; readonly created: boolean }>;
}

/** A stack run's registered inputs and exports, to tell whether re-applying it changed anything. */
function fingerprint(run: StackRun): string {
    return JSON.stringify({ resources: run.resources.map((r) => [r.urn, r.inputs]), outputs: run.outputs });
}

/**
 * The orchestrator's workspace over the mock runtime: `up` runs the stack's program with the
 * exports of the stacks run so far; a preview runs it too, and the update that follows reuses
 * that run while the stacks it read are unchanged (so each stack's program runs once). In this
 * process runs are queued one at a time, because Pulumi's runtime state is global to the process;
 * with workers (proof/runtime/stackWorker.ts) a level's previews run side by side, one per
 * worker. Updates are always applied one at a time, in level order. With a cache, a run kept for
 * the same inputs is used instead of running the program (proof/cache/runs.ts). The policy pack is
 * not run here: the plan runs it over every stack (proof/plan/plan.ts).
 */
export class SimulatedWorkspace implements StackWorkspace {
    readonly runs = new Map<string, StackRun>();
    readonly failures = new Map<string, Error>();
    readonly sequence: string[] = [];
    /** Each stack's resources in the simulated backend, as the last operation left them. */
    readonly state = new Map<string, RecordedResource[]>();
    private readonly outputs = new Map<string, Record<string, unknown>>();
    /** Stacks that exist in the simulated backend, by fully qualified name; none at first, as on a fresh backend. */
    private readonly created = new Set<string>();
    /** A preview's run, reused by the update that follows while what it read is the same. */
    private readonly previewed = new Map<string, { basis: RunBasis; run: StackRun }>();
    private queue: Promise<unknown> = Promise.resolve();

    private readonly cache?: RunCache;
    private readonly stackFiles?: ReturnType<typeof stackFilesDigests>;
    /** Programs run so far (runs the cache did not hold). */
    private programsRun = 0;

    constructor(
        private readonly configOf: (stack: string) => RawConfig,
        /** Where the stack files are, for the programs that read other stacks' files (bootstrap). */
        private readonly projectDir: string = PROJECT_DIR,
        private readonly options: WorkspaceOptions = {},
    ) {
        this.cache = options.cache && new RunCache(options.cache);
        this.stackFiles = options.cache && stackFilesDigests(projectDir);
    }

    async ensureStacks(stacks: readonly string[]): Promise<void> {
        for (const stack of stacks) this.created.add(qualified(stack));
    }

    preview(kind: "up" | "destroy", stack: string): Promise<PreviewReport> {
        if (kind === "up" && this.options.workers) return this.previewUp(stack);
        return this.queued(async () => (kind === "destroy" ? this.previewDestroy(stack) : this.previewUp(stack)));
    }

    private async previewDestroy(stack: string): Promise<PreviewReport> {
        const current = this.state.get(stack) ?? [];
        const kept = keptOnDestroy(current);
        const steps = current
            .filter((r) => !kept.protected.includes(r.urn) && !kept.dependencies.includes(r.urn))
            .map((r) => step("delete", r));
        return { steps, policy: [], keptProtected: kept.protected, keptDependencies: kept.dependencies };
    }

    private async previewUp(stack: string): Promise<PreviewReport> {
        const current = this.state.get(stack) ?? [];
        try {
            const { run, basis } = await this.program(stack);
            this.previewed.set(stack, { basis, run });
            const before = new Map(current.map((r) => [r.urn, r]));
            const steps = run.resources.flatMap((r) => {
                const old = before.get(r.urn);
                return !old ? [step("create", r)] : JSON.stringify(old.inputs) !== JSON.stringify(r.inputs) ? [step("update", r)] : [];
            });
            const deletes = current.filter((r) => !run.resources.some((n) => n.urn === r.urn)).map((r) => step("delete", r));
            return { steps: [...steps, ...deletes], policy: [] };
        } catch (err) {
            return { steps: [], policy: [], error: (err as Error).message };
        }
    }

    run(command: Command, stack: string, _onProgress?: unknown, options: RunOptions = {}): Promise<OperationResult> {
        if (command === "destroy") return this.queued(() => this.destroy(stack, options.excludeProtected === true));
        if (command !== "up") throw new Error(`the simulated workspace runs "up" and "destroy", not "${command}"`);
        return this.queued(() => this.up(stack));
    }

    async unprotectAll(stack: string): Promise<void> {
        this.state.set(
            stack,
            (this.state.get(stack) ?? []).map((r) => ({ ...r, protect: false })),
        );
    }

    private queued<T>(work: () => Promise<T>): Promise<T> {
        const result = this.queue.then(work);
        this.queue = result.catch(() => undefined);
        return result;
    }

    /** The stack names a run may be configured with, besides the stack files: those created or with outputs. */
    private knownNames(): string {
        return JSON.stringify([...new Set([...this.created, ...this.outputs.keys()])].sort());
    }

    /** Whether the simulated backend still answers a run's reads as it did. */
    private unchanged(basis: RunBasis): boolean {
        return (
            basis.names === this.knownNames() &&
            [...basis.reads].every(([name, read]) => this.outputs.get(name) === read.outputs && this.created.has(name) === read.created)
        );
    }

    /**
     * The stack's run with what it read: kept in the cache for the same inputs, else run here or in
     * a worker, against the backend as it is now (runs in workers may overlap updates).
     */
    private async program(stack: string): Promise<{ run: StackRun; basis: RunBasis }> {
        // Running a stack selects or creates it, as the Automation API does.
        this.created.add(qualified(stack));
        const config = this.configOf(stack);
        const names = this.knownNames();
        const stackOutputs = new Map(this.outputs);
        const createdStacks = new Set(this.created);
        const readOf = (name: string): StackRead => ({ outputs: stackOutputs.get(name), created: createdStacks.has(name) });
        const basisOf = (read: readonly string[]): RunBasis => ({ names, reads: new Map(read.map((name) => [name, readOf(name)])) });
        const key = this.cache?.key({
            stack,
            config,
            projectDir: this.projectDir,
            stackFiles: stackFilesOf(config, this.stackFiles!),
            names,
        });
        const kept = key !== undefined ? this.cache!.lookup(key, readOf) : undefined;
        if (kept) {
            this.options.onRun?.(kept.run);
            return { run: kept.run, basis: basisOf(kept.reads) };
        }
        this.options.onProgram?.(stack);
        // The first run starts one worker; a second starts the others, loading the program while
        // it runs: a plan after a small change, which runs one program, starts one process.
        if (this.options.workers && ++this.programsRun === 2) warmStackWorkers();
        const task = { stack, config, stackOutputs, createdStacks, projectDir: this.projectDir };
        let result: { run: StackRun; reads: readonly string[] };
        if (this.options.workers) result = await runStackInWorker(task);
        else {
            const reads: string[] = [];
            result = { run: await runStack(stack, { ...task, onStackRead: (name) => reads.push(name) }), reads };
        }
        const basis = basisOf(result.reads);
        if (key !== undefined) await this.cache!.keep(key, result.run, basis.reads);
        this.options.onRun?.(result.run);
        return { run: result.run, basis };
    }

    private async up(stack: string): Promise<OperationResult> {
        this.sequence.push(stack);
        try {
            const previewed = this.previewed.get(stack);
            this.previewed.delete(stack);
            const run = previewed && this.unchanged(previewed.basis) ? previewed.run : (await this.program(stack)).run;
            const previous = this.runs.get(stack);
            this.runs.set(stack, run);
            this.state.set(stack, run.resources);
            this.failures.delete(stack);
            this.outputs.set(qualified(stack), run.outputs);
            const op = !previous ? "create" : fingerprint(previous) !== fingerprint(run) ? "update" : "same";
            return { changes: { [op]: run.resources.length }, outputs: run.outputs };
        } catch (err) {
            this.failures.set(stack, err as Error);
            throw err;
        }
    }

    /** As the engine: a protected resource stops the destroy unless excluded, with what it depends on. */
    private async destroy(stack: string, excludeProtected: boolean): Promise<OperationResult> {
        const current = this.state.get(stack) ?? [];
        const kept = excludeProtected ? protectedClosure(current) : new Set<string>();
        const blocking = current.find((r) => r.protect && !kept.has(r.urn));
        if (blocking) throw deleteProtectedError(blocking.urn);
        this.state.set(
            stack,
            current.filter((r) => kept.has(r.urn)),
        );
        if (kept.size === 0) this.outputs.delete(qualified(stack));
        return { changes: { delete: current.length - kept.size }, outputs: {} };
    }
}

function step(op: string, r: RecordedResource): PlannedStep {
    return { op, urn: r.urn, type: r.type, protect: r.protect };
}

/**
 * The named stacks and the bootstrap stacks of the accounts whose stacks assume a deployment role
 * (`aws:assumeRoles`): those stacks' roles carry the boundary the bootstrap stack declares, which the
 * access proof needs, and in a real deployment that role exists before them. A stack whose
 * configuration is refused brings in nothing: it fails before it would assume any role.
 */
function withBootstrapStacks(
    named: readonly string[],
    configOf: (stack: string) => RawConfig,
    project: ProjectStacks,
    refused: (stack: string) => boolean,
) {
    const deployedThrough = new Map<string, string[]>();
    const stacks = [...named];
    for (const stack of named) {
        if (refused(stack)) continue;
        const config = configOf(stack);
        if (config["aws:assumeRoles"] === undefined) continue;
        const account = (JSON.parse(config["aws:allowedAccountIds"] ?? "[]") as unknown[]).map(String)[0];
        const bootstrap = account ? bootstrapStackOf(project, account) : undefined;
        if (!bootstrap || bootstrap === stack) continue;
        deployedThrough.set(stack, [bootstrap]);
        if (!stacks.includes(bootstrap)) stacks.push(bootstrap);
    }
    return { stacks, deployedThrough };
}

export interface EnvironmentOptions extends WorkspaceOptions {
    /** Where the stack files are: the project's own by default (a test's copy of them, say). */
    readonly projectDir?: string;
}

const NOTHING_READ: StackReferences = { upstream: [], feedback: [] };

/**
 * Runs an environment offline with the orchestrator's own logic (order, skipping, convergence).
 * `configs` replaces stack files (or stands for stacks without one).
 *
 * A configuration problem is reported once, at the stack whose configuration holds it: a refused
 * stack runs first, on its own, and fails with its error. A bootstrap stack's program reads every
 * other stack file (lib/deployment/scope.ts, `scopeStacks`), so one invalid file would fail each
 * bootstrap stack with that file's error: instead, that file's stack is brought into the run, the
 * bootstrap stacks wait for it, and are reported as not run because of it, naming the file.
 */
export async function runEnvironment(
    named: readonly string[],
    configs: Record<string, RawConfig> = {},
    { projectDir = PROJECT_DIR, ...workspaceOptions }: EnvironmentOptions = {},
): Promise<EnvironmentRun> {
    const configOf = (stack: string) => configs[stack] ?? readStackConfig(stack, projectDir);
    const project = readProjectStacks(projectDir);
    const known = new Map<string, StackSummary>(project);
    // A generated environment's stacks have no stack files; its stack names are known all the same.
    for (const stack of named) if (!known.has(stack)) known.set(stack, {});
    const checked = new Map<string, StackReferences | ConfigError>();
    const readsOf = (stack: string) => {
        if (!checked.has(stack))
            checked.set(
                stack,
                checkedReferences(stack, () => configOf(stack), known),
            );
        return checked.get(stack)!;
    };
    const refused = (stack: string) => readsOf(stack) instanceof ConfigError;
    const { stacks, deployedThrough } = withBootstrapStacks(named, configOf, project, refused);
    const isBootstrap = (stack: string) => project.get(stack)?.program === BOOTSTRAP_PROGRAM;
    const invalidFiles = stacks.some(isBootstrap) ? scopeStacks(project).filter((s) => configs[s] === undefined && refused(s)) : [];
    for (const stack of invalidFiles) if (!stacks.includes(stack)) stacks.push(stack);
    const references = new Map<string, StackReferences>();
    for (const stack of stacks) {
        const reads = readsOf(stack);
        references.set(stack, reads instanceof ConfigError ? NOTHING_READ : reads);
    }
    // A stack deploys after the bootstrap stack whose role it assumes, as it must for real; a
    // bootstrap stack after the stacks whose invalid files its program would fail on.
    const upstream = new Map(
        [...references].map(([s, r]) => [s, [...r.upstream, ...(deployedThrough.get(s) ?? []), ...(isBootstrap(s) ? invalidFiles : [])]]),
    );
    const graph = buildGraph(stacks, upstream);
    const workspace = new SimulatedWorkspace(configOf, projectDir, workspaceOptions);
    const result = await orchestrate({
        command: "up",
        graph,
        feedback: new Map([...references].map(([s, r]) => [s, r.feedback])),
        workspace,
    });
    const notRun = result.outcomes.filter((o) => o.status !== "succeeded" && !workspace.failures.has(o.stack));
    const files = invalidFiles.map(stackFileName).join(", ");
    const skipReason = (o: StackOutcome) =>
        isBootstrap(o.stack) && invalidFiles.length > 0
            ? `not run: its deployment role's scope is read from every other stack file, and ${files} ${invalidFiles.length > 1 ? "are" : "is"} invalid (reported at ${invalidFiles.join(", ")})`
            : o.error!;
    return {
        graph,
        references,
        runs: workspace.runs,
        failures: new Map([
            ...workspace.failures,
            ...notRun.filter((o) => o.status === "failed").map((o) => [o.stack, new Error(o.error)] as const),
        ]),
        skipped: new Map(notRun.filter((o) => o.status === "skipped").map((o) => [o.stack, skipReason(o)])),
        sequence: workspace.sequence,
        convergencePasses: result.convergencePasses,
    };
}
