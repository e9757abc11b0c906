/**
 * The SageMaker Model Registry's approval as the gate of a rollout (seed 003: only a model version
 * approved in the registry is deployed). Two things must hold for a target to serve a package:
 * research grants it (`approvedModelPackages` in its stack file: the registry's resource policy and
 * the model data follow), and the registry approves it (`ModelApprovalStatus: Approved`). The
 * second changes without any deployment and can be revoked, so it is read when a rollout starts or
 * resumes, again before production, and before a rollback.
 *
 * The registry lives in the research account and is read and changed as the research stack's
 * deployment identity (the role its provider assumes, whose policy allows DescribeModelPackage and
 * UpdateModelPackage on the group's packages): no other credentials are needed.
 */
import { StackIdentity } from "../../lib/awsCredentials";
import { UsageError, UserError } from "../cli/errors";
import { RawConfig } from "../../lib/config/reader";
import { ResearchConfig, parseProgramConfig } from "../../lib/config/stackConfig";
import { OperationStateStore } from "../stacks/stateStore";

/** What an approver decides; `PendingManualApproval` is where a registered package starts. */
export type RegistryDecision = "Approved" | "Rejected";

/** A package as the registry describes it. */
export interface RegistryPackage {
    /** ModelApprovalStatus: Approved, PendingManualApproval or Rejected (none for an unversioned package). */
    readonly status?: string;
    readonly description?: string;
}

/** The registry calls, made in the registry's account as `identity` (the real one: rolloutDriver.ts). */
export interface ModelRegistry {
    describe(identity: StackIdentity, modelPackageArn: string): Promise<RegistryPackage>;
    setApproval(identity: StackIdentity, modelPackageArn: string, status: RegistryDecision, description: string): Promise<void>;
}

/** What approving a package needs: the research stack's config (as its program gets it), the registry, the backend's state. */
export interface RegistryDriver {
    getConfig(stack: string): Promise<RawConfig>;
    readonly registry: ModelRegistry;
    readonly state: OperationStateStore;
    log(message: string): void;
}

/** The command that records a decision, for messages. */
export const APPROVE_COMMAND = "npm run env -- approve-package";
/** The research stack's record of decisions made with APPROVE_COMMAND, newest last. */
export const APPROVALS_KEY = "approvals";
export const APPROVALS_LIMIT = 20;
/** SageMaker's limit on ApprovalDescription. */
const DESCRIPTION_LIMIT = 1024;

/** One decision made with APPROVE_COMMAND: the registry keeps only the latest description, the backend keeps these. */
export interface ApprovalDecision {
    readonly modelPackageArn: string;
    readonly status: RegistryDecision;
    readonly approver: string;
    /** ISO time of the decision. */
    readonly at: string;
    readonly description?: string;
}

/**
 * The identity the research stack's provider deploys with, for SDK calls to its registry. The
 * external ID is a secret: the rollout's config comes through the Pulumi CLI, which decrypts it.
 */
export function registryIdentity(research: ResearchConfig): StackIdentity {
    const role = research.assumeRole;
    return {
        region: research.region,
        ...(research.awsProfile ? { profile: research.awsProfile } : {}),
        ...(role
            ? {
                  assumeRole: {
                      roleArn: role.roleArn,
                      sessionName: role.sessionName,
                      ...(role.externalId ? { externalId: role.externalId.plaintext() } : {}),
                  },
              }
            : {}),
    };
}

/** Who the registry calls run as, for messages. */
export function identityWords(identity: { readonly profile?: string; readonly assumeRole?: { readonly roleArn: string } }): string {
    if (identity.assumeRole) return identity.assumeRole.roleArn;
    return identity.profile ? `profile ${identity.profile}` : "the SDK's default credentials";
}

/** Who reads and sets the approvals of research's registry, without decrypting anything (the offline plan). */
export const registryCaller = (research: ResearchConfig): string =>
    identityWords({ profile: research.awsProfile, assumeRole: research.assumeRole });

/** A package the registry does not approve: exit 3 while it waits for approval (as a rollout waiting at its gate), else 1. */
export class RegistryRefusal extends UserError {
    constructor(
        message: string,
        readonly status: string,
    ) {
        super(message, status === "PendingManualApproval" ? 3 : 1);
        this.name = "RegistryRefusal";
    }
}

/** The research stack's config, refusing a package of another registry than the one it holds. */
async function registryOf(driver: Pick<RegistryDriver, "getConfig">, researchStack: string, modelPackageArn: string) {
    const research = parseProgramConfig(researchStack, await driver.getConfig(researchStack), "research");
    const group = research.sagemaker?.modelPackageGroupName;
    if (!group)
        throw new UsageError(`${researchStack} holds no model registry (cross-account-models:sagemaker in Pulumi.${researchStack}.yaml)`);
    const prefix = `arn:${research.partition}:sagemaker:${research.region}:${research.accountId}:model-package/${group}/`;
    if (!modelPackageArn.toLowerCase().startsWith(prefix.toLowerCase())) {
        throw new UsageError(`${modelPackageArn} is not a version of ${research.stack}'s registry ${group}; expected ${prefix}<version>`);
    }
    return research;
}

