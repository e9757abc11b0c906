/**
 * The IAM policy simulator, behind one small interface. It is the only module that imports
 * `@cloud-copilot/iam-simulate` (AGPL-3.0), which evaluates identity, resource, trust, SCP and
 * VPC endpoint policies with AWS's same-account and cross-account rules.
 */
import { createHash } from "crypto";
import * as path from "path";
import { getDenialReasons, runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../../lib/policies/document";

/**
 * The simulator works out which resource types a request's resource is of twice per request
 * (`getResourceTypesForAction`, from IAM's reference data: the same answer for the same service,
 * action and ARN), which was about a fifth of a proof's time. Its answers are remembered here, by
 * wrapping that function where the simulator calls it; should the simulator's files be laid out
 * otherwise, nothing is remembered and it works as before.
 */
function rememberResourceTypes(): void {
    let module: { getResourceTypesForAction?: ResourceTypesOf & { remembered?: boolean } };
    try {
        module = require(path.join(path.dirname(require.resolve("@cloud-copilot/iam-simulate")), "simulation_engine", "resourceTypes.js"));
    } catch {
        return;
    }
    const find = module.getResourceTypesForAction;
    if (typeof find !== "function" || find.remembered) return;
    const known = new Map<string, Promise<unknown>>();
    const remembered: ResourceTypesOf = (service, action, resource) => {
        const key = `${service}\n${action}\n${resource}`;
        let types = known.get(key);
        if (!types) {
            if (known.size >= 100_000) known.clear();
            types = find(service, action, resource);
            types.catch(() => known.delete(key));
            known.set(key, types);
        }
        return types;
    };
    module.getResourceTypesForAction = Object.assign(remembered, { remembered: true });
}
type ResourceTypesOf = (service: string, action: string, resource: string) => Promise<unknown>;
rememberResourceTypes();

/**
 * The simulator's policy model compares condition operators and keys without case with
 * `a.localeCompare(b, undefined, { sensitivity: "accent" })` (@cloud-copilot/iam-policy utils.js),
 * which builds a collator on every call: about a sixth of a proof's time, fifty times what one
 * collator takes. The same comparison (ECMA-402: localeCompare is a collator's compare with the
 * same locales and options) with one collator, where the model calls it; as before if its files are
 * laid out otherwise.
 */
function oneCollator(): void {
    let utils: { caseInsensitiveEquals?: Compare & { oneCollator?: boolean }; caseInsensitiveEndsWith?: Compare };
    try {
        const simulator = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
        utils = require(path.join(path.dirname(require.resolve("@cloud-copilot/iam-policy", { paths: [simulator] })), "utils.js"));
    } catch {
        return;
    }
    if (typeof utils.caseInsensitiveEquals !== "function" || typeof utils.caseInsensitiveEndsWith !== "function") return;
    if (utils.caseInsensitiveEquals.oneCollator) return;
    const collator = new Intl.Collator(undefined, { sensitivity: "accent" });
    const equals: Compare = (first, second) => collator.compare(first, second) === 0;
    utils.caseInsensitiveEquals = Object.assign(equals, { oneCollator: true });
    utils.caseInsensitiveEndsWith = (value, suffix) => equals(value.slice(suffix.length * -1), suffix);
}
type Compare = (first: string, second: string) => boolean;
oneCollator();

/** A policy with the name reports use for it (e.g. `dev: RolePolicy cmi-permissions`). */
export interface NamedPolicy {
    readonly name: string;
    readonly document: PolicyDocument;
}

export type PolicyInput = PolicyDocument | NamedPolicy;
const named = (policy: PolicyInput, fallback: string): NamedPolicy =>
    "document" in policy ? policy : { name: fallback, document: policy };

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
    readonly identityPolicies?: readonly PolicyInput[];
    /** The resource's own policy: bucket, key or trust policy. */
    readonly resourcePolicy?: PolicyInput;
    /** Endpoint policies on the network path. */
    readonly vpcEndpointPolicies?: readonly PolicyInput[];
    /** Service control policies of the caller's account, root OU first. */
    readonly serviceControlPolicies?: readonly PolicyInput[];
    /** The caller role's permissions boundary, if it has one: nothing outside it is allowed. */
    readonly permissionBoundaries?: readonly PolicyInput[];
}

