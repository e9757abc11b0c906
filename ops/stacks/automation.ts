/**
 * The real path: the orchestrator's workspace over the Pulumi Automation API (`LocalWorkspace` on
 * this project's directory). Kept thin on purpose: it cannot run without the Pulumi CLI, so the
 * logic lives in `runner.ts`, where tests reach it; what is here maps calls and events.
 */
import { execFile } from "child_process";
import { promisify } from "util";
import { EngineEvent, LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { UserError } from "../cli/errors";
import { PlannedStep, PolicyFinding, PreviewReport } from "./preview";
import { ExportedResource, fromExport, keptOnDestroy } from "./protection";
import { Command, OperationResult, ProgressEvent, RunOptions, StackWorkspace } from "./workspace";

export interface AutomationOptions {
    readonly projectDir: string;
    /** `PULUMI_BACKEND_URL` of every call, as resolved by backend.ts (flag, env, the CLI's login, the project's file backend). */
    readonly backendUrl: string;
    /** Policy pack folders and their config files, attached to every preview and update. */
    readonly policyPacks: readonly string[];
    readonly policyPackConfigs: readonly string[];
}

/** Translates an engine event into the orchestrator's progress, or nothing for events it does not show. */
export function progressOf(stack: string, event: EngineEvent): ProgressEvent | undefined {
    const resource = (urn?: string) => urn?.split("::").pop();
    if (event.resourcePreEvent) {
        const { metadata } = event.resourcePreEvent;
        return metadata.op === "same" ? undefined : { stack, kind: "planned", resource: resource(metadata.urn), operation: metadata.op };
    }
    if (event.resOutputsEvent && !event.resOutputsEvent.planning) {
        const { metadata } = event.resOutputsEvent;
        return metadata.op === "same" ? undefined : { stack, kind: "changed", resource: resource(metadata.urn), operation: metadata.op };
    }
    if (event.resOpFailedEvent) {
        return {
            stack,
            kind: "failed",
            resource: resource(event.resOpFailedEvent.metadata.urn),
            operation: event.resOpFailedEvent.metadata.op,
        };
    }
    if (event.policyEvent) {
        const p = event.policyEvent;
        return {
            stack,
            kind: "policy",
            resource: resource(p.resourceUrn),
            message: `[${p.enforcementLevel}] ${p.policyName}: ${p.message}`,
        };
    }
    if (event.diagnosticEvent) {
        const { severity, urn, message } = event.diagnosticEvent;
        const shown = SHOWN_SEVERITIES.get(severity);
        // A blank line of a program's or provider's output says nothing.
        return shown && message.trim()
            ? { stack, kind: "diagnostic", severity: shown, resource: resource(urn), message: message.trim() }
            : undefined;
    }
    // The engine sends the summary when the operation ends, failed or not (pkg/engine/deployment.go, run).
    if (event.summaryEvent) return { stack, kind: "finished" };
    return undefined;
}

/**
 * Diagnostics shown, by the engine's severity. Info carries the import job's progress: the dynamic
 * provider's stdout lines become info diagnostics (see components/modelImport/provider.ts). The
 * engine also sends `debug` ones, e.g. every other provider's own log lines (pkg/resource/plugin/
 * plugin.go), which are noise here.
 */
const SHOWN_SEVERITIES = new Map<string, ProgressEvent["severity"]>([
    ["info", "info"],
    ["info#err", "info"],
    ["warning", "warning"],
    ["error", "error"],
]);

const counts = (ops?: OpMap): Record<string, number> => ({ ...(ops ?? {}) }) as Record<string, number>;

export class AutomationWorkspace implements StackWorkspace {
    constructor(private readonly options: AutomationOptions) {}

    /** Selected (or created) once per stack: each selection costs the CLI a version check and a select. */
    private readonly stacks = new Map<string, Promise<Stack>>();

    private stack(name: string): Promise<Stack> {
        if (!this.stacks.has(name)) {
            // PULUMI_CONFIG_PASSPHRASE comes from the environment, as for the CLI.
            const stack = LocalWorkspace.createOrSelectStack(
                { stackName: name, workDir: this.options.projectDir },
                { secretsProvider: "passphrase", envVars: this.env },
            ).catch((err) => {
                throw backendRefusal(err, this.options.backendUrl) ?? err;
            });
            this.stacks.set(name, stack);
            stack.catch(() => this.stacks.delete(name));
        }
        return this.stacks.get(name)!;
    }

    /**
     * A stack's outputs, or undefined for a stack never created in the backend; selects it without
     * creating it (the deployment-role check must not create a bootstrap stack as a side effect).
     */
    async deployedOutputs(name: string): Promise<Record<string, unknown> | undefined> {
        let stack: Stack;
        try {
            stack = await LocalWorkspace.selectStack({ stackName: name, workDir: this.options.projectDir }, { envVars: this.env });
        } catch (err) {
            // pkg/cmd/pulumi/stack/stack_select.go: "no stack named '<name>' found".
            if (/no stack named/.test((err as Error).message)) return undefined;
            throw err;
        }
        return Object.fromEntries(Object.entries(await stack.outputs()).map(([key, output]) => [key, output.value]));
    }

    async ensureStacks(stacks: readonly string[]): Promise<void> {
        for (const name of stacks) await this.stack(name);
    }

    private get env(): Record<string, string> {
        return { PULUMI_BACKEND_URL: this.options.backendUrl };
    }

    private get policy() {
        return { policyPacks: [...this.options.policyPacks], policyPackConfigs: [...this.options.policyPackConfigs] };
    }

    /** Engine events shown as progress and collected (planned steps, policy findings, errors). */
    private listen(name: string, onProgress: (event: ProgressEvent) => void) {
        const events = eventCollector();
        const onEvent = (event: EngineEvent) => {
            events.collect(event);
            const progress = progressOf(name, event);
            if (progress) onProgress(progress);
        };
        return { events, onEvent };
    }

    async preview(kind: "up" | "destroy", name: string, onProgress: (event: ProgressEvent) => void): Promise<PreviewReport> {
        onProgress({ stack: name, kind: "started", operation: "preview" });
        const stack = await this.stack(name);
        const { events: report, onEvent } = this.listen(name, onProgress);
        let failure: string | undefined;
        try {
            if (kind === "up") await stack.preview({ ...this.policy, onEvent });
            else await stack.previewDestroy({ excludeProtected: true, onEvent });
        } catch (err) {
            failure = (backendRefusal(err, this.options.backendUrl) ?? new Error(firstError(err as Error))).message;
        }
        return report.result(failure, kind === "destroy" ? await protectedResources(stack) : undefined);
    }

    async unprotectAll(name: string): Promise<void> {
        // The Automation API has no call for it; the CLI's own command, as an operator would run it.
        await promisify(execFile)("pulumi", ["state", "unprotect", "--all", "--yes", "--stack", name, "--non-interactive"], {
            cwd: this.options.projectDir,
            env: { ...process.env, ...this.env },
        }).catch((err: Error & { stderr?: string }) => {
            throw backendRefusal(new Error(`${err.message}\n${err.stderr ?? ""}`), this.options.backendUrl) ?? err;
        });
    }

    /** Runs a command; a failure is reported with the engine's error diagnostics rather than the CLI's whole output. */
    async run(
        command: Command,
        name: string,
        onProgress: (event: ProgressEvent) => void,
        options: RunOptions = {},
    ): Promise<OperationResult> {
        // The stack's clock starts here, before the CLI loads plugins and the program (ProgressBoard).
        if (command !== "outputs") onProgress({ stack: name, kind: "started", operation: command });
        const stack = await this.stack(name);
        const { events, onEvent } = this.listen(name, onProgress);
        try {
            return await this.operation(command, stack, onEvent, options, events);
        } catch (err) {
            throw backendRefusal(err, this.options.backendUrl) ?? new Error(events.result(firstError(err as Error)).error);
        }
    }

    private async operation(
        command: Command,
        stack: Stack,
        onEvent: (event: EngineEvent) => void,
        options: RunOptions,
        events: ReturnType<typeof eventCollector>,
    ): Promise<OperationResult> {
        const policy = this.policy;
        switch (command) {
            case "preview": {
                const result = await stack.preview({ ...policy, onEvent });
                return { changes: counts(result.changeSummary), outputs: {} };
            }
            case "up": {
                const result = await stack.up({ ...policy, onEvent });
                return {
                    changes: counts(result.summary.resourceChanges),
                    outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])),
                };
            }
            case "refresh": {
                const result = await stack.refresh({ onEvent });
                return { changes: counts(result.summary.resourceChanges), outputs: {} };
            }
            case "destroy": {
                // What this destroy did, from its own summary event. Not result.summary: the
                // Automation API takes it from the stack's last history entry (sdk/nodejs/automation/
                // stack.ts destroy(), this.info()), and with nothing but protected resources left the
                // CLI returns before the engine runs, adding no entry and sending no event
                // (pkg/cmd/pulumi/operations/destroy.go, after getProtectedExcludes): the summary was
                // then the previous operation's, e.g. "delete 2" for a destroy that deleted nothing.
                await stack.destroy({ onEvent, excludeProtected: options.excludeProtected });
                return { changes: counts(events.summary()), outputs: {} };
            }
            case "outputs": {
                const outputs = await stack.outputs();
                return {
                    changes: {},
                    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])),
                };
            }
        }
    }
}