/**
 * The research stack's config, once it grants the package (`approvedModelPackages`): what a
 * target may serve at all, checked before the registry is asked.
 */
export async function grantingResearch(
    driver: Pick<RegistryDriver, "getConfig">,
    researchStack: string,
    modelPackageArn: string,
): Promise<ResearchConfig> {
    const research = parseProgramConfig(researchStack, await driver.getConfig(researchStack), "research");
    if (!research.sagemaker?.approvedModelPackages.includes(modelPackageArn)) {
        throw new Error(
            `${modelPackageArn} is not approved in cross-account-models:sagemaker.approvedModelPackages of Pulumi.${researchStack}.yaml; approve it and deploy ${researchStack} first`,
        );
    }
    return research;
}

/**
 * Reads the package's approval in the registry and refuses anything but Approved, saying what
 * `refused` (what this means for the operation) and how to approve. Resolves with the approval's
 * description, which names the approver when APPROVE_COMMAND approved it.
 */
export async function requireApproved(
    registry: ModelRegistry,
    research: ResearchConfig,
    modelPackageArn: string,
    refused: string,
): Promise<string> {
    const identity = registryIdentity(research);
    const { status, description } = await registry.describe(identity, modelPackageArn);
    if (status === "Approved") return description?.trim() || "Approved (no approval description)";
    const state = status ?? "without an approval status (an unversioned package)";
    const why = description ? ` ("${description}")` : "";
    const how =
        status === "Rejected"
            ? `roll out another approved package, or, if the rejection was a mistake, approve it again: ${APPROVE_COMMAND} --package ${modelPackageArn} --approver <name>`
            : `approve it (after reviewing it): ${APPROVE_COMMAND} --package ${modelPackageArn} --approver <name> [--description <text>], or in SageMaker Studio, then rerun`;
    throw new RegistryRefusal(
        `${modelPackageArn} is ${state}${why} in the model registry of ${research.stack} (read as ${identityWords(identity)}); only Approved packages are deployed: ${refused}. To go on, ${how}`,
        status ?? "none",
    );
}

/** Refuses an approver with no name: a decision must say who made it. */
function requireApprover(approver: string): string {
    const name = approver.trim();
    if (!name || /[\r\n]/.test(name))
        throw new UsageError(`--approver must name who decides (one line, not empty); it is recorded in the registry and the backend`);
    return name;
}

export interface DecisionRequest {
    readonly researchStack: string;
    readonly modelPackageArn: string;
    readonly status: RegistryDecision;
    readonly approver: string;
    readonly description?: string;
}

/**
 * Approves (or rejects) a package in the registry, recording the approver and the time in its
 * ApprovalDescription, and in the research stack's `approvals` record in the backend.
 */
export async function decidePackage(request: DecisionRequest, driver: RegistryDriver, now = new Date()): Promise<ApprovalDecision> {
    const approver = requireApprover(request.approver);
    const pkg = request.modelPackageArn;
    const research = await registryOf(driver, request.researchStack, pkg);
    const identity = registryIdentity(research);
    const decision: ApprovalDecision = {
        modelPackageArn: pkg,
        status: request.status,
        approver,
        at: now.toISOString(),
        ...(request.description?.trim() ? { description: request.description.trim() } : {}),
    };
    const words = `${decision.status} by ${approver} at ${decision.at} (${APPROVE_COMMAND})${decision.description ? `: ${decision.description}` : ""}`;
    // Read first: an unknown package is one clear message, and the log says what the decision changed.
    const before = await driver.registry.describe(identity, pkg);
    await driver.registry.setApproval(identity, pkg, request.status, words.slice(0, DESCRIPTION_LIMIT));
    const record = (await driver.state.load<{ decisions: ApprovalDecision[] }>(request.researchStack, APPROVALS_KEY)) ?? { decisions: [] };
    await driver.state.save(request.researchStack, APPROVALS_KEY, { decisions: [...record.decisions, decision].slice(-APPROVALS_LIMIT) });
    driver.log(`${pkg}: ${before.status ?? "no status"} -> ${words}, in the registry of ${research.stack} as ${identityWords(identity)}`);
    if (request.status === "Approved" && !research.sagemaker!.approvedModelPackages.includes(pkg)) {
        driver.log(
            `research does not grant it yet: a rollout also needs it in cross-account-models:sagemaker.approvedModelPackages of Pulumi.${research.stack}.yaml, deployed`,
        );
    }
    return decision;
}
