/**
 * The access paths an architecture requires and forbids, as data: who may do what on which
 * resource, through which network path, and who must not. Derived from the stacks' configuration
 * and exports, so adding a hosting account adds its paths.
 */
import { HostingConfig, OrganizationConfig, ResearchConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { ContractedStack, HostingStack, contractedStack, isHosting, isResearch } from "../../lib/contracts";
import { requireExport } from "../../lib/contracts/check";
import { EndpointOnPath, OUTSIDER_ACCOUNT, OUTSIDER_ENDPOINT, throughEndpoint } from "./network";
import { RawConfig } from "../../lib/config/reader";
import { partitionOf } from "../../lib/naming";
import { DeclaredStack } from "./inventory";
import { deploymentPaths } from "./deploymentPaths";

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

/** A stack as a deployment or a run under mocks leaves it: its configuration and its outputs. */
export interface StackFacts {
    readonly stack: string;
    readonly config: RawConfig;
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** What every path builder needs of a stack: its configuration parsed, its exports checked. */
type ParsedStack = ContractedStack;

/** Each stack's configuration parsed and its exports checked, once. */
export function parseStacks(stacks: readonly StackFacts[]): ParsedStack[] {
    return stacks.map((facts) => contractedStack(parseStackConfig(facts.stack, facts.config), facts.outputs));
}

export { OUTSIDER_ACCOUNT };

/** The hosting stack's VPC endpoint for a service (`s3` or an interface endpoint's name), owned by its account. */
function endpointOf(stack: HostingStack, service: string, research: ResearchConfig): EndpointOnPath | undefined {
    const out = stack.exports;
    const id = service === "s3" ? out.s3EndpointId : out.interfaceEndpointIds[service];
    // The environment's accounts are members of the organization the perimeter names.
    return id ? { id, ownerAccount: stack.config.accountId, organizationId: research.perimeter.organizationId } : undefined;
}

/**
 * Endpoints of other accounts a principal's credentials could be used through: the next hosting
 * stack's (one stands for all, as every perimeter names the principal's own account or endpoint)
 * and an outsider's, each with the words a path's reason uses.
 */
function foreignEndpoints(
    parsed: readonly ParsedStack[],
    self: HostingStack,
    service: string,
    research: ResearchConfig,
): { label: string; endpoint: EndpointOnPath }[] {
    const hosting = parsed.filter(isHosting);
    const next = hosting.length > 1 ? hosting[(hosting.indexOf(self) + 1) % hosting.length] : undefined;
    const other = next && endpointOf(next, service, research);
    return [
        ...(other ? [{ label: `an endpoint of ${next!.config.stack} (${next!.config.accountId})`, endpoint: other }] : []),
        { label: `an outside account's endpoint (${OUTSIDER_ACCOUNT})`, endpoint: OUTSIDER_ENDPOINT },
    ];
}

/**
 * Bedrock Custom Model Import paths for each hosting stack that imports from the research stack:
 * Bedrock assumes the CMI role for this account's jobs only; the role lists and reads the model
 * prefix over TLS (through the hosting VPC's S3 endpoint when the job runs in the VPC) and decrypts
 * through S3; it uses the hosting key; nobody else reads the artifacts or uses the keys, and the
 * role writes nothing.
 */
function bedrockImportPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    if (!research) return [];
    const shared = research.exports;
    return parsed.filter(isHosting).flatMap((self) => {
        const { exports: out, config } = self;
        const { region, accountId, stack } = config;
        const partition = partitionOf(region);
        const consumer = shared.consumers.find((c) => c.accountId === accountId);
        const prefix = config.modelImport?.modelPrefix ?? consumer?.prefixes[0] ?? "";
        const object = `${shared.artifactBucketArn}/${prefix}config.json`;
        const job = (account: string) => `arn:${partition}:bedrock:${region}:${account}:model-import-job/a1b2c3d4e5f6`;
        const admin = `arn:${partition}:iam::${accountId}:role/platform-administrator`;
        const outsider = `arn:${partition}:iam::${OUTSIDER_ACCOUNT}:role/${out.cmiRoleArn.split("/").pop()}`;

        // Where a request happens: which account owns the resource, the request context, the network path.
        type Where = Pick<AccessPath, "resourceAccount" | "context" | "endpointId">;
        const tls = { "aws:SecureTransport": "true" };
        const inHosting: Where = { resourceAccount: accountId, context: tls };
        const inResearch: Where = { resourceAccount: shared.accountId, context: tls };
        // S3 calls KMS on the role's behalf: the request carries kms:ViaService and aws:ViaAWSService.
        const throughS3: Where = {
            ...inResearch,
            context: { ...tls, "kms:ViaService": `s3.${shared.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
        };
        // The import job reads through the hosting VPC's S3 gateway endpoint when it runs in the VPC.
        const s3Endpoint = endpointOf(self, "s3", research.config);
        const fromJob: Where =
            config.modelImport?.runInVpc && s3Endpoint
                ? {
                      ...inResearch,
                      endpointId: s3Endpoint.id,
                      context: { ...tls, ...throughEndpoint(s3Endpoint, "s3"), "aws:SourceVpc": out.vpcId },
                  }
                : inResearch;
        const fenced = consumer?.requireVpcEndpoint || research.config.vpcEndpointOnly;
        // The same read, with the role's credentials used through another account's endpoint.
        const fromForeign = (endpoint: EndpointOnPath): Where => ({
            ...inResearch,
            context: { ...tls, ...throughEndpoint(endpoint, "s3") },
        });
        const kmsEndpoint = endpointOf(self, "kms", research.config);
        // Bedrock calls KMS as the CMI role for the imported model: kms:ViaService names Bedrock.
        const throughBedrock: Where = {
            ...inHosting,
            context: { ...tls, "kms:ViaService": `bedrock.${region}.amazonaws.com`, "aws:ViaAWSService": "true" },
        };
        const bedrockFor = (account: string): Where => ({
            resourceAccount: accountId,
            context: { "aws:SourceAccount": account, "aws:SourceArn": job(account) },
        });
        const assumeByRole: Where = { resourceAccount: accountId, context: {} };

        const path =
            (expect: AccessPath["expect"]) =>
            (
                why: string,
                principal: string,
                identity: AccessPath["identity"],
                action: string,
                resource: string,
                where: Where,
            ): Omit<AccessPath, "id"> => ({
                architecture: "bedrock-cmi",
                stack,
                expect,
                why,
                principal,
                identity,
                action,
                resource,
                ...where,
            });
        const allowed = path("allowed");
        const denied = path("denied");
        const cmi = out.cmiRoleArn;
        const hostingKey = out.importedModelKeyArn;

        const paths: Omit<AccessPath, "id">[] = [
            allowed(
                "Bedrock assumes the CMI role for this account's import jobs",
                "bedrock.amazonaws.com",
                "none",
                "sts:AssumeRole",
                cmi,
                bedrockFor(accountId),
            ),
            allowed("the CMI role lists the model prefix", cmi, "declared", "s3:ListBucket", shared.artifactBucketArn, {
                ...fromJob,
                context: { ...fromJob.context, "s3:prefix": prefix },
            }),
            allowed("the CMI role reads the model files", cmi, "declared", "s3:GetObject", object, fromJob),
            allowed("the CMI role decrypts the artifacts through S3", cmi, "declared", "kms:Decrypt", shared.artifactKeyArn, throughS3),
            ...["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"].map((action) =>
                allowed(
                    "the CMI role encrypts the imported model with the hosting key through Bedrock",
                    cmi,
                    "declared",
                    action,
                    hostingKey,
                    throughBedrock,
                ),
            ),
            allowed("Bedrock keeps the imported model under a grant for AWS resources", cmi, "declared", "kms:CreateGrant", hostingKey, {
                ...inHosting,
                context: { ...tls, "kms:GrantIsForAWSResource": "true" },
            }),
            ...config.troubleshooterArns.map((troubleshooter) =>
                allowed(
                    "a configured troubleshooter assumes the CMI role (doctor)",
                    troubleshooter,
                    "administrator",
                    "sts:AssumeRole",
                    cmi,
                    assumeByRole,
                ),
            ),

            ...(config.troubleshooterArns.includes(admin)
                ? []
                : [
                      denied(
                          "another role of the hosting account assumes the CMI role",
                          admin,
                          "administrator",
                          "sts:AssumeRole",
                          cmi,
                          assumeByRole,
                      ),
                  ]),
            denied(
                "Bedrock acting for another account's job (confused deputy)",
                "bedrock.amazonaws.com",
                "none",
                "sts:AssumeRole",
                cmi,
                bedrockFor(OUTSIDER_ACCOUNT),
            ),
            ...["s3:PutObject", "s3:DeleteObject"].map((action) =>
                denied("the CMI role changes the artifacts", cmi, "administrator", action, object, fromJob),
            ),
            denied("the CMI role reads without TLS", cmi, "declared", "s3:GetObject", object, {
                ...fromJob,
                context: { ...fromJob.context, "aws:SecureTransport": "false" },
            }),
            ...(consumer?.requireVpcEndpoint
                ? [denied("the CMI role reads from outside its VPC endpoint", cmi, "declared", "s3:GetObject", object, inResearch)]
                : []),
            ...(fenced
                ? foreignEndpoints(parsed, self, "s3", research.config).map(({ label, endpoint }) =>
                      denied(`the CMI role reads through ${label}`, cmi, "declared", "s3:GetObject", object, fromForeign(endpoint)),
                  )
                : []),
            ...(research.config.vpcEndpointOnly && kmsEndpoint
                ? [
                      allowed(
                          "the CMI role describes the artifact key through its VPC's KMS endpoint",
                          cmi,
                          "declared",
                          "kms:DescribeKey",
                          shared.artifactKeyArn,
                          { ...inResearch, endpointId: kmsEndpoint.id, context: { ...tls, ...throughEndpoint(kmsEndpoint, "kms") } },
                      ),
                      denied(
                          "the CMI role describes the artifact key from outside any VPC endpoint",
                          cmi,
                          "declared",
                          "kms:DescribeKey",
                          shared.artifactKeyArn,
                          inResearch,
                      ),
                      ...foreignEndpoints(parsed, self, "kms", research.config).map(({ label, endpoint }) =>
                          denied(
                              `the CMI role describes the artifact key through ${label}`,
                              cmi,
                              "declared",
                              "kms:DescribeKey",
                              shared.artifactKeyArn,
                              { ...inResearch, context: { ...tls, ...throughEndpoint(endpoint, "kms") } },
                          ),
                      ),
                  ]
                : []),
            denied("another role of the hosting account reads the artifacts", admin, "administrator", "s3:GetObject", object, fromJob),
            denied(
                "another role of the hosting account decrypts with the artifact key",
                admin,
                "administrator",
                "kms:Decrypt",
                shared.artifactKeyArn,
                throughS3,
            ),
            denied(
                "another role of the hosting account uses the imported-model key",
                admin,
                "administrator",
                "kms:Decrypt",
                hostingKey,
                inHosting,
            ),
            denied(
                "a same-named role of an outside account reads the artifacts",
                outsider,
                "administrator",
                "s3:GetObject",
                object,
                inResearch,
            ),
            denied(
                "whoever assumes the CMI role decrypts with the imported-model key directly, not through Bedrock",
                cmi,
                "declared",
                "kms:Decrypt",
                hostingKey,
                inHosting,
            ),
        ];
        return paths.map((p, i) => ({ ...p, id: `${stack}-cmi-${String(i + 1).padStart(2, "0")}` }));
    });
}

/**
 * Rekognition Custom Labels sharing paths for each consumer stack of the shared Rekognition model:
 * its application role assumes the ML account's access role (and nobody else of its account, nor
 * another consumer's role, can); the access role calls DetectCustomLabels on the versions granted
 * to this consumer, through the consumer VPC's endpoint when required, and on nothing else; it
 * cannot start, stop, create or delete projects or versions.
 */
function rekognitionPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    const share = research?.exports.rekognition;
    if (!research || !share) return [];
    const ml = research.config.accountId;
    const allGranted = [...new Set(share.consumers.flatMap((c) => c.grantedVersions))];
    return parsed
        .filter(isHosting)
        .filter((p) => !!p.config.rekognition)
        .flatMap((self) => {
            const { exports: out, config } = self;
            const entry = share.consumers.find((c) => c.accountId === config.accountId);
            if (!entry) return [];
            const partition = partitionOf(config.region);
            const appRole = requireExport(config.stack, out, "rekognitionAppRoleArn", "its configuration sets rekognition");
            const admin = `arn:${partition}:iam::${config.accountId}:role/platform-administrator`;
            const endpoint = endpointOf(self, "rekognition", research.config);
            const requireEndpoint = research.config.rekognition?.consumers.find(
                (c) => c.accountId === config.accountId,
            )?.requireVpcEndpoint;
            // Offline a secret external ID is the placeholder on both sides, so the proof matches them.
            const external: Record<string, string> = config.rekognition!.externalId
                ? { "sts:ExternalId": config.rekognition!.externalId.reveal() }
                : {};
            const throughOwn: Pick<AccessPath, "context" | "endpointId"> = endpoint
                ? { endpointId: endpoint.id, context: { "aws:SecureTransport": "true", ...throughEndpoint(endpoint, "rekognition") } }
                : { context: { "aws:SecureTransport": "true" } };
            const base = { architecture: "rekognition-shared", stack: config.stack };
            const inMl = { resourceAccount: ml };
            // One other consumer stands for all: every access role trusts exactly one principal ARN, and
            // checking each pair would make the proof grow with the square of the accounts.
            const position = share.consumers.indexOf(entry);
            const otherConsumers = share.consumers.length > 1 ? [share.consumers[(position + 1) % share.consumers.length]] : [];
            const paths: Omit<AccessPath, "id">[] = [
                {
                    ...base,
                    expect: "allowed",
                    why: "the application role assumes the ML account's access role",
                    principal: appRole,
                    identity: "declared",
                    action: "sts:AssumeRole",
                    resource: entry.accessRoleArn,
                    ...inMl,
                    context: external,
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the application reads the version to call from Parameter Store",
                    principal: appRole,
                    identity: "declared",
                    action: "ssm:GetParameter",
                    resource: parameterArnOf(partition, config),
                    resourceAccount: config.accountId,
                    context: {},
                },
                ...entry.grantedVersions.map(
                    (version): Omit<AccessPath, "id"> => ({
                        ...base,
                        expect: "allowed",
                        why: `the access role calls granted version ${versionLabel(version)}`,
                        principal: entry.accessRoleArn,
                        identity: "declared",
                        action: "rekognition:DetectCustomLabels",
                        resource: version,
                        ...inMl,
                        ...throughOwn,
                    }),
                ),
                // Versions granted to other consumers only (at most two: the policy lists granted versions, so any stands for all).
                ...allGranted
                    .filter((v) => !entry.grantedVersions.includes(v))
                    .slice(0, 2)
                    .map(
                        (version): Omit<AccessPath, "id"> => ({
                            ...base,
                            expect: "denied",
                            why: `the access role calls version ${versionLabel(version)}, not granted to this account`,
                            principal: entry.accessRoleArn,
                            identity: "declared",
                            action: "rekognition:DetectCustomLabels",
                            resource: version,
                            ...inMl,
                            ...throughOwn,
                        }),
                    ),
                ...(requireEndpoint && entry.grantedVersions[0]
                    ? [
                          {
                              ...base,
                              expect: "denied",
                              why: "the access role calls the model from outside the consumer VPC endpoint",
                              principal: entry.accessRoleArn,
                              identity: "declared",
                              action: "rekognition:DetectCustomLabels",
                              resource: entry.grantedVersions[0],
                              ...inMl,
                              context: { "aws:SecureTransport": "true" },
                          } as Omit<AccessPath, "id">,
                          ...foreignEndpoints(parsed, self, "rekognition", research.config).map(
                              ({ label, endpoint: foreign }): Omit<AccessPath, "id"> => ({
                                  ...base,
                                  expect: "denied",
                                  why: `the access role calls the model through ${label}`,
                                  principal: entry.accessRoleArn,
                                  identity: "declared",
                                  action: "rekognition:DetectCustomLabels",
                                  resource: entry.grantedVersions[0],
                                  ...inMl,
                                  context: { "aws:SecureTransport": "true", ...throughEndpoint(foreign, "rekognition") },
                              }),
                          ),
                      ]
                    : []),
                ...(entry.grantedVersions[0]
                    ? ["rekognition:StartProjectVersion", "rekognition:StopProjectVersion", "rekognition:DeleteProjectVersion"].map(
                          (action): Omit<AccessPath, "id"> => ({
                              ...base,
                              expect: "denied",
                              why: "the access role starts, stops or deletes a model version",
                              principal: entry.accessRoleArn,
                              identity: "declared",
                              action,
                              resource: entry.grantedVersions[0],
                              ...inMl,
                              context: {},
                          }),
                      )
                    : []),
                ...(share.projectArn
                    ? ["rekognition:CreateProjectVersion", "rekognition:DeleteProject"].map(
                          (action): Omit<AccessPath, "id"> => ({
                              ...base,
                              expect: "denied",
                              why: "the access role trains or deletes in the project",
                              principal: entry.accessRoleArn,
                              identity: "declared",
                              action,
                              resource: share.projectArn!,
                              ...inMl,
                              context: {},
                          }),
                      )
                    : []),
                {
                    ...base,
                    expect: "denied",
                    why: "another role of the consumer account assumes the access role",
                    principal: admin,
                    identity: "administrator",
                    action: "sts:AssumeRole",
                    resource: entry.accessRoleArn,
                    ...inMl,
                    context: external,
                },
                ...otherConsumers.map(
                    (other): Omit<AccessPath, "id"> => ({
                        ...base,
                        expect: "denied",
                        why: `the ${other.stack} application role assumes ${config.stack}'s access role`,
                        principal: `arn:${partition}:iam::${other.accountId}:role/${appRole.split("/").pop()!.replace(config.accountId, other.accountId)}`,
                        identity: "administrator",
                        action: "sts:AssumeRole",
                        resource: entry.accessRoleArn,
                        ...inMl,
                        context: external,
                    }),
                ),
            ];
            return paths.map((p, i) => ({ ...p, id: `${config.stack}-rek-${String(i + 1).padStart(2, "0")}` }));
        });
}