/** Why a request was refused: the policy that denied it explicitly, or the kind of policy that lacked an Allow. */
export interface Denial {
    readonly policyType: string;
    readonly explicit: boolean;
    /** The policy's name, where the simulator reports it (identity, endpoint and SCP policies). */
    readonly policy?: string;
    readonly statementId?: string;
}

/** The simulator's policy types (`Denial.policyType`) in words. */
export const POLICY_TYPE_WORDS: Readonly<Record<string, string>> = {
    identity: "identity",
    resource: "resource",
    vpce: "VPC endpoint",
    scp: "service control",
    rcp: "resource control",
    pb: "permissions boundary",
    session: "session",
};

export type AccessResult = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface AccessDecision {
    readonly allowed: boolean;
    readonly result: AccessResult;
    readonly denials: readonly Denial[];
}

/** Context keys AWS sets on every request from an IAM principal, which the simulator expects to be given. */
function principalContext(principal: string): Record<string, string> {
    const match = /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal);
    return match ? { "aws:PrincipalArn": principal, "aws:PrincipalAccount": match[2] } : {};
}

/**
 * Decisions already made, by a digest of the whole query (principal, action, resource, context and
 * every policy's name and text): the simulation is a pure function of it, and a plan's variants (a
 * promotion's steps, a perimeter's modes) ask mostly the same questions again. Bounded; the oldest
 * entries go first.
 */
const decided = new Map<string, Promise<AccessDecision>>();
const DECIDED_LIMIT = 20_000;

/** Forgets every decision made, so the next asks simulate again (the benchmark's rounds). */
export function forgetDecisions(): void {
    decided.clear();
}

const textDigest = (text: string) => createHash("sha256").update(text).digest("base64");

/**
 * The digest of a query that decides it. `policyDigest` digests one policy (name and text); a
 * caller deciding many queries over the same policy objects digests each once (proof/access/decisions.ts).
 */
export function queryKey(query: AccessQuery, policyDigest = (policy: PolicyInput) => textDigest(JSON.stringify(policy))): string {
    const { identityPolicies, resourcePolicy, vpcEndpointPolicies, serviceControlPolicies, permissionBoundaries, ...request } = query;
    const each = (policies?: readonly PolicyInput[]) => policies?.map(policyDigest) ?? null;
    const resource = resourcePolicy ? policyDigest(resourcePolicy) : null;
    return textDigest(
        JSON.stringify([
            request,
            each(identityPolicies),
            resource,
            each(vpcEndpointPolicies),
            each(serviceControlPolicies),
            each(permissionBoundaries),
        ]),
    );
}

/** A decision already made for a query's key, if it is remembered. */
export function rememberedDecision(key: string): Promise<AccessDecision> | undefined {
    return decided.get(key);
}

/** Remembers a decision under its query's key; a failed one is forgotten, so the next ask reports it again. */
export function rememberDecision(key: string, decision: Promise<AccessDecision>): void {
    decision.catch(() => decided.delete(key));
    if (decided.size >= DECIDED_LIMIT) decided.delete(decided.keys().next().value!);
    decided.set(key, decision);
}

/** Decides a request. Throws if the simulator rejects the request or a policy as malformed. */
export function simulate(query: AccessQuery): Promise<AccessDecision> {
    const key = queryKey(query);
    let decision = decided.get(key);
    if (!decision) {
        decision = simulateOnce(query);
        rememberDecision(key, decision);
    }
    return decision;
}

/** Where a policy is used, which decides how the simulator validates it. */
type PolicySlot = "identity" | "scp" | "boundary" | "resource" | "vpce";

/** Policy documents the simulator has validated, by the use it validated them for. */
const validatedFor = new WeakMap<PolicyDocument, Set<PolicySlot>>();

