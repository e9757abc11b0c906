/**
 * The configuration contract of every stack, parsed and validated in one place. A stack program
 * receives one of these typed objects and never reads `pulumi.Config` itself.
 */
import { ConfigError, IssueCollector, stackFileName } from "./errors";
import { ConfigReader, RawConfig } from "./reader";
import * as rules from "./rules";
import { checkKnownEndpoint } from "../endpoints";
import { RekognitionClient, RekognitionShare, parseRekognitionClient, parseRekognitionShare } from "./rekognitionConfig";
import { Guardrails, parseGuardrails } from "./organizationConfig";
import { DevelopmentAccount, SageMakerHosting, SageMakerRegistry, parseSageMakerHosting, parseSageMakerRegistry } from "./sagemakerConfig";
import { PerimeterConfig, parsePerimeter } from "./perimeterConfig";
import { ProjectStacks, checkStackName } from "./projectStacks";
import { didYouMean } from "./suggest";
import { AssumedRole, DeploymentTrust, parseAssumedRole, parseDeploymentTrust } from "./deploymentConfig";
import { reportUnknownKeys } from "./unknownKeys";
import { PROJECT, defaultArtifactBucketName, defaultCmiRoleName, partitionOf, stackReferenceName } from "../naming";

/** The interface endpoints a hosting VPC gets unless `network.interfaceEndpoints` says otherwise. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = [
    "sts",
    "kms",
    "logs",
    "monitoring",
    "bedrock",
    "bedrock-runtime",
    "sagemaker.api",
    "sagemaker.runtime",
    "rekognition",
];

/**
 * Import job and imported model names get `-<generation>` appended (8 hex digits, made when the
 * resource is created), so a replacement can import beside the model it replaces.
 */
export const GENERATION_SUFFIX_LENGTH = 9;
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const PROGRAMS = ["research", "hosting", "organization", "bootstrap"] as const;
export type ProgramKind = (typeof PROGRAMS)[number];

/** What a stack's configuration is checked against besides itself. */
export interface ParseContext {
    /** The project's stacks, for settings that name a stack or another stack's account; unchecked when absent. */
    readonly stacks?: ProjectStacks;
    /** Top-level keys the Pulumi CLI marks secret (offline, an encrypted value is the placeholder instead). */
    readonly secretKeys?: Iterable<string>;
}

interface StackBase {
    readonly stack: string;
    /** `Pulumi.<stack>.yaml`, for messages. */
    readonly stackFile: string;
    readonly region: string;
    readonly partition: string;
    /** The one account in `aws:allowedAccountIds`: where this stack deploys. */
    readonly accountId: string;
    readonly keyDeletionWindowDays: number;
    /** `aws:profile`, which code outside the AWS provider (the import job) must use too. */
    readonly awsProfile?: string;
    /**
     * `aws:assumeRoles`: the account's deployment role, which the provider assumes with the
     * caller's credentials (the CI identity); the import job's SDK calls assume it too.
     */
    readonly assumeRole?: AssumedRole;
}

/** A hosting account the research account shares artifacts with. */
export interface Consumer {
    /** The consumer's stack name, used in messages and by the orchestrator. */
    readonly stack: string;
    readonly accountId: string;
    /** The role in the consumer account granted read access (the CMI execution role). */
    readonly roleName: string;
    /** Key prefixes the role may read, each ending in `/`; empty means the whole bucket. */
    readonly prefixes: readonly string[];
    /**
     * Deny the role any access that does not come through the consumer VPC's S3 endpoint (SageMaker
     * hosting's perimeter): an endpoint of the consumer's account, or, when research pins the stack
     * (`perimeter`), its endpoint ID, read back through a feedback reference.
     */
    readonly requireVpcEndpoint: boolean;
}

export interface ResearchConfig extends StackBase {
    readonly program: "research";
    readonly artifactBucketName: string;
    readonly consumers: readonly Consumer[];
    /** Rekognition Custom Labels sharing: the model shared with consumer accounts, if any. */
    readonly rekognition?: RekognitionShare;
    /** SageMaker hosting: the model registry and the packages approved for the target accounts, if any. */
    readonly sagemaker?: SageMakerRegistry;
    /** SageMaker hosting: other accounts reach the artifact bucket and key only through their VPC endpoints. */
    readonly vpcEndpointOnly: boolean;
    /** How "through their VPC endpoints" is decided: by the endpoint's owner, or by endpoint ID. */
    readonly perimeter: PerimeterConfig;
}

