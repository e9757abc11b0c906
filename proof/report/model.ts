/**
 * What the report shows, read from a plan's result: the accounts and what each declares, the
 * organization's service control policies, the policy that decides each access path, and the
 * Rekognition versions each consumer can call. Pure functions of the result, so the report and
 * its tests need no plan run.
 */
import type { PlanResult } from "../plan/plan";
import type { EnvironmentRun } from "../runtime/runEnvironment";
import { Inventory } from "../access/inventory";
import { PathResult } from "../access/prove";
import { PolicyDocument } from "../../lib/policies/document";
import { policyRef, policyWords, refusingPolicyWords } from "./names";
import { hostingExport } from "../../lib/contracts/hosting";
import { researchExport } from "../../lib/contracts/research";
import { parseProgramConfig } from "../../lib/config/stackConfig";
import { registryCaller } from "../../ops/release/registryGate";

/** The part of a plan's result the report reads. */
export type ReportInput = Pick<PlanResult, "stacks" | "access" | "keyAliases" | "problems" | "timingsMs"> & {
    readonly env: Pick<EnvironmentRun, "runs" | "graph" | "sequence" | "convergencePasses">;
};

export interface Account {
    readonly stack: string;
    readonly accountId: string;
    /** `organization`, `research` or `hosting`. */
    readonly program: string;
}

const PROGRAM_ORDER = ["organization", "research", "hosting"];
const PROGRAM_WORDS: Readonly<Record<string, string>> = {
    organization: "Organizations management",
    research: "research / ML: artifacts, models, registry",
    hosting: "model hosting",
};
export const programWords = (program: string) => PROGRAM_WORDS[program] ?? program;

/**
 * The environment's accounts, organization first, then research, then the hosting accounts in plan
 * order: one per workload stack. A bootstrap stack shares its account with a workload stack; its
 * deployment role is reported with the deployment paths, not as an account of its own.
 */
export function accountsOf(input: ReportInput): Account[] {
    const accounts = input.stacks.flatMap((s): Account[] => {
        const run = input.env.runs.get(s.stack);
        const accountId = s.accountId ?? run?.accountId;
        const program = run?.config["cross-account-models:program"] ?? "unknown";
        return accountId && program !== "bootstrap" ? [{ stack: s.stack, accountId, program }] : [];
    });
    const rank = (a: Account) => (PROGRAM_ORDER.indexOf(a.program) + PROGRAM_ORDER.length + 1) % (PROGRAM_ORDER.length + 1);
    return accounts
        .map((a, i) => ({ a, i }))
        .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
        .map(({ a }) => a);
}

export interface ScpStatement {
    readonly sid: string;
    readonly actions: readonly string[];
    /** The condition keys that must be present for the statement not to deny, if any. */
    readonly condition?: string;
}

export interface Scp {
    readonly stack: string;
    readonly name: string;
    readonly description: string;
    readonly statements: readonly ScpStatement[];
    /** Account or OU IDs it is attached to. */
    readonly targets: readonly string[];
}

/** The service control policies the stacks declare, with what they deny and where they are attached. */
export function scpsOf(input: ReportInput): Scp[] {
    return [...input.env.runs.values()].flatMap((run) => {
        const attachments = run.resources.filter((r) => r.type === "aws:organizations/policyAttachment:PolicyAttachment");
        return run.resources
            .filter(
                (r) =>
                    r.type === "aws:organizations/policy:Policy" &&
                    (r.inputs.type ?? "SERVICE_CONTROL_POLICY") === "SERVICE_CONTROL_POLICY",
            )
            .map((scp) => {
                const document = (
                    typeof scp.inputs.content === "string" ? JSON.parse(scp.inputs.content) : scp.inputs.content
                ) as PolicyDocument;
                return {
                    stack: run.stack,
                    name: String(scp.inputs.name ?? scp.name),
                    description: String(scp.inputs.description ?? ""),
                    statements: document.Statement.map((st, i) => ({
                        sid: st.Sid ?? `#${i + 1}`,
                        actions: ([] as string[]).concat((st.Action ?? []) as string | string[]),
                        condition: st.Condition
                            ? Object.entries(st.Condition)
                                  .map(([op, keys]) => `${op} ${Object.keys(keys as object).join(", ")}`)
                                  .join("; ")
                            : undefined,
                    })),
                    targets: attachments.filter((a) => a.inputs.policyId === scp.state.id).map((a) => String(a.inputs.targetId)),
                };
            });
    });
}

/** Every policy the stacks declare, as the proof saw them. */
export const inventoryOf = (input: ReportInput) => Inventory.of([...input.env.runs.values()]);

/** Whether a statement of the document names the action (IAM wildcards `*` and `?` in its patterns). */
function mentions(document: PolicyDocument, action: string): boolean {
    const matches = (pattern: string) =>
        new RegExp(
            `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".")}$`,
            "i",
        ).test(action);
    return document.Statement.some((st) => ([] as string[]).concat(st.Action).some(matches));
}

/**
 * The policy that decides a path, in a few words: for a path AWS allows, the resource's own policy
 * (bucket, key, trust, registry, repository) or, where it has none, the caller's role policy, and
 * the endpoint's policy on the way; for a refused one, the statements that denied it explicitly,
 * or the policies that lack an Allow.
 */
