/**
 * Proves the access paths of an architecture against every policy the stacks declare: each
 * required path must be allowed and each forbidden path refused, by the IAM simulator with AWS's
 * cross-account rules. A failure names the stack, principal, action, resource and the policy that
 * refused (or the one that let it through).
 */
import type { AccessPath, StackFacts } from "./accessPath";
import { environmentPaths, parseStacks } from "./environmentPaths";
import { isHosting, isResearch } from "../../lib/contracts";
import { DeclaredStack, Inventory } from "./inventory";
import { AccessDecision, AccessQuery, NamedPolicy, POLICY_TYPE_WORDS } from "./simulator";
import { DecideOptions, decideAll } from "./decisions";
import { policy } from "../../lib/policies/document";
import { throughEndpoint } from "./network";

/** Stands for a principal the stacks do not declare, with every permission its account could give it. */
const ADMINISTRATOR: NamedPolicy = {
    name: "administrator access (a principal no stack declares)",
    document: policy([{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }]),
};

export interface PathResult {
    readonly path: AccessPath;
    readonly decision: AccessDecision;
    /** Whether the decision is what the path expects. */
    readonly holds: boolean;
    /** For a path that does not hold: what is wrong, naming stack, principal, action, resource and policy. */
    readonly problem?: string;
}

function identityOf(path: AccessPath, inventory: Inventory): NamedPolicy[] {
    if (path.identity === "administrator") return [ADMINISTRATOR];
    if (path.identity === "none") return [];
    const role = inventory.roles.get(path.principal);
    if (!role) throw new Error(`path ${path.id}: no stack declares the role ${path.principal}`);
    return role.identity;
}

function boundaryOf(path: AccessPath, inventory: Inventory): NamedPolicy[] {
    const role = inventory.roles.get(path.principal);
    return role ? inventory.boundaryOf(role) : [];
}

function describe(path: AccessPath): string {
    const endpoint = path.endpointId ?? path.context["aws:SourceVpce"];
    const owner = path.context["aws:VpceAccount"];
    return `stack ${path.stack}: ${path.principal} ${path.action} on ${path.resource}${endpoint ? ` through ${endpoint}${owner ? ` (owned by ${owner})` : ""}` : ""}`;
}

function problemOf(path: AccessPath, decision: AccessDecision): string {
    if (path.expect === "denied") {
        return `FORBIDDEN path open (${path.why}): ${describe(path)} is allowed.`;
    }
    const reasons = decision.denials.map((d) =>
        d.explicit
            ? `denied explicitly by statement ${d.statementId ?? "?"} of ${d.policy}`
            : `no statement of ${d.policy} allows it (missing an Allow in the ${POLICY_TYPE_WORDS[d.policyType] ?? d.policyType} policy)`,
    );
    const s3 =
        /^s3:/.test(path.action) && path.architecture === "bedrock-cmi"
            ? ` Bedrock would fail the import with "Amazon Bedrock does not have access to the S3 location (s3://${path.resource.replace(/^arn:[^:]+:s3:::/, "").replace(/config\.json$/, "")})".`
            : "";
    return `REQUIRED path refused (${path.why}): ${describe(path)}: ${reasons.join("; ") || decision.result}.${s3}`;
}

function queryOf(path: AccessPath, inventory: Inventory): AccessQuery {
    const endpoint = path.endpointId ? inventory.endpoints.get(path.endpointId) : undefined;
    return {
        principal: path.principal,
        action: path.action,
        resource: path.resource,
        resourceAccount: path.resourceAccount,
        context: path.context,
        identityPolicies: identityOf(path, inventory),
        permissionBoundaries: path.identity === "declared" ? boundaryOf(path, inventory) : undefined,
        resourcePolicy: inventory.resourcePolicyFor(path.resource),
        vpcEndpointPolicies: endpoint?.policy ? [endpoint.policy] : undefined,
        serviceControlPolicies: inventory.scpsFor(path.principal),
    };
}

/** Each path decided (all at once: see proof/access/decisions.ts), and whether it holds. */
export async function provePaths(paths: readonly AccessPath[], inventory: Inventory, options: DecideOptions = {}): Promise<PathResult[]> {
    const decisions = await decideAll(
        paths.map((path) => queryOf(path, inventory)),
        options,
    );
    return paths.map((path, i) => {
        const decision = decisions[i];
        const holds = decision.allowed === (path.expect === "allowed");
        return { path, decision, holds, problem: holds ? undefined : problemOf(path, decision) };
    });
}

/** A deployed or simulated stack as the proof needs it: what it declares, its configuration and exports. */
export interface ProvableStack extends DeclaredStack, StackFacts {}

/**
 * Proves the architecture's paths for an environment: the inventory of every policy the stacks
 * (and any `extra` declarations, such as an Organizations stack) declare, and the paths their
 * configuration implies.
 */
export function proveEnvironment(
    stacks: readonly ProvableStack[],
    extra: readonly DeclaredStack[] = [],
    options: DecideOptions = {},
): Promise<PathResult[]> {
    return provePaths(environmentPaths(stacks, stacks), Inventory.of([...stacks, ...extra]), options);
}

/**
 * Whether a consumer stack's access role may call a model version now: one path through the same
 * proof, through the consumer VPC's rekognition endpoint when it has one.
 */
export async function canCallVersion(stacks: readonly ProvableStack[], consumerStack: string, version: string): Promise<boolean> {
    const parsed = parseStacks(stacks);
    const research = parsed.filter(isResearch).find((s) => s.exports.rekognition);
    const consumer = parsed.filter(isHosting).find((s) => s.config.stack === consumerStack);
    const accessRole = research?.exports.rekognition?.consumers.find((c) => c.stack === consumerStack)?.accessRoleArn;
    if (!research || !consumer || !accessRole) return false;
    const id = consumer.exports.interfaceEndpointIds.rekognition;
    const endpoint = id ? { id, ownerAccount: consumer.config.accountId } : undefined;
    const [result] = await provePaths(
        [
            {
                id: `${consumerStack}-calls-version`,
                architecture: "rekognition-shared",
                stack: consumerStack,
                expect: "allowed",
                why: "the access role calls the version",
                principal: accessRole,
                identity: "declared",
                action: "rekognition:DetectCustomLabels",
                resource: version,
                resourceAccount: research.config.accountId,
                context: { "aws:SecureTransport": "true", ...(endpoint ? throughEndpoint(endpoint, "rekognition") : {}) },
                endpointId: endpoint?.id,
            },
        ],
        Inventory.of(stacks),
    );
    return result.decision.allowed;
}