/** The version parameter's ARN in a consumer stack. */
function parameterArnOf(partition: string, config: HostingConfig): string {
    return `arn:${partition}:ssm:${config.region}:${config.accountId}:parameter${config.rekognition!.parameterName}`;
}

/** `<version>` of a model version ARN, for path descriptions. */
function versionLabel(versionArn: string): string {
    return versionArn.split("/version/")[1]?.split("/")[0] ?? versionArn;
}

/**
 * Guardrail paths for each account the Organizations stack attaches service control policies to:
 * even an administrator of a consumer account cannot change Rekognition projects (Rekognition
 * Custom Labels sharing) or create SageMaker compute without VPC subnets and security groups, while
 * compute in the VPC still can be created (SageMaker hosting).
 */
function guardrailPaths(stacks: readonly ParsedStack[]): AccessPath[] {
    const parsed = stacks.map((s) => s.config);
    const org = parsed.find((c): c is OrganizationConfig => c.program === "organization");
    if (!org) return [];
    const stackOf = (account: string) =>
        parsed.find((c) => c.program !== "organization" && c.program !== "bootstrap" && c.accountId === account);
    const accountTargets = (targets: readonly string[]) => targets.filter((t) => /^\d{12}$/.test(t));
    const paths: Omit<AccessPath, "id">[] = [];
    const admin = (account: string, partition: string) => `arn:${partition}:iam::${account}:role/platform-administrator`;
    for (const account of accountTargets(org.guardrails.rekognitionConsumers)) {
        const target = stackOf(account) ?? org;
        const partition = partitionOf(target.region);
        const project = `arn:${partition}:rekognition:${target.region}:${account}:project/shadow-model/1700000000000`;
        for (const [action, resource] of [
            ["rekognition:CreateProject", "*"],
            ["rekognition:StartProjectVersion", `${project.replace(/\/\d+$/, "")}/version/shadow-model.v1/1700000000000`],
            ["rekognition:DeleteProject", project],
        ]) {
            paths.push({
                architecture: "guardrails",
                stack: target.stack,
                expect: "denied",
                why: "an administrator of a consumer account changes Rekognition projects (SCP)",
                principal: admin(account, partition),
                identity: "administrator",
                action,
                resource,
                resourceAccount: account,
                context: {},
            });
        }
    }
    for (const account of accountTargets(org.guardrails.sagemakerVpcOnly)) {
        const target = stackOf(account) ?? org;
        const partition = partitionOf(target.region);
        const model = `arn:${partition}:sagemaker:${target.region}:${account}:model/guardrail-check`;
        const where = {
            principal: admin(account, partition),
            identity: "administrator" as const,
            action: "sagemaker:CreateModel",
            resource: model,
            resourceAccount: account,
        };
        paths.push(
            {
                architecture: "guardrails",
                stack: target.stack,
                expect: "denied",
                why: "a SageMaker model without VPC subnets and security groups is created (SCP)",
                ...where,
                context: {},
            },
            {
                architecture: "guardrails",
                stack: target.stack,
                expect: "denied",
                why: "a SageMaker model with subnets but no security groups is created (SCP)",
                ...where,
                context: { "sagemaker:VpcSubnets": ["subnet-0123456789abcdef0"] },
            },
            {
                architecture: "guardrails",
                stack: target.stack,
                expect: "allowed",
                why: "a SageMaker model in the VPC is created",
                ...where,
                context: {
                    "sagemaker:VpcSubnets": ["subnet-0123456789abcdef0"],
                    "sagemaker:VpcSecurityGroupIds": ["sg-0123456789abcdef0"],
                },
            },
        );
    }
    return paths.map((p, i) => ({ ...p, id: `${p.stack}-scp-${String(i + 1).padStart(2, "0")}` }));
}