/** Gathers an operation's planned steps, policy findings and error diagnostics from its engine events. */
function eventCollector() {
    const steps: PlannedStep[] = [];
    const policy: PolicyFinding[] = [];
    const errors: string[] = [];
    let summary: OpMap | undefined;
    return {
        collect(event: EngineEvent): void {
            // The engine sends it when the operation ends (pkg/engine/deployment.go); none when it never ran.
            if (event.summaryEvent) summary = event.summaryEvent.resourceChanges;
            const pre = event.resourcePreEvent?.metadata;
            if (pre && pre.op !== "same")
                steps.push({ op: pre.op, urn: pre.urn, type: pre.type, protect: !!(pre.old?.protect ?? pre.new?.protect) });
            const p = event.policyEvent;
            if (p) policy.push({ policy: p.policyName, level: p.enforcementLevel, message: p.message.trim(), urn: p.resourceUrn });
            const d = event.diagnosticEvent;
            if (d && d.severity === "error") errors.push(d.message.trim());
        },
        /** The resource changes of the operation's summary event; none when the engine did not run. */
        summary: (): OpMap | undefined => summary,
        result(failure: string | undefined, kept?: { protected: string[]; dependencies: string[] }): PreviewReport {
            return {
                steps,
                policy,
                error: failure === undefined ? undefined : errors.join("; ") || failure,
                keptProtected: kept?.protected,
                keptDependencies: kept?.dependencies,
            };
        },
    };
}