export interface NetworkConfig {
    readonly cidr: string;
    /** Zone names to use; when absent, the first `zoneCount` available zones of the Region. */
    readonly availabilityZones?: readonly string[];
    readonly zoneCount: number;
    readonly interfaceEndpoints: readonly string[];
    readonly flowLogRetentionDays: number;
}

export interface ModelImportConfig {
    /** Key prefix of the model files in the artifact bucket, ending in `/`. */
    readonly modelPrefix: string;
    /** Bucket named in `modelPrefix` when it was given as an `s3://` URI; checked against the research stack. */
    readonly bucketInUri?: string;
    readonly importedModelName: string;
    /** Base job name; the resource's generation is appended, as to `importedModelName`. */
    readonly jobName: string;
    readonly runInVpc: boolean;
    readonly timeoutMinutes: number;
    readonly pollSeconds: number;
    /** Protect the import job resource (and so its model) from `pulumi destroy` and replacement. */
    readonly protect: boolean;
}

export interface HostingConfig extends StackBase {
    readonly program: "hosting";
    /** Fully qualified name of the research stack to reference. */
    readonly researchStack: string;
    readonly cmiRoleName: string;
    /** Roles of this account allowed to assume the CMI role for troubleshooting; empty by default. */
    readonly troubleshooterArns: readonly string[];
    readonly network: NetworkConfig;
    readonly modelImport?: ModelImportConfig;
    /** Rekognition Custom Labels sharing: the shared model this account's application calls, if any. */
    readonly rekognition?: RekognitionClient;
    /** SageMaker hosting: the approved model package this account serves from a VPC-only endpoint, if any. */
    readonly sagemaker?: SageMakerHosting;
}

/** The optional Organizations management stack: service control policies for the other accounts. */
export interface OrganizationConfig extends StackBase {
    readonly program: "organization";
    readonly guardrails: Guardrails;
}

/**
 * A bootstrap stack (one per account, deployed once with administrator credentials): the
 * deployment role every other stack of the account deploys through.
 */
export interface BootstrapConfig extends StackBase {
    readonly program: "bootstrap";
    readonly deployment: DeploymentTrust;
}

export type StackConfig = ResearchConfig | HostingConfig | OrganizationConfig | BootstrapConfig;

const key = (name: string) => `${PROJECT}:${name}`;

/**
 * Parses and validates a stack's whole configuration. Throws a `ConfigError` listing every problem,
 * each naming the key, `Pulumi.<stack>.yaml` and the expected form.
 */
export function parseStackConfig(stack: string, raw: RawConfig, context: ParseContext = {}): StackConfig {
    const issues = new IssueCollector(stackFileName(stack));
    const reader = new ConfigReader(raw, issues);
    const program = reader.string(key("program"), {
        required: true,
        expected: `"research" (artifact account), "hosting" (model hosting account), "organization" (management account) or "bootstrap" (an account's deployment role)`,
        check: (v) =>
            (PROGRAMS as readonly string[]).includes(v)
                ? undefined
                : `"${v}" is not a program; ${didYouMean(v, PROGRAMS)}expected "research", "hosting", "organization" or "bootstrap"`,
    }) as ProgramKind | undefined;
    const base = parseBase(stack, reader, program, context.stacks);
    // Which settings are valid, and what they mean, depends on the program: without one, any
    // further message would guess (and mislead), so stop here.
    if (!program) return issues.throwNow();
    const parsed = parseProgram(program, reader, base, context);
    reportUnknownKeys(reader, program, PROGRAMS, settingsOf);
    reader.refuseNonSensitiveSecrets(context.secretKeys ?? [], `${PROJECT}:`);
    issues.throwIfAny();
    return parsed;
}

/** The configuration of a program's stacks. */
export type ConfigOf<P extends ProgramKind> = Extract<StackConfig, { readonly program: P }>;

const runs = <P extends ProgramKind>(config: StackConfig, program: P): config is ConfigOf<P> => config.program === program;

/**
 * Parses the configuration of a stack that must run `program` (a promotion's research and
 * consumer stacks, say), as that program parses it; refuses a stack that runs another program.
 */
export function parseProgramConfig<P extends ProgramKind>(
    stack: string,
    raw: RawConfig,
    program: P,
    context: ParseContext = {},
): ConfigOf<P> {
    const config = parseStackConfig(stack, raw, context);
    if (runs(config, program)) return config;
    throw new ConfigError(config.stackFile, [
        { key: key("program"), message: `is "${config.program}"; expected "${program}" for this stack` },
    ]);
}

