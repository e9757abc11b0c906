/**
 * What the orchestrator needs from Pulumi, as a small interface: the Automation API binding
 * implements it for real (`automation.ts`), the offline simulation runs it under mocks
 * (proof/runtime/runEnvironment.ts), tests script it.
 */
import { PreviewReport } from "./preview";

export type Command = "preview" | "up" | "destroy" | "refresh" | "outputs";
export const COMMANDS: readonly Command[] = ["preview", "up", "destroy", "refresh", "outputs"];

/** Resource operations counted by kind (`create`, `update`, `delete`, `replace`, `same`, ...). */
export type ChangeCounts = Readonly<Record<string, number>>;

export interface OperationResult {
    readonly changes: ChangeCounts;
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** Progress of one stack's operation, as it happens. */
export interface ProgressEvent {
    readonly stack: string;
    /** `started` and `finished` bound one run of a command on the stack (its elapsed time). */
    readonly kind: "started" | "planned" | "changed" | "failed" | "policy" | "diagnostic" | "finished";
    readonly resource?: string;
    readonly operation?: string;
    readonly message?: string;
    /** A diagnostic's severity; the engine's `info#err` (a program's or provider's stderr) is info. */
    readonly severity?: "info" | "warning" | "error";
}

export interface StackWorkspace {
    /**
     * Selects or creates each stack. The engine fails a StackReference to a stack that was never
     * created (`unknown stack`), while one created but not yet deployed has no outputs: so a stack
     * that reads another back (a feedback reference) can run first only once both exist.
     */
    ensureStacks(stacks: readonly string[]): Promise<void>;
    /**
     * Previews an update (with the policy pack) or a destroy (leaving protected resources, whose
     * URNs it reports) of one stack. Resolves with the report even when the preview fails.
     */
    preview(kind: "up" | "destroy", stack: string, onProgress: (event: ProgressEvent) => void): Promise<PreviewReport>;
    /** Runs one command on one stack, reporting progress; rejects if the operation fails. */
    run(command: Command, stack: string, onProgress: (event: ProgressEvent) => void, options?: RunOptions): Promise<OperationResult>;
    /** Removes the protection of every resource of a stack (`pulumi state unprotect --all`). */
    unprotectAll(stack: string): Promise<void>;
}

export interface RunOptions {
    /** destroy: leave protected resources and what they depend on (`--exclude-protected`). */
    readonly excludeProtected?: boolean;
}