/** A backend that refused a write: one line naming the backend and what could not be written. */
export class BackendNotWritable extends UserError {
    constructor(
        readonly backendUrl: string,
        readonly what: string,
        readonly cause: string,
    ) {
        super(
            `The backend ${backendUrl} is not writable: could not write ${what}: ${cause}. ` +
                "Give this user write access to it, or name another backend with --backend or PULUMI_BACKEND_URL.",
        );
        this.name = "BackendNotWritable";
    }
}

/**
 * A diy backend's refusal in a failed CLI command: go-cloud's blob error `blob (key "<key>")
 * (code=<code>): <cause>` (gocloud.dev/blob), which the CLI prints wrapped in what it was doing.
 * Observed with CLI 3.212.0 on a file backend this user may not write (chmod a-w: "permission
 * denied"; a read-only mount: "read-only file system"; chattr +i: "operation not permitted"):
 *   could not create stack: blob (key ".pulumi/locks/organization/<project>/<stack>/<id>.json")
 *     (code=Unknown): mkdir <backend>/.pulumi/locks/organization/<project>/<stack>: permission denied
 *   failed to save stack tags: failed to write stack tags: blob (key ".pulumi/stacks/<project>/
 *     <stack>.pulumi-tags") (code=Unknown): open <that file>.<random>.tmp: permission denied
 *   blob (key ".pulumi/locks/...json") (code=Unknown): open <that file>.<random>.tmp: permission denied
 *     (an update, destroy or refresh: pkg/backend/diy/lock.go Lock writes the stack's lock first)
 * Cloud buckets refuse with code=PermissionDenied (gocloud.dev/gcerrors). Anything else: undefined.
 */
export function backendRefusal(err: unknown, backendUrl: string): BackendNotWritable | undefined {
    if (err instanceof BackendNotWritable) return err;
    const text = String((err as Error)?.message ?? err);
    for (const line of text.split("\n")) {
        const match = /blob \(key "([^"]+)"\) \(code=(\w+)\): (.*)$/.exec(line);
        if (!match) continue;
        const [, key, code, detail] = match;
        const denied = /(permission denied|read-only file system|operation not permitted)\s*$/i.exec(detail);
        if (code !== "PermissionDenied" && !denied) continue;
        return new BackendNotWritable(backendUrl, `${writtenThing(key)} (${key})`, denied ? denied[1] : detail.split(": ").pop()!.trim());
    }
    return undefined;
}

/** What a diy backend key holds (pkg/backend/diy: locks, stacks, history). */
function writtenThing(key: string): string {
    const lock = /^\.pulumi\/locks\/(?:organization\/)?(?:[^/]+\/)?([^/]+)\/[^/]+\.json$/.exec(key);
    if (lock) return `stack ${lock[1]}'s lock file`;
    const tags = /^\.pulumi\/stacks\/(?:[^/]+\/)?([^/]+)\.pulumi-tags$/.exec(key);
    if (tags) return `stack ${tags[1]}'s tags`;
    const state = /^\.pulumi\/stacks\/(?:[^/]+\/)?([^/]+)\.json(?:\.gz)?$/.exec(key);
    if (state) return `stack ${state[1]}'s state`;
    const history = /^\.pulumi\/history\/(?:[^/]+\/)?([^/]+)\//.exec(key);
    if (history) return `stack ${history[1]}'s history`;
    return "a file";
}

/** The first `error:` line of a failed CLI command, rather than the Automation API's whole dump. */
function firstError(err: Error): string {
    return (
        err.message
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l.startsWith("error:"))
            ?.slice("error:".length)
            .trim() ?? err.message.split("\n")[0]
    );
}

/** What a destroy of the stack keeps, from its exported state (nothing before its first update). */
async function protectedResources(stack: Stack): Promise<ReturnType<typeof keptOnDestroy>> {
    const state = await stack.exportStack();
    return keptOnDestroy(fromExport((state.deployment?.resources ?? []) as ExportedResource[]));
}
