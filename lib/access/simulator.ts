/**
 * The IAM policy simulator, behind one small interface. It is the only module that imports
 * `@cloud-copilot/iam-simulate` (AGPL-3.0), which evaluates identity, resource, trust, SCP and
 * VPC endpoint policies with AWS's same-account and cross-account rules.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../policies/document";

/** One request to decide: who does what on which resource, in what context, under which policies. */
export interface AccessQuery {
    /** The caller: an IAM role ARN, an account root ARN or a service principal such as `bedrock.amazonaws.com`. */
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    /** The account that owns the resource. */
    readonly resourceAccount: string;
    /** Request context keys (`aws:SecureTransport`, `aws:SourceArn`, `aws:sourceVpce`, ...). */
    readonly context?: Record<string, string | string[]>;
    /** Policies of the caller (empty for service principals). */
    readonly identityPolicies?: readonly PolicyDocument[];
    /** The resource's own policy: bucket, key or trust policy. */
    readonly resourcePolicy?: PolicyDocument;
    /** Endpoint policies on the network path. */
    readonly vpcEndpointPolicies?: readonly PolicyDocument[];
    /** Service control policies of the caller's account, root OU first. */
    readonly serviceControlPolicies?: readonly PolicyDocument[];
}

export type AccessResult = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface AccessDecision {
    readonly allowed: boolean;
    readonly result: AccessResult;
}

/** Context keys AWS sets on every request from an IAM principal, which the simulator expects to be given. */
function principalContext(principal: string): Record<string, string> {
    const match = /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal);
    return match ? { "aws:PrincipalArn": principal, "aws:PrincipalAccount": match[2] } : {};
}

/** Decides a request. Throws if the simulator rejects the request or a policy as malformed. */
export async function simulate(query: AccessQuery): Promise<AccessDecision> {
    const response = await runSimulation({
        request: {
            principal: query.principal,
            action: query.action,
            resource: { resource: query.resource, accountId: query.resourceAccount },
            contextVariables: { ...principalContext(query.principal), "aws:ResourceAccount": query.resourceAccount, ...query.context },
        },
        identityPolicies: (query.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        serviceControlPolicies: query.serviceControlPolicies?.length
            ? [{ orgIdentifier: "scp", policies: query.serviceControlPolicies.map((policy, i) => ({ name: `scp-${i}`, policy })) }]
            : [],
        resourceControlPolicies: [],
        resourcePolicy: query.resourcePolicy,
        vpcEndpointPolicies: query.vpcEndpointPolicies?.map((policy, i) => ({ name: `vpce-${i}`, policy })),
    }, {});
    if (response.resultType === "error") {
        throw new Error(`IAM simulation of ${query.action} on ${query.resource} by ${query.principal} is invalid: ${JSON.stringify(response.errors)}`);
    }
    const result = response.overallResult as AccessResult;
    return { allowed: result === "Allowed", result };
}