export function decidedBy(result: PathResult, inventory: Inventory): string {
    const { path, decision } = result;
    if (!decision.allowed) {
        // A service principal has no identity policy of its own: its refusal is the trust's.
        const denials = decision.denials.filter((d) => !(d.policyType === "identity" && path.identity === "none"));
        const explicit = denials.filter((d) => d.explicit);
        const statements = new Map<string, string[]>();
        for (const d of explicit.length > 0 ? explicit : denials) {
            const words = refusingPolicyWords(d.policyType, d.policy);
            statements.set(words, [...new Set([...(statements.get(words) ?? []), ...(d.statementId ? [d.statementId] : [])])]);
        }
        const words = [...statements].map(([policy, sids]) =>
            explicit.length > 0 ? `${policy} (${sids.join(", ") || "Deny"})` : `no Allow in ${policy}`,
        );
        return words.join("; ") || decision.result;
    }
    // A role's trust governs assuming it; passing it (iam:PassRole) is the caller's identity policy's to allow.
    const trustOnly = /^arn:[^:]+:iam::/.test(path.resource) && !path.action.startsWith("sts:");
    const resource = trustOnly ? undefined : inventory.resourcePolicyFor(path.resource);
    const identity = path.identity === "declared" ? (inventory.roles.get(path.principal)?.identity ?? []) : [];
    const endpoint = path.endpointId ? inventory.endpoints.get(path.endpointId)?.policy : undefined;
    // A guardrail path is let through by the SCPs that speak of its action (their conditions are met).
    const scps =
        path.architecture === "guardrails"
            ? (inventory.scpsFor(path.principal) ?? []).filter(
                  (p) => !p.name.startsWith("FullAWSAccess") && mentions(p.document, path.action),
              )
            : [];
    const words = [...(resource ? [resource] : identity), ...(endpoint ? [endpoint] : []), ...scps].map((p) =>
        policyWords(policyRef(p.name)),
    );
    return (
        [...new Set(words)].join(" + ") || (path.identity === "administrator" ? "any identity policy of its account" : "no policy needed")
    );
}

/** Which model versions one Rekognition consumer's access role can call, and which one its parameter names. */
export interface VersionView {
    readonly stack: string;
    readonly active?: string;
    readonly callable: ReadonlyMap<string, boolean>;
}

/**
 * The promotion view before any promotion, read from the proof already made: for each consumer,
 * every version some consumer is granted, whether its access role can call it through its own
 * endpoint, and the version its parameter names.
 */
export function versionViews(input: ReportInput): VersionView[] {
    const calls = input.access.filter(
        (r) => r.path.architecture === "rekognition-shared" && r.path.action === "rekognition:DetectCustomLabels",
    );
    return [...new Set(calls.map((r) => r.path.stack))].map((stack) => {
        const own = calls.filter((r) => r.path.stack === stack);
        // Through the consumer's own endpoint where it has one, else the calls with no endpoint at all.
        const fenced = own.some((r) => r.path.endpointId);
        const normal = own.filter((r) => (fenced ? r.path.endpointId !== undefined : r.path.context["aws:SourceVpce"] === undefined));
        const run = input.env.runs.get(stack);
        return {
            stack,
            active: run && hostingExport(stack, run.outputs, "activeModelVersionArn"),
            callable: new Map(normal.map((r) => [r.path.resource, r.decision.allowed])),
        };
    });
}

/** A SageMaker target of a research stack's registry: what it serves, and what lets it. */
export interface PackageView {
    readonly stack: string;
    readonly research: string;
    /** The package its program serves (`sagemaker.modelPackageArn`); undefined when the stack was not planned. */
    readonly serves?: string;
    /** What research grants every target (`approvedModelPackages`). */
    readonly granted: readonly string[];
    /** Whether the proof lets the target's execution role describe the package it serves in the registry. */
    readonly describable?: boolean;
    /** Who reads the registry's approval at rollout time: research's deployment role. */
    readonly checkedAs: string;
}

/**
 * Each SageMaker target with the package it serves and research's grants, from the research and
 * hosting stacks' exports and the proof. The registry's approval is not among them: the plan has
 * no registry to read, and a rollout reads it (ops/release/registryGate.ts).
 */
export function packageViews(input: ReportInput): PackageView[] {
    return [...input.env.runs.values()]
        .filter((run) => run.config["cross-account-models:program"] === "research")
        .flatMap((run) => {
            const registry = researchExport(run.stack, run.outputs, "sagemaker");
            if (!registry) return [];
            const checkedAs = registryCaller(parseProgramConfig(run.stack, run.config, "research"));
            return registry.targets.map(({ stack }) => {
                const target = input.env.runs.get(stack);
                const serves = target && hostingExport(stack, target.outputs, "servedModelPackageArn");
                const describe = input.access.find(
                    (r) =>
                        r.path.architecture === "sagemaker" &&
                        r.path.stack === stack &&
                        r.path.expect === "allowed" &&
                        r.path.action === "sagemaker:DescribeModelPackage" &&
                        r.path.resource === serves,
                );
                return {
                    stack,
                    research: run.stack,
                    serves,
                    granted: registry.approvedModelPackages,
                    describable: describe && describe.decision.allowed,
                    checkedAs,
                };
            });
        });
}
