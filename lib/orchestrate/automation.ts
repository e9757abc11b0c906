/**
 * The real path: the orchestrator's workspace over the Pulumi Automation API (`LocalWorkspace` on
 * this project's directory). Kept thin on purpose: it cannot run without the Pulumi CLI, so the
 * logic lives in `runner.ts`, where tests reach it; what is here maps calls and events.
 */
import { EngineEvent, LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { Command, OperationResult, ProgressEvent, StackWorkspace } from "./workspace";

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
        return { stack, kind: "failed", resource: resource(event.resOpFailedEvent.metadata.urn), operation: event.resOpFailedEvent.metadata.op };
    }
    if (event.policyEvent) {
        const p = event.policyEvent;
        return { stack, kind: "policy", resource: resource(p.resourceUrn), message: `[${p.enforcementLevel}] ${p.policyName}: ${p.message}` };
    }
    if (event.diagnosticEvent && event.diagnosticEvent.severity === "error") {
        return { stack, kind: "diagnostic", resource: resource(event.diagnosticEvent.urn), message: event.diagnosticEvent.message.trim() };
    }
    return undefined;
}

const counts = (ops?: OpMap): Record<string, number> => ({ ...(ops ?? {}) } as Record<string, number>);

export class AutomationWorkspace implements StackWorkspace {
    constructor(private readonly options: AutomationOptions) {}

    private stack(name: string): Promise<Stack> {
        // PULUMI_CONFIG_PASSPHRASE comes from the environment, as for the CLI.
        return LocalWorkspace.createOrSelectStack({ stackName: name, workDir: this.options.projectDir }, {
            secretsProvider: "passphrase",
            envVars: { PULUMI_BACKEND_URL: this.options.backendUrl },
        });
    }

    async ensureStacks(stacks: readonly string[]): Promise<void> {
        for (const name of stacks) await this.stack(name);
    }

    async run(command: Command, name: string, onProgress: (event: ProgressEvent) => void): Promise<OperationResult> {
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