function parseProgram(program: ProgramKind, reader: ConfigReader, base: StackBase, context: ParseContext): StackConfig {
    switch (program) {
        case "hosting":
            return parseHosting(reader, base, context);
        case "organization":
            return { ...base, program, guardrails: parseGuardrails(reader, context.stacks) };
        case "research":
            return parseResearch(reader, base, context);
        case "bootstrap":
            // Undefined only with a problem reported, which parseStackConfig throws before returning.
            return {
                ...base,
                program,
                deployment: parseDeploymentTrust(reader, base) ?? { ciRoleArns: [], operatorArns: [], maxSessionHours: 1 },
            };
    }
}

const settings = new Map<ProgramKind, ReadonlySet<string>>();

/**
 * The top-level keys of a program. The parser is their one definition: parsing an empty
 * configuration asks for every key the program reads, and the reader remembers them.
 */
export function settingsOf(program: ProgramKind): ReadonlySet<string> {
    let found = settings.get(program);
    if (!found) {
        const reader = new ConfigReader({}, new IssueCollector("(settings)"));
        reader.string(key("program"), { expected: "" });
        parseProgram(program, reader, parseBase("(settings)", reader, program, undefined), {});
        found = reader.knownKeys;
        settings.set(program, found);
    }
    return found;
}

function parseBase(stack: string, reader: ConfigReader, program: ProgramKind | undefined, stacks: ProjectStacks | undefined): StackBase {
    const region =
        reader.string("aws:region", { required: true, expected: `a Region code, e.g. "us-east-1"`, check: rules.checkRegion }) ?? "";
    const accountIdsKey = "aws:allowedAccountIds";
    const expectedIds = `a list with the one account this stack deploys into, e.g. ["111122223333"]`;
    const ids = reader.list(accountIdsKey, reader.json(accountIdsKey, { required: true, expected: expectedIds }) ?? [], expectedIds) ?? [];
    if (reader.has(accountIdsKey) && ids.length !== 1) {
        reader.issues.add(accountIdsKey, `lists ${ids.length} accounts; expected ${expectedIds}`);
    }
    const accountId =
        ids.length === 1 ? reader.stringValue(`${accountIdsKey}[0]`, ids[0], "a 12-digit account ID", rules.checkAccountId) : undefined;
    const assumeRole = program && parseAssumedRole(reader, { stack, accountId: accountId ?? "", region }, program, stacks);
    return {
        stack,
        stackFile: stackFileName(stack),
        region,
        // Empty while aws:region is refused, so that nothing is checked against a guessed partition.
        partition: region ? partitionOf(region) : "",
        accountId: accountId ?? "",
        keyDeletionWindowDays: reader.integer(key("keyDeletionWindowDays"), { default: 30, min: 7, max: 30 }),
        awsProfile: reader.string("aws:profile", { expected: "a profile name from the AWS shared config" }),
        ...(assumeRole ? { assumeRole } : {}),
    };
}

function parseResearch(reader: ConfigReader, base: StackBase, context: ParseContext): ResearchConfig {
    const bucketName =
        reader.string(key("artifactBucketName"), {
            expected: "an S3 bucket name",
            // The access log bucket is named `<bucket>-logs`, which must be valid too.
            check: (v) =>
                rules.checkBucketName(v) ??
                (rules.checkBucketName(`${v}-logs`) &&
                    `"${v}" leaves no room for its log bucket "${v}-logs"; expected at most 58 characters`),
        }) ?? defaultArtifactBucketName(base.accountId);
    const consumersKey = key("consumers");
    const expected = `a list of {stack, accountId, roleName?, prefixes?, requireVpcEndpoint?}, e.g. [{stack: dev, accountId: "777788889999"}]`;
    const list = reader.list(consumersKey, reader.json(consumersKey, { required: true, expected }) ?? [], expected) ?? [];
    const consumers = list.map((item, i) => parseConsumer(reader, `${consumersKey}[${i}]`, item, base, context.stacks));
    const seen = new Map<string, number>();
    consumers.forEach((c, i) => {
        if (!c) return;
        const first = seen.get(c.accountId);
        if (first !== undefined) {
            reader.issues.add(
                `${consumersKey}[${i}].accountId`,
                `"${c.accountId}" is already listed at ${consumersKey}[${first}]; expected each hosting account once`,
            );
        }
        seen.set(c.accountId, i);
    });
    const research: ResearchConfig = {
        ...base,
        program: "research",
        artifactBucketName: bucketName,
        consumers: consumers.filter((c): c is Consumer => !!c),
        rekognition: parseRekognitionShare(reader, base, context.stacks),
        sagemaker: parseSageMakerRegistry(reader, base, context.stacks),
        vpcEndpointOnly: reader.boolean(key("vpcEndpointOnly"), { default: false }),
        perimeter: parsePerimeter(reader),
    };
    const stacks = consumerStacks(research);
    // While a consumer entry is refused, the list of consumers is incomplete: a pinned stack is
    // checked against it only once every entry is valid.
    const incomplete = [consumersKey, key("rekognition"), key("sagemaker")].some((k) =>
        reader.issues.issues.some((issue) => issue.key === k || issue.key.startsWith(`${k}.`) || issue.key.startsWith(`${k}[`)),
    );
    research.perimeter.pinnedStacks.forEach((stack, i) => {
        if (!incomplete && !stacks.includes(stack)) {
            reader.issues.add(
                `${key("perimeter")}.pinnedStacks[${i}]`,
                `"${stack}" is not a consumer of this stack; expected one of ${stacks.join(", ") || "(no consumers)"} (consumers, rekognition.consumers, sagemaker.targets)`,
            );
        }
    });
    return research;
}

