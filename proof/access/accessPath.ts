/**
 * An access path: who may (or must not) do what on which resource, through which network path.
 * The architectures' path modules write them from the stacks' configuration and exports; the proof
 * (prove.ts) decides each with the IAM policy simulator.
 */
import type { RawConfig } from "../../lib/config/reader";
import type { ContractedStack } from "../../lib/contracts";

export interface AccessPath {
    readonly id: string;
    readonly architecture: string;
    readonly expect: "allowed" | "denied";
    /** Why this path must (or must not) exist, in the words of AWS's guide for its architecture. */
    readonly why: string;
    /** The stack whose deployment needs (or must not grant) the access. */
    readonly stack: string;
    /** An IAM role ARN or a service principal. */
    readonly principal: string;
    /**
     * Where the principal's identity policies come from: the declared role, or, for a principal
     * the stacks do not declare, an administrator policy (so only the resource side can refuse).
     */
    readonly identity: "declared" | "administrator" | "none";
    readonly action: string;
    readonly resource: string;
    readonly resourceAccount: string;
    /** Request context keys; multi-valued keys (such as sagemaker:VpcSubnets) are lists. */
    readonly context: Record<string, string | string[]>;
    /**
     * The environment's VPC endpoint the request goes through, whose endpoint policy applies. A
     * request through another account's endpoint carries only its context keys: that endpoint's
     * policy is its owner's to change, so the proof does not count on it.
     */
    readonly endpointId?: string;
}

/** A path before its id: ids are given once an architecture's paths for a stack are listed, in order. */
export type Path = Omit<AccessPath, "id">;

/** Where a request happens: which account owns the resource, the request context, the network path. */
export type Where = Pick<AccessPath, "resourceAccount" | "context" | "endpointId">;

/** A stack as a deployment or a run under mocks leaves it: its configuration and its outputs. */
export interface StackFacts {
    readonly stack: string;
    readonly config: RawConfig;
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** What every path builder needs of a stack: its configuration parsed, its exports checked. */
export type ParsedStack = ContractedStack;
