/**
 * What the real engine holds, read through the CLI's own commands (`pulumi stack export`,
 * `history`, `tag ls`, `output`) in a sandbox: what the engine tier's phases check.
 */
import { Ran, Sandbox } from "./sandbox";

/** A resource as `pulumi stack export` writes it (apitype.ResourceV3), the fields the checks read. */
export interface StateResource {
    urn: string;
    type: string;
    custom: boolean;
    protect?: boolean;
    parent?: string;
    dependencies?: string[];
    provider?: string;
    outputs?: Record<string, any>;
}

/** Everything a command printed, for messages and for what it said. */
export const said = (ran: Ran) => `${ran.stdout}\n${ran.stderr}`;

/** A CLI command's stdout; a failure stops the phase. */
export async function pulumiOut(sandbox: Sandbox, ...args: string[]): Promise<string> {
    const ran = await sandbox.pulumi(...args);
    if (ran.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${said(ran)}`);
    return ran.stdout;
}

export const stateOf = async (sandbox: Sandbox, stack: string): Promise<StateResource[]> =>
    JSON.parse(await pulumiOut(sandbox, "stack", "export", "-s", stack)).deployment.resources ?? [];

/** The stack's updates, newest first (`null` from the CLI for a stack never updated). */
export const historyOf = async (sandbox: Sandbox, stack: string): Promise<{ resourceChanges?: Record<string, number> }[]> =>
    JSON.parse(await pulumiOut(sandbox, "stack", "history", "--json", "-s", stack)) ?? [];

export const tagsOf = async (sandbox: Sandbox, stack: string): Promise<Record<string, string>> =>
    JSON.parse(await pulumiOut(sandbox, "stack", "tag", "ls", "--json", "-s", stack)) ?? {};

export const outputsOf = async (sandbox: Sandbox, stack: string): Promise<Record<string, any>> =>
    JSON.parse(await pulumiOut(sandbox, "stack", "output", "--json", "-s", stack));