/** Every stack the research stack shares with, for any architecture. */
export function consumerStacks(config: ResearchConfig): string[] {
    return [
        ...new Set([
            ...config.consumers.map((c) => c.stack),
            ...(config.rekognition?.consumers ?? []).map((c) => c.stack),
            ...(config.sagemaker?.targets ?? []).map((t) => t.stack),
        ]),
    ];
}

function parseConsumer(
    reader: ConfigReader,
    at: string,
    item: unknown,
    base: StackBase,
    stacks: ProjectStacks | undefined,
): Consumer | undefined {
    const fields = reader.map(
        at,
        item,
        ["stack", "accountId", "roleName", "prefixes", "requireVpcEndpoint"],
        "a map {stack, accountId, roleName?, prefixes?, requireVpcEndpoint?}",
    );
    if (!fields) return undefined;
    const stack = reader.stringValue(`${at}.stack`, fields.stack, "the consumer's stack name, e.g. dev", (v) =>
        STACK_NAME.test(v) ? undefined : `"${v}" is not a stack name; expected letters, digits, '_', '.' or '-'`,
    );
    const accountId = reader.stringValue(`${at}.accountId`, fields.accountId, "a 12-digit account ID", rules.checkAccountId);
    if (accountId && accountId === base.accountId) {
        reader.issues.add(
            `${at}.accountId`,
            `"${accountId}" is this research stack's own account (aws:allowedAccountIds); expected a separate hosting account`,
        );
    }
    if (stack) checkStackName(reader, `${at}.stack`, stack, stacks, { program: "hosting", accountId, accountKey: `${at}.accountId` });
    const roleName =
        fields.roleName === undefined
            ? accountId && defaultCmiRoleName(accountId)
            : reader.stringValue(`${at}.roleName`, fields.roleName, "an IAM role name", rules.checkRoleName);
    const prefixes = parsePrefixes(reader, `${at}.prefixes`, fields.prefixes);
    const requireVpcEndpoint =
        fields.requireVpcEndpoint === undefined ? false : reader.booleanValue(`${at}.requireVpcEndpoint`, fields.requireVpcEndpoint);
    if (!stack || !accountId || !roleName || !prefixes || requireVpcEndpoint === undefined) return undefined;
    return { stack, accountId, roleName, prefixes, requireVpcEndpoint };
}

function parsePrefixes(reader: ConfigReader, at: string, value: unknown): string[] | undefined {
    if (value === undefined) return [];
    const list = reader.nonEmptyList(
        at,
        value,
        `a list of key prefixes, e.g. ["mistral-model-weights/"], or no prefixes for the whole bucket`,
        "which would read as no prefixes at all: the role could read the whole bucket",
    );
    const prefixes = list?.map((p, i) => reader.stringValue(`${at}[${i}]`, p, "a key prefix", rules.checkS3Prefix));
    return prefixes?.every((p) => p !== undefined) ? (prefixes as string[]) : undefined;
}

