/**
 * What promotions and rollouts do through the Automation API: read and edit stack config by path,
 * update stacks (each previewed with the policy pack first, and refused on a mandatory violation),
 * and keep their state in the backend.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { AutomationWorkspace } from "./automation";
import { refusal } from "./preview";
import { OperationStateStore, tagStateStore } from "./stateStore";
import { automationStackTags, lazyWorkspace } from "./stackTags";
import { ProgressEvent } from "./workspace";
import { RawConfig } from "../../lib/config/reader";

export interface AutomationStacksOptions {
    readonly projectDir: string;
    /** The resolved backend (backend.ts): every Automation call of an operation uses it. */
    readonly backendUrl: string;
    readonly policyPacks: readonly string[];
    readonly policyPackConfigs: readonly string[];
    readonly onProgress: (event: ProgressEvent) => void;
}

/**
 * Stack configuration by path, stack updates and the operation state store through the Automation
 * API: what promotions and rollouts use. Config calls share one workspace and name the stack
 * (`--stack`), so none selects a stack; they edit this checkout's Pulumi.<stack>.yaml.
 */
export function automationStacks(options: AutomationStacksOptions): {
    getConfig(stack: string): Promise<RawConfig>;
    setConfigPath(stack: string, path: string, value: string): Promise<void>;
    removeConfigPath(stack: string, path: string): Promise<void>;
    up(stack: string): ReturnType<AutomationWorkspace["run"]>;
    readonly state: OperationStateStore;
} {
    const workspace = new AutomationWorkspace(options);
    const ws = lazyWorkspace(options);
    // Each read is a CLI call; a stack's config is read again only after this process changed it.
    const configs = new Map<string, ReturnType<LocalWorkspace["getAllConfig"]>>();
    const configOf = (stack: string) =>
        configs.get(stack) ??
        configs
            .set(
                stack,
                ws().then((w) => w.getAllConfig(stack)),
            )
            .get(stack)!;
    const edited = <T>(stack: string, edit: Promise<T>) => edit.finally(() => configs.delete(stack));
    return {
        // As the CLI hands config to a program: each key's value, JSON for lists and maps.
        getConfig: async (stack) => Object.fromEntries(Object.entries(await configOf(stack)).map(([key, { value }]) => [key, value])),
        setConfigPath: async (stack, configPath, value) => edited(stack, (await ws()).setConfig(stack, configPath, { value }, true)),
        removeConfigPath: async (stack, configPath) => edited(stack, (await ws()).removeConfig(stack, configPath, true)),
        up: async (stack) => {
            // The same gate as `npm run env -- up`: the Automation API's up() skips the preview, and
            // the engine checks stack rules only after every step ran (runner.ts).
            const refused = refusal(await workspace.preview("up", stack, options.onProgress));
            if (refused) throw new Error(`${stack}: ${refused}`);
            return workspace.run("up", stack, options.onProgress);
        },
        state: tagStateStore(automationStackTags(ws)),
    };
}
