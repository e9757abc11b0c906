/**
 * What an account's deployment role may manage: the named resources the account's stacks declare,
 * derived from their configuration with the same naming functions the programs use. The bootstrap
 * program turns this into the role's permissions (lib/policies/deployment.ts); a test runs every
 * shipped stack under mocks and checks each resource it registers falls inside its account's scope.
 */
import type { BootstrapConfig, HostingConfig, OrganizationConfig, ResearchConfig, StackConfig } from "../config/stackConfig";
import type { ProjectStacks } from "../config/projectStacks";
import {
    arn,
    workloadBoundaryName,
    accessLogBucketName,
    endpointKeyAlias,
    endpointLogGroupName,
    flowLogGroupName,
    importedModelKeyAlias,
    rekognitionAccessRoleName,
    rekognitionAppRoleName,
    sagemakerDeploymentRoleName,
    sagemakerEndpointName,
    sagemakerExecutionRoleName,
} from "../naming";

/** A role a program creates; `passedTo` is the one service it is handed to (iam:PassRole), if any. */
export interface ManagedRole {
    /** The role's name, or a name prefix ending in `*` for a role Pulumi names (`<prefix>-<random>`). */
    readonly name: string;
    readonly passedTo?: string;
}

/** A registry whose package versions the account's models are created from. */
export interface RegistryRef {
    readonly accountId: string;
    readonly group: string;
}

export interface DeploymentScope {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The stacks of the account the role deploys. */
    readonly stacks: readonly string[];
    readonly roles: readonly ManagedRole[];
    /** The boundary every role it creates or edits must carry (lib/policies/boundary.ts). */
    readonly permissionsBoundaryArn: string;
    /** A hosting stack's VPC-only network (VPC, subnets, routes, groups, endpoints, flow logs). */
    readonly network: boolean;
    readonly buckets: readonly string[];
    readonly logGroups: readonly string[];
    /** Key aliases, without `alias/`. */
    readonly keyAliases: readonly string[];
    readonly parameters: readonly string[];
    /** Bedrock Custom Model Import jobs and the models they import. */
    readonly importsModels: boolean;
    readonly sagemakerEndpoints: readonly string[];
    /** Registries the account's SageMaker models come from (another account's, for a target). */
    readonly readsRegistries: readonly RegistryRef[];
    /** The account's own registry: the group, its policy, and package approvals. */
    readonly ownsRegistry?: string;
    readonly imageRepositories: readonly string[];
    readonly rekognitionProjects: readonly string[];
    /** Service control policies and their attachments (the management account): the accounts or OUs they attach to. */
    readonly serviceControlPolicyTargets: readonly string[];
}

/** The role the flow logs publish with: Pulumi names it `network-flow-logs-role-<random>` (SecureVpc "network"). */
export const FLOW_LOGS_ROLE_PREFIX = "network-flow-logs-role-*";

interface Parts {
    roles: ManagedRole[];
    buckets: string[];
    logGroups: string[];
    keyAliases: string[];
    parameters: string[];
    sagemakerEndpoints: string[];
    readsRegistries: RegistryRef[];
    imageRepositories: string[];
    rekognitionProjects: string[];
    network?: boolean;
    importsModels?: boolean;
    ownsRegistry?: string;
    serviceControlPolicyTargets?: string[];
}

const empty = (): Parts => ({
    roles: [],
    buckets: [],
    logGroups: [],
    keyAliases: [],
    parameters: [],
    sagemakerEndpoints: [],
    readsRegistries: [],
    imageRepositories: [],
    rekognitionProjects: [],
});

function researchParts(config: ResearchConfig): Parts {
    const parts = empty();
    parts.buckets.push(config.artifactBucketName, accessLogBucketName(config.artifactBucketName));
    parts.keyAliases.push(config.artifactBucketName);
    for (const consumer of config.rekognition?.consumers ?? []) parts.roles.push({ name: rekognitionAccessRoleName(consumer.accountId) });
    if (config.rekognition?.projectName) parts.rekognitionProjects.push(config.rekognition.projectName);
    if (config.sagemaker) {
        parts.ownsRegistry = config.sagemaker.modelPackageGroupName;
        if (config.sagemaker.imageRepositoryName) parts.imageRepositories.push(config.sagemaker.imageRepositoryName);
    }
    return parts;
}

