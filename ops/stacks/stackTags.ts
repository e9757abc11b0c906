/**
 * Stack tags: small named strings the backend keeps with each stack, where every machine that uses
 * the backend sees them. The file and S3 ("diy") backends keep them too, in a `.pulumi-tags` file
 * beside the stack (pkg/backend/diy/stack_tags.go); Pulumi Cloud keeps them with the stack.
 * The operation state store and the environment lock are built on them.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";

/** pkg/util/validation/stack.go: names of 1 to 40 of these characters, values up to 256 (bytes). */
export const TAG_NAME = /^[a-zA-Z0-9-_.:]{1,40}$/;
export const MAX_TAG_VALUE = 256;

export interface StackTags {
    list(stack: string): Promise<Record<string, string>>;
    set(stack: string, name: string, value: string): Promise<void>;
    remove(stack: string, name: string): Promise<void>;
}

/** One LocalWorkspace over the project, created on first use (creating one runs `pulumi version`). */
export function lazyWorkspace(options: { projectDir: string; backendUrl: string }): () => Promise<LocalWorkspace> {
    let workspace: Promise<LocalWorkspace> | undefined;
    return () =>
        (workspace ??= LocalWorkspace.create({ workDir: options.projectDir, envVars: { PULUMI_BACKEND_URL: options.backendUrl } }));
}

/**
 * Tags through the Automation API. Each call names its stack (`--stack`), so none selects a stack.
 * `pulumi stack tag set` passes the value as an argument without `--`, so a value must not start
 * with "-" (the CLI would read it as a flag); callers write base64 or JSON.
 */
export function automationStackTags(workspace: () => Promise<LocalWorkspace>): StackTags {
    return {
        list: async (stack) => (await (await workspace()).listTags(stack)) as Record<string, string>,
        set: async (stack, name, value) => (await workspace()).setTag(stack, name, value),
        remove: async (stack, name) => (await workspace()).removeTag(stack, name),
    };
}

/** Tags in memory, for tests and the offline plan. */
export function memoryStackTags(): StackTags & { readonly tags: Record<string, Record<string, string>> } {
    const tags: Record<string, Record<string, string>> = {};
    return {
        tags,
        list: async (stack) => ({ ...(tags[stack] ?? {}) }),
        set: async (stack, name, value) => {
            if (!TAG_NAME.test(name) || value.length > MAX_TAG_VALUE) throw new Error(`invalid stack tag ${name}=${value}`);
            (tags[stack] ??= {})[name] = value;
        },
        remove: async (stack, name) => void delete tags[stack]?.[name],
    };
}