function parseHosting(reader: ConfigReader, base: StackBase, context: ParseContext): HostingConfig {
    if (base.region) {
        const problem = rules.checkCustomModelImportRegion(base.region);
        if (problem) reader.issues.add("aws:region", problem);
    }
    const researchStack =
        reader.string(key("researchStack"), {
            expected: `a stack name or <org>/${PROJECT}/<stack>`,
            check: (v) =>
                /^([\w.-]+\/){0,2}[\w.-]+$/.test(v)
                    ? undefined
                    : `"${v}" is not a stack reference; expected e.g. "research" or "organization/${PROJECT}/research"`,
        }) ?? "research";
    // A refused researchStack names no stack: nothing is checked against the default one.
    const researchRefused = reader.has(key("researchStack")) && reader.issues.issues.some((i) => i.key === key("researchStack"));
    const [project, referenced] = splitStackReference(researchStack);
    if (project === PROJECT && !researchRefused)
        checkStackName(reader, key("researchStack"), referenced, context.stacks, { program: "research" });
    const cmiRoleName =
        reader.string(key("cmiRoleName"), { expected: "an IAM role name", check: rules.checkRoleName }) ??
        defaultCmiRoleName(base.accountId);
    const troubleshootersKey = key("troubleshooterArns");
    const troubleshooters = (
        reader.list(
            troubleshootersKey,
            reader.json(troubleshootersKey, { expected: "a list of role ARNs" }) ?? [],
            "a list of role ARNs of this account",
        ) ?? []
    )
        .map((a, i) =>
            reader.stringValue(`${troubleshootersKey}[${i}]`, a, "a role ARN", rules.roleOfAccount(base.partition, base.accountId)),
        )
        .filter((a): a is string => !!a);
    return {
        ...base,
        program: "hosting",
        researchStack: stackReferenceName(researchStack),
        cmiRoleName,
        troubleshooterArns: troubleshooters,
        network: parseNetwork(reader, base.region),
        modelImport: parseModelImport(reader),
        rekognition: parseRekognitionClient(reader, base.region),
        sagemaker: parseSageMakerHosting(
            reader,
            base,
            developmentAccountOf(project === PROJECT && !researchRefused ? referenced : undefined, context.stacks),
        ),
    };
}

/**
 * The account of the research (development) stack a hosting stack reads, when the project's stacks
 * tell it: a stack of this project running the research program with one account in its stack file.
 */
function developmentAccountOf(researchStack: string | undefined, stacks: ProjectStacks | undefined): DevelopmentAccount | undefined {
    const found = researchStack === undefined ? undefined : stacks?.get(researchStack);
    if (!found || found.program !== "research" || !found.accountId || rules.checkAccountId(found.accountId)) return undefined;
    return {
        accountId: found.accountId,
        source: `the account of research stack ${researchStack}, aws:allowedAccountIds of ${stackFileName(researchStack!)}`,
    };
}

/** The project and stack of a `researchStack` value: a stack name, or `<org>/<project>/<stack>`. */
function splitStackReference(value: string): [project: string, stack: string] {
    const parts = value.split("/");
    return parts.length === 1 ? [PROJECT, value] : [parts[parts.length - 2], parts[parts.length - 1]];
}

