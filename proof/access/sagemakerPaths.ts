/**
 * SageMaker hosting paths for each target serving a SageMaker model: SageMaker assumes the
 * execution role for this account only; the role reads the approved model data only through its
 * VPC's S3 endpoint and describes the approved package in the registry; nobody else of the account
 * reads the data; the deployment role passes only the execution role and creates models only in the
 * VPC, and only its deployers (the development account's pipeline role) may assume it.
 */
import { HostingStack, ResearchStack, isResearch } from "../../lib/contracts";
import { requireExport } from "../../lib/contracts/check";
import { partitionOf } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path, Where } from "./accessPath";
import { endpointOf, foreignEndpoints } from "./hostingEndpoints";
import { OUTSIDER_ACCOUNT, throughEndpoint } from "./network";
import { TLS, hostingPaths, otherRoleOf, pathsOf } from "./pathBuilder";

type Registry = NonNullable<ResearchStack["exports"]["sagemaker"]>;

/** One target serving a model: its roles, the model data and package it serves, and where its requests happen. */
function targetOf(parsed: readonly ParsedStack[], research: ResearchStack, registry: Registry, self: HostingStack) {
    const { exports: out, config } = self;
    const { region, accountId, stack } = config;
    const shared = research.exports;
    const partition = partitionOf(region);
    const s3Endpoint = endpointOf(self, "s3", research.config)!;
    const inResearch: Where = { resourceAccount: shared.accountId, context: TLS };
    // The execution role reads the model data through its own VPC's S3 gateway endpoint.
    const throughOwn: Where = { ...inResearch, endpointId: s3Endpoint.id, context: { ...TLS, ...throughEndpoint(s3Endpoint, "s3") } };
    return {
        ...pathsOf("sagemaker", stack),
        parsed,
        self,
        research,
        registry,
        config,
        accountId,
        partition,
        execution: requireExport(stack, out, "sagemakerExecutionRoleArn", "its configuration sets sagemaker"),
        deployment: requireExport(stack, out, "sagemakerDeploymentRoleArn", "its configuration sets sagemaker"),
        admin: otherRoleOf(partition, accountId),
        data: `${shared.artifactBucketArn}/${registry.modelDataPrefix}model.tar.gz`,
        model: `arn:${partition}:sagemaker:${region}:${accountId}:model/rollout-check`,
        modelPackage: config.sagemaker!.modelPackageArn,
        subnets: [...out.subnetIds],
        securityGroups: [out.workloadSecurityGroupId],
        inResearch,
        throughOwn,
        inTarget: (context: Where["context"]): Where => ({ resourceAccount: accountId, context }),
    };
}

type Target = ReturnType<typeof targetOf>;

