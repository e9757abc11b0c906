/**
 * Reading other stacks' exports. Two kinds, told apart by the reference's logical name, which is
 * how the orchestrator and the offline plan discover the stack graph:
 * - an upstream reference: the other stack must be deployed first;
 * - a feedback reference (`feedback:<stack>`): a value only the downstream stack knows (a VPC
 *   endpoint ID, read only for consumers pinned to their endpoint IDs); it may be missing on the
 *   first pass, and the orchestrator re-applies this stack after the other one until nothing
 *   changes. The default perimeter (by endpoint owner) needs none.
 */
import * as pulumi from "@pulumi/pulumi";

export const FEEDBACK_PREFIX = "feedback:";

async function read(reference: pulumi.StackReference, names: readonly string[]): Promise<Record<string, unknown>> {
    const values = await Promise.all(names.map(async (name) => [name, (await reference.getOutputDetails(name)).value] as const));
    return Object.fromEntries(values);
}

/** Awaits exports of an upstream stack, so they can be checked before anything is declared. */
export function readUpstream(stack: string, names: readonly string[]): Promise<Record<string, unknown>> {
    return read(new pulumi.StackReference(stack), names);
}

/** Awaits exports of a downstream stack; a value is undefined until that stack has been deployed. */
export function readFeedback(stack: string, names: readonly string[]): Promise<Record<string, unknown>> {
    return read(new pulumi.StackReference(`${FEEDBACK_PREFIX}${stack}`, { name: stack }), names);
}