function parseNetwork(reader: ConfigReader, region: string): NetworkConfig {
    const at = key("network");
    const expected = `a map {cidr, availabilityZones?, zoneCount?, interfaceEndpoints?, flowLogRetentionDays?}, e.g. {cidr: "10.20.0.0/16"}`;
    const fields =
        reader.map(
            at,
            reader.json(at, { required: true, expected }) ?? {},
            ["cidr", "availabilityZones", "zoneCount", "interfaceEndpoints", "flowLogRetentionDays"],
            expected,
        ) ?? {};
    const cidr = reader.stringValue(`${at}.cidr`, fields.cidr, `an IPv4 CIDR block, e.g. "10.20.0.0/16"`, (v) => {
        const parsed = rules.parseIpv4Cidr(v);
        return typeof parsed === "string" ? parsed : undefined;
    });
    const zones =
        fields.availabilityZones === undefined
            ? undefined
            : reader
                  .list(
                      `${at}.availabilityZones`,
                      fields.availabilityZones,
                      `a list of at least two zone names of ${region || "the stack's Region"}, e.g. ["us-east-1a", "us-east-1b"]`,
                  )
                  ?.map((z, i) => reader.stringValue(`${at}.availabilityZones[${i}]`, z, "a zone name", rules.zoneOf(region)) ?? "");
    if (zones && zones.length < 2) {
        reader.issues.add(`${at}.availabilityZones`, `lists ${zones.length} zone(s); expected at least two, so subnets span zones`);
    }
    // One subnet per zone, named after it: a zone listed twice would fail mid-deployment.
    if (zones) reader.distinct(`${at}.availabilityZones`, zones, "zone");
    const zoneCount =
        fields.zoneCount === undefined ? 2 : (reader.integerValue(`${at}.zoneCount`, fields.zoneCount, { min: 2, max: 6 }) ?? 2);
    const endpoints =
        fields.interfaceEndpoints === undefined
            ? [...DEFAULT_INTERFACE_ENDPOINTS]
            : (
                  reader.list(`${at}.interfaceEndpoints`, fields.interfaceEndpoints, `a list of service names, e.g. ["sts", "kms"]`) ?? []
              ).map((e, i) => reader.stringValue(`${at}.interfaceEndpoints[${i}]`, e, "a service name", checkKnownEndpoint) ?? "");
    const retention =
        fields.flowLogRetentionDays === undefined
            ? 365
            : (reader.retentionDays(`${at}.flowLogRetentionDays`, fields.flowLogRetentionDays) ?? 365);
    const parsedCidr = cidr ? rules.parseIpv4Cidr(cidr) : undefined;
    const subnetCount = zones?.length ?? zoneCount;
    if (typeof parsedCidr === "object" && parsedCidr.bits + Math.ceil(Math.log2(subnetCount)) > 28) {
        reader.issues.add(
            `${at}.cidr`,
            `"${cidr}" is too small for ${subnetCount} subnets of at least /28; expected a larger block, e.g. "10.20.0.0/16"`,
        );
    }
    return {
        cidr: cidr ?? "",
        availabilityZones: zones,
        zoneCount: zones?.length ?? zoneCount,
        interfaceEndpoints: [...new Set(endpoints)],
        flowLogRetentionDays: retention,
    };
}

function parseModelImport(reader: ConfigReader): ModelImportConfig | undefined {
    const at = key("modelImport");
    const expected = `a map {modelPrefix, importedModelName, jobName, runInVpc?, timeoutMinutes?, pollSeconds?, protect?}`;
    const value = reader.json(at, { expected });
    if (value === undefined) return undefined;
    const fields = reader.map(
        at,
        value,
        ["modelPrefix", "importedModelName", "jobName", "runInVpc", "timeoutMinutes", "pollSeconds", "protect"],
        expected,
    );
    if (!fields) return undefined;
    const location = reader.stringValue(
        `${at}.modelPrefix`,
        fields.modelPrefix,
        `a key prefix in the artifact bucket, e.g. "mistral-model-weights/"`,
    );
    const { bucket, prefix } = splitS3Location(location ?? "");
    if (location && rules.checkS3Prefix(prefix)) {
        reader.issues.add(`${at}.modelPrefix`, rules.checkS3Prefix(prefix)!);
    }
    const jobNameMax = rules.CMI_JOB_NAME_MAX - GENERATION_SUFFIX_LENGTH;
    const jobName = reader.stringValue(`${at}.jobName`, fields.jobName, "a job name", (v) => rules.checkJobName(v, jobNameMax));
    const modelNameMax = rules.IMPORTED_MODEL_NAME_MAX - GENERATION_SUFFIX_LENGTH;
    const modelName = reader.stringValue(`${at}.importedModelName`, fields.importedModelName, "an imported model name", (v) =>
        rules.checkImportedModelName(v, modelNameMax),
    );
    const runInVpc = fields.runInVpc === undefined ? true : (reader.booleanValue(`${at}.runInVpc`, fields.runInVpc) ?? true);
    const protect = fields.protect === undefined ? false : (reader.booleanValue(`${at}.protect`, fields.protect) ?? false);
    const timeoutMinutes =
        fields.timeoutMinutes === undefined
            ? 240
            : (reader.integerValue(`${at}.timeoutMinutes`, fields.timeoutMinutes, { min: 1, max: 1440 }) ?? 240);
    const pollSeconds =
        fields.pollSeconds === undefined ? 30 : (reader.integerValue(`${at}.pollSeconds`, fields.pollSeconds, { min: 1, max: 600 }) ?? 30);
    return {
        modelPrefix: prefix,
        bucketInUri: bucket,
        importedModelName: modelName ?? "",
        jobName: jobName ?? "",
        runInVpc,
        timeoutMinutes,
        pollSeconds,
        protect,
    };
}

/** Splits `s3://bucket/prefix/` into its parts; a bare prefix has no bucket. */
function splitS3Location(location: string): { bucket?: string; prefix: string } {
    const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
    return match ? { bucket: match[1], prefix: match[2] } : { prefix: location };
}
