/**
 * Stack tags: small named strings the backend keeps with each stack, where every machine that uses
 * the backend sees them. The file and S3 ("diy") backends keep them too since CLI 3.211.0, in a
 * `.pulumi-tags` file beside the stack (pkg/backend/diy/stack_tags.go; before, UpdateStackTags
 * returned "stack tags not supported in diy mode", hence MIN_PULUMI_CLI); Pulumi Cloud keeps them
 * with the stack. The operation state store and the environment lock are built on them.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { backendRefusal } from "./automation";

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
 * with "-" (the CLI would read it as a flag); callers write base64 or JSON. Removals never depend
 * on removing a stack's last tag (keepingLastTag); a write the backend refuses is one
 * BackendNotWritable line (automation.ts backendRefusal), not the CLI's dump.
 */
export function automationStackTags(workspace: () => Promise<LocalWorkspace>): StackTags {
    const cli = async <T>(call: (ws: LocalWorkspace) => Promise<T>): Promise<T> => {
        const ws = await workspace();
        try {
            return await call(ws);
        } catch (err) {
            throw backendRefusal(err, ws.envVars.PULUMI_BACKEND_URL ?? "of the CLI's login") ?? err;
        }
    };
    return keepingLastTag({
        list: (stack) => cli(async (ws) => (await ws.listTags(stack)) as Record<string, string>),
        set: (stack, name, value) => cli((ws) => ws.setTag(stack, name, value)),
        remove: (stack, name) => cli((ws) => ws.removeTag(stack, name)),
    });
}

/** The tag this project keeps on every stack it writes tags to, so that none of its removals is of a last tag. */
export const KEEPER_TAG = "cross-account-models:tags";
const KEEPER_VALUE = "kept";

/**
 * Tags whose removals never rely on removing a stack's last tag. Before CLI 3.249.0 the diy
 * backend does not write an empty tag set (pkg/backend/diy/stack_tags.go saveStackTags: `if
 * len(tags) == 0 { return nil }`, in v3.212.0 and v3.248.0; pulumi/pulumi#23702), so `pulumi stack
 * tag rm` of a stack's last tag succeeds and leaves it: a released lock record would still lock the
 * environment, a cleared promotion would be resumed. So before its first write or removal on a stack,
 * this sets a permanent keeper tag there, unless a listing already showed it (one listing per stack
 * at most; the lock and the state store list before they write). Then no tag of this project is
 * ever a stack's last, and `pulumi stack tag rm` by hand works as well.
 */
export function keepingLastTag(tags: StackTags): StackTags {
    /** Stacks seen to carry the keeper tag. */
    const kept = new Set<string>();
    const ensureKeeper = async (stack: string) => {
        if (kept.has(stack)) return;
        if (!(KEEPER_TAG in (await tags.list(stack)))) await tags.set(stack, KEEPER_TAG, KEEPER_VALUE);
        kept.add(stack);
    };
    return {
        list: async (stack) => {
            const current = await tags.list(stack);
            if (KEEPER_TAG in current) kept.add(stack);
            else kept.delete(stack);
            return current;
        },
        set: async (stack, name, value) => {
            if (name !== KEEPER_TAG) await ensureKeeper(stack);
            await tags.set(stack, name, value);
        },
        remove: async (stack, name) => {
            if (name === KEEPER_TAG)
                throw new Error(`${KEEPER_TAG} is kept on purpose: removing it would leave a last tag that cannot be removed`);
            await ensureKeeper(stack);
            await tags.remove(stack, name);
        },
    };
}

export interface MemoryStackTagsOptions {
    /**
     * Emulates the diy backend before CLI 3.249.0: removing a stack's last tag leaves it
     * (saveStackTags skips an empty tag set, pulumi/pulumi#23702).
     */
    readonly keepsLastTag?: boolean;
}

/** Tags in memory, for tests and the offline plan. */
export function memoryStackTags(
    options: MemoryStackTagsOptions = {},
): StackTags & { readonly tags: Record<string, Record<string, string>> } {
    const tags: Record<string, Record<string, string>> = {};
    return {
        tags,
        list: async (stack) => ({ ...(tags[stack] ?? {}) }),
        set: async (stack, name, value) => {
            if (!TAG_NAME.test(name) || value.length > MAX_TAG_VALUE) throw new Error(`invalid stack tag ${name}=${value}`);
            (tags[stack] ??= {})[name] = value;
        },
        remove: async (stack, name) => {
            const rest = Object.keys(tags[stack] ?? {}).filter((n) => n !== name);
            if (options.keepsLastTag && rest.length === 0) return;
            delete tags[stack]?.[name];
        },
    };
}