function hostingParts(config: HostingConfig, research: ResearchConfig | undefined): Parts {
    const parts = empty();
    const { stack, accountId } = config;
    parts.network = true;
    parts.importsModels = !!config.modelImport;
    parts.roles.push({ name: FLOW_LOGS_ROLE_PREFIX, passedTo: "vpc-flow-logs.amazonaws.com" });
    parts.logGroups.push(flowLogGroupName(stack));
    parts.keyAliases.push(flowLogGroupName(stack).replace(/^\//, ""), importedModelKeyAlias(stack));
    parts.roles.push({ name: config.cmiRoleName, passedTo: "bedrock.amazonaws.com" });
    if (config.rekognition) {
        parts.roles.push({ name: rekognitionAppRoleName(accountId) });
        parts.parameters.push(config.rekognition.parameterName);
    }
    if (config.sagemaker) {
        const endpoint = sagemakerEndpointName(stack);
        parts.roles.push(
            { name: sagemakerExecutionRoleName(accountId), passedTo: "sagemaker.amazonaws.com" },
            { name: sagemakerDeploymentRoleName(accountId) },
        );
        parts.sagemakerEndpoints.push(endpoint);
        parts.logGroups.push(endpointLogGroupName(endpoint));
        parts.keyAliases.push(endpointKeyAlias(endpoint));
        if (research?.sagemaker)
            parts.readsRegistries.push({ accountId: research.accountId, group: research.sagemaker.modelPackageGroupName });
    }
    return parts;
}

function organizationParts(config: OrganizationConfig): Parts {
    const { rekognitionConsumers, sagemakerVpcOnly } = config.guardrails;
    return { ...empty(), serviceControlPolicyTargets: [...rekognitionConsumers, ...sagemakerVpcOnly] };
}

function partsOf(config: StackConfig, all: readonly StackConfig[]): Parts {
    switch (config.program) {
        case "research":
            return researchParts(config);
        case "hosting": {
            const research = all.find((c): c is ResearchConfig => c.program === "research" && config.researchStack.endsWith(`/${c.stack}`));
            return hostingParts(config, research);
        }
        case "organization":
            return organizationParts(config);
        case "bootstrap":
            return empty();
    }
}

/**
 * The stacks whose configuration a bootstrap stack's scope is derived from, and so whose stack files
 * its program reads and parses: every stack but the bootstrap stacks, of every account (which
 * stacks are in the bootstrap's account is known only once each is parsed, and a hosting stack's
 * scope names its research stack's registry). A stack file that cannot be read counts too: it may
 * be a stack of the account. One invalid file among them stops every bootstrap stack.
 */
export function scopeStacks(stacks: ProjectStacks): string[] {
    return [...stacks.keys()].filter((s) => stacks.get(s)?.program !== "bootstrap");
}

const unique = <T>(values: T[], keyOf: (v: T) => string = String): T[] => [...new Map(values.map((v) => [keyOf(v), v])).values()];

/**
 * The scope of a bootstrap stack's deployment role: what the other stacks of its account (in
 * `all`, the project's parsed stack configurations) declare.
 */
export function deploymentScope(bootstrap: BootstrapConfig, all: readonly StackConfig[]): DeploymentScope {
    const mine = all.filter((c) => c.program !== "bootstrap" && c.accountId === bootstrap.accountId);
    const parts = mine.map((c) => partsOf(c, all));
    const flat = <K extends keyof Parts>(k: K) => parts.flatMap((p) => (p[k] ?? []) as Parts[K] & unknown[]);
    return {
        partition: bootstrap.partition,
        region: bootstrap.region,
        accountId: bootstrap.accountId,
        stacks: mine.map((c) => c.stack),
        roles: unique(flat("roles") as ManagedRole[], (r) => r.name),
        permissionsBoundaryArn: workloadBoundaryArn(bootstrap.partition, bootstrap.accountId),
        network: parts.some((p) => p.network),
        buckets: unique(flat("buckets") as string[]),
        logGroups: unique(flat("logGroups") as string[]),
        keyAliases: unique(flat("keyAliases") as string[]),
        parameters: unique(flat("parameters") as string[]),
        importsModels: parts.some((p) => p.importsModels),
        sagemakerEndpoints: unique(flat("sagemakerEndpoints") as string[]),
        readsRegistries: unique(flat("readsRegistries") as RegistryRef[], (r) => `${r.accountId}/${r.group}`),
        ownsRegistry: parts.find((p) => p.ownsRegistry)?.ownsRegistry,
        imageRepositories: unique(flat("imageRepositories") as string[]),
        rekognitionProjects: unique(flat("rekognitionProjects") as string[]),
        serviceControlPolicyTargets: unique(flat("serviceControlPolicyTargets") as string[]),
    };
}

export function workloadBoundaryArn(partition: string, accountId: string): string {
    return arn.policy(partition, accountId, workloadBoundaryName(accountId));
}

/**
 * The permissions boundary a stack's roles carry: the account's workload boundary when the stack
 * deploys through the deployment role (which may write roles only with it), else none.
 */
export function permissionsBoundaryOf(config: StackConfig): string | undefined {
    return config.assumeRole ? workloadBoundaryArn(config.partition, config.accountId) : undefined;
}
