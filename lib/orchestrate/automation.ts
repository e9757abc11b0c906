/**
 * The real path: the orchestrator's workspace over the Pulumi Automation API (`LocalWorkspace` on
 * this project's directory). Kept thin on purpose: it cannot run without the Pulumi CLI, so the
 * logic lives in `runner.ts`, where tests reach it; what is here maps calls and events.
 */
import * as path from "path";
import { EngineEvent, LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { Command, OperationResult, ProgressEvent, StackWorkspace } from "./workspace";

export interface AutomationOptions {
    readonly projectDir: string;
    /** `PULUMI_BACKEND_URL`; the default is a file backend inside the project. */
    readonly backendUrl?: string;
    /** Policy pack folders and their config files, attached to every preview and update. */
    readonly policyPacks: readonly string[];
    readonly policyPackConfigs: readonly string[];
}

/** The default backend: `file://<project>/.pulumi`, so no Pulumi Cloud account is needed. */
export function defaultBackendUrl(projectDir: string): string {
    return `file://${path.join(projectDir, ".pulumi")}`;
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
        return { stack, kind: "failed", resource: resource(event.resOpFailedEvent.metadata.urn), operation: event.resOpFailedEvent.metadata.op };
    }
    if (event.policyEvent) {
        const p = event.policyEvent;
        return { stack, kind: "policy", resource: resource(p.resourceUrn), message: `[${p.enforcementLevel}] ${p.policyName}: ${p.message}` };
    }
    if (event.diagnosticEvent) {
        const { severity, urn, message } = event.diagnosticEvent;
        const shown = SHOWN_SEVERITIES.get(severity);
        // A blank line of a program's or provider's output says nothing.
        return shown && message.trim() ? { stack, kind: "diagnostic", severity: shown, resource: resource(urn), message: message.trim() } : undefined;
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
const SHOWN_SEVERITIES = new Map<string, ProgressEvent["severity"]>([["info", "info"], ["info#err", "info"], ["warning", "warning"], ["error", "error"]]);

const counts = (ops?: OpMap): Record<string, number> => ({ ...(ops ?? {}) } as Record<string, number>);

export class AutomationWorkspace implements StackWorkspace {
    constructor(private readonly options: AutomationOptions) {}

    private stack(name: string): Promise<Stack> {
        // PULUMI_CONFIG_PASSPHRASE comes from the environment, as for the CLI.
        return LocalWorkspace.createOrSelectStack({ stackName: name, workDir: this.options.projectDir }, {
            secretsProvider: "passphrase",
            envVars: { PULUMI_BACKEND_URL: this.options.backendUrl ?? defaultBackendUrl(this.options.projectDir) },
        });
    }

    async ensureStacks(stacks: readonly string[]): Promise<void> {
        for (const name of stacks) await this.stack(name);
    }

    async run(command: Command, name: string, onProgress: (event: ProgressEvent) => void): Promise<OperationResult> {
        // The stack's clock starts here, before the CLI loads plugins and the program (ProgressBoard).
        if (command !== "outputs") onProgress({ stack: name, kind: "started", operation: command });
        const stack = await this.stack(name);
        const onEvent = (event: EngineEvent) => {
            const progress = progressOf(name, event);
            if (progress) onProgress(progress);
        };
        const policy = { policyPacks: [...this.options.policyPacks], policyPackConfigs: [...this.options.policyPackConfigs] };
        switch (command) {
            case "preview": {
                const result = await stack.preview({ ...policy, onEvent });
                return { changes: counts(result.changeSummary), outputs: {} };
            }
            case "up": {
                const result = await stack.up({ ...policy, onEvent });
                return { changes: counts(result.summary.resourceChanges), outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])) };
            }
            case "refresh": {
                const result = await stack.refresh({ onEvent });
                return { changes: counts(result.summary.resourceChanges), outputs: {} };
            }
            case "destroy": {
                const result = await stack.destroy({ onEvent });
                return { changes: counts(result.summary.resourceChanges), outputs: {} };
            }
            case "outputs": {
                const outputs = await stack.outputs();
                return { changes: {}, outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])) };
            }
        }
    }
}