/**
 * A document as the simulator is given it: once it has validated the document for this use, as
 * validated (the simulator's `ValidatedPolicy`, plain data by its contract: the document and no
 * errors), which it takes without validating again (about 7% of a decision); otherwise as it is.
 */
function asValidated(document: PolicyDocument, slot: PolicySlot, used: [PolicyDocument, PolicySlot][]): any {
    used.push([document, slot]);
    return validatedFor.get(document)?.has(slot) ? { __validated: true, policyDocument: document, errors: [] } : document;
}

/** Decides a request with the simulator, remembering nothing. */
export async function simulateOnce(query: AccessQuery): Promise<AccessDecision> {
    const used: [PolicyDocument, PolicySlot][] = [];
    const response = await runSimulation(
        {
            request: {
                principal: query.principal,
                action: query.action,
                resource: { resource: query.resource, accountId: query.resourceAccount },
                contextVariables: { ...principalContext(query.principal), "aws:ResourceAccount": query.resourceAccount, ...query.context },
            },
            identityPolicies: (query.identityPolicies ?? [])
                .map((p, i) => named(p, `identity-${i}`))
                .map(({ name, document }) => ({ name, policy: asValidated(document, "identity", used) })),
            serviceControlPolicies: query.serviceControlPolicies?.length
                ? [
                      {
                          orgIdentifier: "scp",
                          policies: query.serviceControlPolicies
                              .map((p, i) => named(p, `scp-${i}`))
                              .map(({ name, document }) => ({ name, policy: asValidated(document, "scp", used) })),
                      },
                  ]
                : [],
            resourceControlPolicies: [],
            ...(query.permissionBoundaries?.length
                ? {
                      permissionBoundaryPolicies: query.permissionBoundaries
                          .map((p, i) => named(p, `boundary-${i}`))
                          .map(({ name, document }) => ({ name, policy: asValidated(document, "boundary", used) })),
                  }
                : {}),
            resourcePolicy: query.resourcePolicy && asValidated(named(query.resourcePolicy, "resource").document, "resource", used),
            vpcEndpointPolicies: query.vpcEndpointPolicies
                ?.map((p, i) => named(p, `vpce-${i}`))
                .map(({ name, document }) => ({ name, policy: asValidated(document, "vpce", used) })),
        },
        {},
    );
    if (response.resultType === "error") {
        throw new Error(
            `IAM simulation of ${query.action} on ${query.resource} by ${query.principal} is invalid: ${JSON.stringify(response.errors)}`,
        );
    }
    // Every policy passed the simulator's validation for its use.
    for (const [document, slot] of used) {
        if (!validatedFor.has(document)) validatedFor.set(document, new Set());
        validatedFor.get(document)!.add(slot);
    }
    const result = response.overallResult as AccessResult;
    const analysis = response.resultType === "single" ? response.result.analysis : undefined;
    // Name the policies of the kind that refused, where the simulator gives no identifier.
    const namesOf: Record<string, string | undefined> = {
        identity: query.identityPolicies?.map((p, i) => named(p, `identity-${i}`).name).join(", ") || "no identity policy",
        resource: query.resourcePolicy ? named(query.resourcePolicy, "resource policy").name : "no resource policy",
        vpce: query.vpcEndpointPolicies?.map((p, i) => named(p, `vpce-${i}`).name).join(", "),
        scp: query.serviceControlPolicies?.map((p, i) => named(p, `scp-${i}`).name).join(", "),
        // The simulator's type for permissions boundaries.
        pb: query.permissionBoundaries?.map((p, i) => named(p, `boundary-${i}`).name).join(", "),
    };
    const denials: Denial[] =
        result === "Allowed" || !analysis
            ? []
            : getDenialReasons(analysis).map((d: any) => ({
                  policyType: d.policyType,
                  explicit: d.denialType === "Explicit",
                  policy: d.policyIdentifier ?? namesOf[d.policyType] ?? d.identifier,
                  statementId: d.statementId,
              }));
    return { allowed: result === "Allowed", result, denials };
}
