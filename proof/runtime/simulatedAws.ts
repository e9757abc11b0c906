/**
 * A simulated AWS for Pulumi's mock runtime: what AWS computes (proof/runtime/awsModel.ts), and
 * StackReferences answered from upstream stacks' exports as the engine answers them.
 * Used by the tests and by the offline plan; nothing here talks to AWS.
 */
import * as pulumi from "@pulumi/pulumi";
import { State, awsAttributes, awsInvoke } from "./awsModel";

export interface SimulatedAwsOptions {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    /** Exports of other stacks, by fully qualified stack name, for StackReferences. */
    readonly stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
    /** Stacks that exist but were never deployed (fully qualified): references to them have no outputs. */
    readonly createdStacks?: ReadonlySet<string>;
    /** Answer references to stacks not run yet with no outputs, to discover what a program references. */
    readonly discovery?: boolean;
    /** Told the fully qualified name of each stack a StackReference reads, before it is answered. */
    readonly onStackRead?: (name: string) => void;
}

export class SimulatedAws implements pulumi.runtime.Mocks {
    constructor(private readonly opts: SimulatedAwsOptions) {}

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return awsInvoke(this.opts, args.token);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        if (args.type === "pulumi:pulumi:StackReference") {
            return {
                id: args.inputs.name,
                state: { name: args.inputs.name, outputs: this.stackReferenceOutputs(args.inputs.name), secretOutputNames: [] },
            };
        }
        const { id, state } = awsAttributes(this.opts, args);
        return { id, state: { ...args.inputs, ...state } };
    }

    /**
     * What the engine answers for a StackReference: the stack's outputs; none for a stack that
     * exists but was never deployed; an error for a stack that was never created (pulumi/pulumi
     * pkg/backend/backend.go, GetStackOutputs: `unknown stack %q`; pkg/backend/diy/state.go gives an
     * empty snapshot for a stack never updated).
     */
    private stackReferenceOutputs(name: string): Record<string, unknown> {
        this.opts.onStackRead?.(name);
        const outputs = this.opts.stackOutputs.get(name);
        if (outputs) return outputs;
        if (this.opts.discovery || this.opts.createdStacks?.has(name)) return {};
        throw new Error(`unknown stack "${name}"`);
    }
}