/**
 * SageMaker hosting paths for each target serving a SageMaker model: SageMaker assumes the
 * execution role for this account only; the role reads the approved model data only through its
 * VPC's S3 endpoint and describes the approved package in the registry; nobody else of the account
 * reads the data; the deployment role passes only the execution role and creates models only in the
 * VPC, and only its deployers (the development account's pipeline role) may assume it.
 */
function sagemakerPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    const registry = research?.exports.sagemaker;
    if (!research || !registry) return [];
    const shared = research.exports;
    return parsed
        .filter(isHosting)
        .filter((p) => !!p.config.sagemaker)
        .flatMap((self) => {
            const { exports: out, config } = self;
            const { region, accountId, stack } = config;
            const partition = partitionOf(region);
            const execution = requireExport(stack, out, "sagemakerExecutionRoleArn", "its configuration sets sagemaker");
            const deployment = requireExport(stack, out, "sagemakerDeploymentRoleArn", "its configuration sets sagemaker");
            const admin = `arn:${partition}:iam::${accountId}:role/platform-administrator`;
            const data = `${shared.artifactBucketArn}/${registry.modelDataPrefix}model.tar.gz`;
            const tls = { "aws:SecureTransport": "true" };
            const s3Endpoint = endpointOf(self, "s3", research.config)!;
            const throughOwn = {
                resourceAccount: shared.accountId,
                endpointId: s3Endpoint.id,
                context: { ...tls, ...throughEndpoint(s3Endpoint, "s3") },
            };
            const model = `arn:${partition}:sagemaker:${region}:${accountId}:model/rollout-check`;
            const inVpc = { "sagemaker:VpcSubnets": [...out.subnetIds], "sagemaker:VpcSecurityGroupIds": [out.workloadSecurityGroupId] };
            const base = { architecture: "sagemaker", stack };
            const paths: Omit<AccessPath, "id">[] = [
                {
                    ...base,
                    expect: "allowed",
                    why: "SageMaker assumes the execution role for this account's models",
                    principal: "sagemaker.amazonaws.com",
                    identity: "none",
                    action: "sts:AssumeRole",
                    resource: execution,
                    resourceAccount: accountId,
                    context: { "aws:SourceAccount": accountId, "aws:SourceArn": model },
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the execution role reads the approved model data through its VPC endpoint",
                    principal: execution,
                    identity: "declared",
                    action: "s3:GetObject",
                    resource: data,
                    ...throughOwn,
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the execution role decrypts the model data through S3",
                    principal: execution,
                    identity: "declared",
                    action: "kms:Decrypt",
                    resource: shared.artifactKeyArn,
                    resourceAccount: shared.accountId,
                    context: { ...tls, "kms:ViaService": `s3.${shared.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the execution role describes the approved package in the registry",
                    principal: execution,
                    identity: "declared",
                    action: "sagemaker:DescribeModelPackage",
                    resource: config.sagemaker!.modelPackageArn,
                    resourceAccount: shared.accountId,
                    context: tls,
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the deployment role creates a model in the VPC",
                    principal: deployment,
                    identity: "declared",
                    action: "sagemaker:CreateModel",
                    resource: model,
                    resourceAccount: accountId,
                    context: inVpc,
                },
                {
                    ...base,
                    expect: "allowed",
                    why: "the deployment role passes the execution role to SageMaker",
                    principal: deployment,
                    identity: "declared",
                    action: "iam:PassRole",
                    resource: execution,
                    resourceAccount: accountId,
                    context: { "iam:PassedToService": "sagemaker.amazonaws.com" },
                },
                {
                    ...base,
                    expect: "denied",
                    why: "SageMaker acting for another account (confused deputy)",
                    principal: "sagemaker.amazonaws.com",
                    identity: "none",
                    action: "sts:AssumeRole",
                    resource: execution,
                    resourceAccount: accountId,
                    context: { "aws:SourceAccount": OUTSIDER_ACCOUNT, "aws:SourceArn": model.replace(accountId, OUTSIDER_ACCOUNT) },
                },
                {
                    ...base,
                    expect: "denied",
                    why: "the execution role reads the model data outside its VPC endpoint",
                    principal: execution,
                    identity: "declared",
                    action: "s3:GetObject",
                    resource: data,
                    resourceAccount: shared.accountId,
                    context: tls,
                },
                ...foreignEndpoints(parsed, self, "s3", research.config).map(
                    ({ label, endpoint }): Omit<AccessPath, "id"> => ({
                        ...base,
                        expect: "denied",
                        why: `the execution role reads the model data through ${label}`,
                        principal: execution,
                        identity: "declared",
                        action: "s3:GetObject",
                        resource: data,
                        resourceAccount: shared.accountId,
                        context: { ...tls, ...throughEndpoint(endpoint, "s3") },
                    }),
                ),
                {
                    ...base,
                    expect: "denied",
                    why: "another role of the target account reads the model data",
                    principal: admin,
                    identity: "administrator",
                    action: "s3:GetObject",
                    resource: data,
                    ...throughOwn,
                },
                {
                    ...base,
                    expect: "denied",
                    why: "the deployment role creates a model without VPC subnets and security groups",
                    principal: deployment,
                    identity: "declared",
                    action: "sagemaker:CreateModel",
                    resource: model,
                    resourceAccount: accountId,
                    context: {},
                },
                {
                    ...base,
                    expect: "denied",
                    why: "the deployment role creates a model without security groups",
                    principal: deployment,
                    identity: "declared",
                    action: "sagemaker:CreateModel",
                    resource: model,
                    resourceAccount: accountId,
                    context: { "sagemaker:VpcSubnets": [...out.subnetIds] },
                },
                {
                    ...base,
                    expect: "denied",
                    why: "the deployment role passes another role",
                    principal: deployment,
                    identity: "declared",
                    action: "iam:PassRole",
                    resource: `arn:${partition}:iam::${accountId}:role/platform-administrator`,
                    resourceAccount: accountId,
                    context: { "iam:PassedToService": "sagemaker.amazonaws.com" },
                },
                {
                    ...base,
                    expect: "denied",
                    why: "another role of the target account describes the registry's packages",
                    principal: admin,
                    identity: "administrator",
                    action: "sagemaker:DescribeModelPackage",
                    resource: config.sagemaker!.modelPackageArn,
                    resourceAccount: shared.accountId,
                    context: tls,
                },
                ...imagePullPaths(base, config, execution, admin, registry.imageRepositoryArn),
                ...deploymentTrustPaths(base, config, deployment, research.config.accountId),
            ];
            return paths.map((p, i) => ({ ...p, id: `${stack}-sm-${String(i + 1).padStart(2, "0")}` }));
        });
}

/**
 * SageMaker hosting: SageMaker pulls the inference image as the execution role. It gets a token and
 * pulls from the image's repository (research's, through that repository's policy, or one the
 * target names), and nothing else: another repository of that account is refused, and so is another
 * role of the target account on the image's repository.
 */
function imagePullPaths(
    base: { architecture: string; stack: string },
    config: HostingConfig,
    execution: string,
    admin: string,
    researchRepository: string | undefined,
): Omit<AccessPath, "id">[] {
    const repository = config.sagemaker!.imageRepositoryArn ?? researchRepository;
    if (!repository) return [];
    const repositoryAccount = repository.split(":")[4];
    const other = repository.replace(/repository\/.+$/, "repository/other-team-images");
    const pull = (
        expect: AccessPath["expect"],
        why: string,
        principal: string,
        identity: AccessPath["identity"],
        action: string,
        resource: string,
    ): Omit<AccessPath, "id"> => ({
        ...base,
        expect,
        why,
        principal,
        identity,
        action,
        resource,
        resourceAccount: repositoryAccount,
        context: { "aws:SecureTransport": "true" },
    });
    return [
        {
            ...pull(
                "allowed",
                "the execution role gets an ECR authorization token",
                execution,
                "declared",
                "ecr:GetAuthorizationToken",
                "*",
            ),
            resourceAccount: config.accountId,
        },
        ...["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"].map((action) =>
            pull("allowed", "the execution role pulls its inference image", execution, "declared", action, repository),
        ),
        pull("denied", "the execution role pulls from another repository", execution, "declared", "ecr:BatchGetImage", other),
        pull(
            "denied",
            "another role of the target account pulls the inference image",
            admin,
            "administrator",
            "ecr:BatchGetImage",
            repository,
        ),
    ];
}

/**
 * SageMaker hosting: who may assume a target's deployment role (seed 003: the pipeline of the
 * development account assumes, in each target account, a role that may pass the execution role and
 * nothing more). Each configured deployer may, the development account's pipeline role among them;
 * another role of the development account may not, nor a same-named role of an outside account,
 * nor another role of the target account. The callers are principals no stack declares, with
 * every permission their account could give them: only the role's trust can refuse them.
 */
function deploymentTrustPaths(
    base: { architecture: string; stack: string },
    config: HostingConfig,
    deployment: string,
    developmentAccount: string,
): Omit<AccessPath, "id">[] {
    const { accountId, region } = config;
    const partition = partitionOf(region);
    const deployers = config.sagemaker!.deployerArns;
    const accountOf = (roleArn: string) => roleArn.split(":")[4];
    const assume = (expect: AccessPath["expect"], why: string, principal: string): Omit<AccessPath, "id"> => ({
        ...base,
        expect,
        why,
        principal,
        identity: "administrator",
        action: "sts:AssumeRole",
        resource: deployment,
        resourceAccount: accountId,
        context: {},
    });
    const unlisted = (account: string) =>
        [`arn:${partition}:iam::${account}:role/platform-administrator`].filter((r) => !deployers.includes(r));
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

/**
 * Every architecture's paths for an environment, each stack's configuration parsed once; with the
 * stacks' declared resources, also the deployment identity's (proof/access/deploymentPaths.ts).
 */
export function environmentPaths(stacks: readonly StackFacts[], declared: readonly DeclaredStack[] = []): AccessPath[] {
    const parsed = parseStacks(stacks);
    return [
        ...bedrockImportPaths(parsed),
        ...rekognitionPaths(parsed),
        ...sagemakerPaths(parsed),
        ...guardrailPaths(parsed),
        ...deploymentPaths(parsed, declared),
    ];
}