/** What serving needs: SageMaker assumes the execution role, which reads the approved model; the deployment role creates it in the VPC. */
function servingPaths(t: Target): Path[] {
    const { allowed, execution, deployment, accountId } = t;
    const shared = t.research.exports;
    return [
        allowed(
            "SageMaker assumes the execution role for this account's models",
            "sagemaker.amazonaws.com",
            "none",
            "sts:AssumeRole",
            execution,
            t.inTarget({ "aws:SourceAccount": accountId, "aws:SourceArn": t.model }),
        ),
        allowed(
            "the execution role reads the approved model data through its VPC endpoint",
            execution,
            "declared",
            "s3:GetObject",
            t.data,
            t.throughOwn,
        ),
        allowed("the execution role decrypts the model data through S3", execution, "declared", "kms:Decrypt", shared.artifactKeyArn, {
            ...t.inResearch,
            context: { ...TLS, "kms:ViaService": `s3.${shared.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
        }),
        allowed(
            "the execution role describes the approved package in the registry",
            execution,
            "declared",
            "sagemaker:DescribeModelPackage",
            t.modelPackage,
            t.inResearch,
        ),
        allowed(
            "the deployment role creates a model in the VPC",
            deployment,
            "declared",
            "sagemaker:CreateModel",
            t.model,
            t.inTarget({ "sagemaker:VpcSubnets": t.subnets, "sagemaker:VpcSecurityGroupIds": t.securityGroups }),
        ),
        allowed(
            "the deployment role passes the execution role to SageMaker",
            deployment,
            "declared",
            "iam:PassRole",
            execution,
            t.inTarget({ "iam:PassedToService": "sagemaker.amazonaws.com" }),
        ),
    ];
}

/** Only this account's models get the execution role, and only the execution role reads the model data, through its own VPC endpoint. */
function modelDataFencePaths(t: Target): Path[] {
    const { denied, execution, accountId, admin, data } = t;
    return [
        denied(
            "SageMaker acting for another account (confused deputy)",
            "sagemaker.amazonaws.com",
            "none",
            "sts:AssumeRole",
            execution,
            t.inTarget({ "aws:SourceAccount": OUTSIDER_ACCOUNT, "aws:SourceArn": t.model.replace(accountId, OUTSIDER_ACCOUNT) }),
        ),
        denied(
            "the execution role reads the model data outside its VPC endpoint",
            execution,
            "declared",
            "s3:GetObject",
            data,
            t.inResearch,
        ),
        ...foreignEndpoints(t.parsed, t.self, "s3", t.research.config).map(({ label, endpoint }) =>
            denied(`the execution role reads the model data through ${label}`, execution, "declared", "s3:GetObject", data, {
                ...t.inResearch,
                context: { ...TLS, ...throughEndpoint(endpoint, "s3") },
            }),
        ),
        denied("another role of the target account reads the model data", admin, "administrator", "s3:GetObject", data, t.throughOwn),
    ];
}

/** The deployment role creates models only in the VPC and passes only the execution role; nobody else of the account reads the registry. */
function modelCreationFencePaths(t: Target): Path[] {
    const { denied, deployment, admin } = t;
    return [
        denied(
            "the deployment role creates a model without VPC subnets and security groups",
            deployment,
            "declared",
            "sagemaker:CreateModel",
            t.model,
            t.inTarget({}),
        ),
        denied(
            "the deployment role creates a model without security groups",
            deployment,
            "declared",
            "sagemaker:CreateModel",
            t.model,
            t.inTarget({ "sagemaker:VpcSubnets": t.subnets }),
        ),
        denied(
            "the deployment role passes another role",
            deployment,
            "declared",
            "iam:PassRole",
            admin,
            t.inTarget({ "iam:PassedToService": "sagemaker.amazonaws.com" }),
        ),
        denied(
            "another role of the target account describes the registry's packages",
            admin,
            "administrator",
            "sagemaker:DescribeModelPackage",
            t.modelPackage,
            t.inResearch,
        ),
    ];
}

/**
 * SageMaker pulls the inference image as the execution role. It gets a token and pulls from the
 * image's repository (research's, through that repository's policy, or one the target names), and
 * nothing else: another repository of that account is refused, and so is another role of the
 * target account on the image's repository.
 */
function imagePullPaths(t: Target): Path[] {
    const { allowed, denied, execution } = t;
    const repository = t.config.sagemaker!.imageRepositoryArn ?? t.registry.imageRepositoryArn;
    if (!repository) return [];
    const inRepositoryAccount: Where = { resourceAccount: repository.split(":")[4], context: TLS };
    const other = repository.replace(/repository\/.+$/, "repository/other-team-images");
    return [
        allowed("the execution role gets an ECR authorization token", execution, "declared", "ecr:GetAuthorizationToken", "*", {
            ...inRepositoryAccount,
            resourceAccount: t.accountId,
        }),
        ...["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"].map((action) =>
            allowed("the execution role pulls its inference image", execution, "declared", action, repository, inRepositoryAccount),
        ),
        denied("the execution role pulls from another repository", execution, "declared", "ecr:BatchGetImage", other, inRepositoryAccount),
        denied(
            "another role of the target account pulls the inference image",
            t.admin,
            "administrator",
            "ecr:BatchGetImage",
            repository,
            inRepositoryAccount,
        ),
    ];
}

/**
 * Who may assume a target's deployment role (seed 003: the pipeline of the development account
 * assumes, in each target account, a role that may pass the execution role and nothing more). Each
 * configured deployer may, the development account's pipeline role among them; another role of the
 * development account may not, nor a same-named role of an outside account, nor another role of
 * the target account. The callers are principals no stack declares, with every permission their
 * account could give them: only the role's trust can refuse them.
 */
function deploymentTrustPaths(t: Target): Path[] {
    const { accountId, partition } = t;
    const developmentAccount = t.research.config.accountId;
    const deployers = t.config.sagemaker!.deployerArns;
    const accountOf = (roleArn: string) => roleArn.split(":")[4];
    const assume = (expect: AccessPath["expect"], why: string, principal: string): Path =>
        t.path(expect, why, principal, "administrator", "sts:AssumeRole", t.deployment, t.inTarget({}));
    const unlisted = (account: string) => [otherRoleOf(partition, account)].filter((r) => !deployers.includes(r));
    // The outsider's role has the name of a deployer, so only the account tells them apart.
    const pipelineName = (deployers.find((d) => accountOf(d) === developmentAccount) ?? deployers[0] ?? "ml-platform-ci").split("/").pop();
    return [
        ...deployers.map((deployer) =>
            assume(
                "allowed",
                accountOf(deployer) === developmentAccount && developmentAccount !== accountId
                    ? "the development account's pipeline role assumes the deployment role (seed 003)"
                    : "a configured deployer of the target account assumes the deployment role",
                deployer,
            ),
        ),
        ...unlisted(developmentAccount).map((role) =>
            assume("denied", "another role of the development account assumes the deployment role", role),
        ),
        ...(developmentAccount !== accountId ? unlisted(accountId) : []).map((role) =>
            assume("denied", "another role of the target account assumes the deployment role", role),
        ),
        assume(
            "denied",
            `a same-named role of an outside account (${OUTSIDER_ACCOUNT}) assumes the deployment role`,
            `arn:${partition}:iam::${OUTSIDER_ACCOUNT}:role/${pipelineName}`,
        ),
    ];
}

/** The SageMaker hosting paths of every target serving a model, when research keeps a model registry. */
export function sagemakerPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    const registry = research?.exports.sagemaker;
    if (!research || !registry) return [];
    return hostingPaths(parsed, "sm", (self) => (self.config.sagemaker ? targetOf(parsed, research, registry, self) : undefined), [
        servingPaths,
        modelDataFencePaths,
        modelCreationFencePaths,
        imagePullPaths,
        deploymentTrustPaths,
    ]);
}
