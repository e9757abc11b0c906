/**
 * Configuration of SageMaker hosting (secure multi-account deployment): in the research
 * (development) account, the model registry and which packages are approved for which target
 * accounts; in a target account (dev as staging, prod), the approved package it serves and how.
 */
import { ConfigReader } from "./reader";
import * as rules from "./rules";
import { ProjectStacks, checkStackName } from "./projectStacks";
import { PROJECT } from "../naming";

export interface SageMakerTarget {
    readonly stack: string;
    readonly accountId: string;
}

export interface SageMakerRegistry {
    readonly modelPackageGroupName: string;
    /** Package versions approved for deployment; a target may serve only these. */
    readonly approvedModelPackages: readonly string[];
    readonly targets: readonly SageMakerTarget[];
    /** Where the packages' model artifacts are in the artifact bucket, ending in `/`. */
    readonly modelDataPrefix: string;
    /**
     * The ECR repository of this account holding the packages' inference image: its repository
     * policy lets each target's execution role pull (SageMaker pulls as that role).
     */
    readonly imageRepositoryName?: string;
}

export interface SageMakerHosting {
    /** The approved package version this account serves. */
    readonly modelPackageArn: string;
    readonly instanceType: string;
    readonly instanceCount: number;
    /** Zones of the SecureVpc the model's network interfaces go in; all of them by default. */
    readonly availabilityZones?: readonly string[];
    /**
     * Pipeline roles that may assume the deployment role: of this account, or of the development
     * account (seed 003: the pipeline runs there and deploys into each target account).
     */
    readonly deployerArns: readonly string[];
    readonly logRetentionDays: number;
    /**
     * The repository of the inference image, when it is not research's `imageRepositoryName`
     * (e.g. an image in this account): the execution role may pull from it and no other.
     */
    readonly imageRepositoryArn?: string;
}

const key = (name: string) => `${PROJECT}:${name}`;

/**
 * The development account of a hosting stack (research: the model registry and the pipeline that
 * deploys, seed 003), as far as its configuration and the project's stacks tell.
 */
export interface DevelopmentAccount {
    readonly accountId: string;
    /** Where it was learnt, for messages, e.g. `the account of research stack research (aws:allowedAccountIds of Pulumi.research.yaml)`. */
    readonly source: string;
}

/** Where this stack deploys, for ARNs that must be of its account or Region. */
interface Place {
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
}

export function parseSageMakerRegistry(
    reader: ConfigReader,
    { accountId, region }: Place,
    stacks: ProjectStacks | undefined,
): SageMakerRegistry | undefined {
    const at = key("sagemaker");
    const expected =
        "a map {modelPackageGroupName, approvedModelPackages, targets: [{stack, accountId}], modelDataPrefix, imageRepositoryName?}";
    const value = reader.json(at, { expected });
    if (value === undefined) return undefined;
    const f = reader.map(
        at,
        value,
        ["modelPackageGroupName", "approvedModelPackages", "targets", "modelDataPrefix", "imageRepositoryName"],
        expected,
    );
    if (!f) return undefined;
    const group = reader.stringValue(
        `${at}.modelPackageGroupName`,
        f.modelPackageGroupName,
        "a group name",
        rules.checkModelPackageGroupName,
    );
    const approved = (
        reader.nonEmptyList(
            `${at}.approvedModelPackages`,
            f.approvedModelPackages,
            `a list of version ARNs of ${group ?? "the group"} in this account, e.g. ["arn:aws:sagemaker:${region || "us-east-1"}:${accountId || "<account>"}:model-package/${group ?? "<group>"}/1"]`,
            "so no target could serve a package (a target serves only an approved version)",
        ) ?? []
    )
        .map((p, i) =>
            reader.stringValue(
                `${at}.approvedModelPackages[${i}]`,
                p,
                "a model package version ARN",
                (v) =>
                    rules.checkModelPackageArn(v) ??
                    // Without this stack's account (refused) or the group (refused), only the form is checked.
                    (group && accountId && !v.includes(`:${accountId}:model-package/${group}/`)
                        ? `"${v}" is not a version of ${group} in this account (${accountId}); expected arn:aws:sagemaker:<region>:${accountId}:model-package/${group}/<version>`
                        : undefined) ??
                    rules.inRegion(region, "it must be a version of the model package group this stack declares, in its Region")(v),
            ),
        )
        .filter((p): p is string => !!p);
    const targetsExpected = `a list of {stack, accountId}, e.g. [{stack: dev, accountId: "777788889999"}]`;
    const targets = (
        reader.nonEmptyList(
            `${at}.targets`,
            f.targets,
            targetsExpected,
            "so the registry's resource policy (and the inference image repository's) would have no statement, which AWS refuses",
        ) ?? []
    )
        .map((t, i) => {
            const m = reader.map(`${at}.targets[${i}]`, t, ["stack", "accountId"], "a map {stack, accountId}");
            const stack = m && reader.stringValue(`${at}.targets[${i}].stack`, m.stack, "a stack name");
            const account =
                m && reader.stringValue(`${at}.targets[${i}].accountId`, m.accountId, "a 12-digit account ID", rules.checkAccountId);
            if (stack)
                checkStackName(reader, `${at}.targets[${i}].stack`, stack, stacks, {
                    program: "hosting",
                    accountId: account,
                    accountKey: `${at}.targets[${i}].accountId`,
                });
            return stack && account ? { stack, accountId: account } : undefined;
        })
        .filter((t): t is SageMakerTarget => !!t);
    const prefix = reader.stringValue(
        `${at}.modelDataPrefix`,
        f.modelDataPrefix,
        `a key prefix, e.g. "sagemaker-models/"`,
        rules.checkS3Prefix,
    );
    const imageRepositoryName =
        f.imageRepositoryName === undefined
            ? undefined
            : reader.stringValue(
                  `${at}.imageRepositoryName`,
                  f.imageRepositoryName,
                  `a repository name of this account, e.g. "abalone-inference"`,
                  rules.checkEcrRepositoryName,
              );
    if (!group || !prefix) return undefined;
    return {
        modelPackageGroupName: group,
        approvedModelPackages: approved,
        targets,
        modelDataPrefix: prefix,
        ...(imageRepositoryName ? { imageRepositoryName } : {}),
    };
}

/**
 * `development`: the research stack's account when the project's stacks tell it. Without it, the
 * development account is the account of the registry the stack serves from (the account of
 * `modelPackageArn`): research's registry, which the deployment checks (the package must be one of
 * research's approved versions, in its own account, and every deployer's account this stack's or
 * research's: `checkSageMakerAgainstResearch`). Without either, only this account's roles are accepted.
 */
export function parseSageMakerHosting(
    reader: ConfigReader,
    { accountId, region, partition }: Place,
    development?: DevelopmentAccount,
): SageMakerHosting | undefined {
    const at = key("sagemaker");
    const expected =
        "a map {modelPackageArn, instanceType, instanceCount?, availabilityZones?, deployerArns?, logRetentionDays?, imageRepositoryArn?}";
    const value = reader.json(at, { expected });
    if (value === undefined) return undefined;
    const f = reader.map(
        at,
        value,
        ["modelPackageArn", "instanceType", "instanceCount", "availabilityZones", "deployerArns", "logRetentionDays", "imageRepositoryArn"],
        expected,
    );
    if (!f) return undefined;
    const modelPackageArn = reader.stringValue(
        `${at}.modelPackageArn`,
        f.modelPackageArn,
        "a model package version ARN",
        (v) =>
            rules.checkModelPackageArn(v) ?? rules.inRegion(region, "SageMaker creates a model only from a package of its own Region")(v),
    );
    const instanceType = reader.stringValue(`${at}.instanceType`, f.instanceType, "an instance type", rules.checkHostingInstanceType);
    const instanceCount =
        f.instanceCount === undefined ? 1 : (reader.integerValue(`${at}.instanceCount`, f.instanceCount, { min: 1, max: 20 }) ?? 1);
    const zones =
        f.availabilityZones === undefined
            ? undefined
            : (
                  reader.nonEmptyList(
                      `${at}.availabilityZones`,
                      f.availabilityZones,
                      `a list of zone names of ${region || "the stack's Region"}, or no availabilityZones for every zone of the VPC`,
                      "so the model would have no subnet (SageMaker's VpcConfig needs at least one)",
                  ) ?? []
              ).map((z, i) => reader.stringValue(`${at}.availabilityZones[${i}]`, z, "a zone name", rules.zoneOf(region)) ?? "");
    if (zones) reader.distinct(`${at}.availabilityZones`, zones, "zone");
    const registry =
        development ??
        (modelPackageArn
            ? { accountId: accountOfArn(modelPackageArn), source: `the account of its model registry, ${at}.modelPackageArn` }
            : undefined);
    // Which accounts may deploy follows from this stack's account (and partition) and the development
    // account: while one is unknown because its setting was refused, a deployer is checked for its form only.
    const deployers = partition && accountId && registry ? deployerOf(partition, accountId, registry) : rules.checkRoleArn;
    const deployerArns = (
        reader.nonEmptyList(
            `${at}.deployerArns`,
            f.deployerArns,
            `a list of role ARNs of this account or of the development account, e.g. ["arn:${partition || "aws"}:iam::${registry?.accountId ?? "<development account>"}:role/ml-deployment-pipeline"]`,
            "so the deployment role's trust would name no role (an empty ArnEquals on aws:PrincipalArn)",
        ) ?? []
    )
        .map((a, i) => reader.stringValue(`${at}.deployerArns[${i}]`, a, "a role ARN", deployers))
        .filter((a): a is string => !!a);
    const logRetentionDays =
        f.logRetentionDays === undefined ? 365 : (reader.retentionDays(`${at}.logRetentionDays`, f.logRetentionDays) ?? 365);
    // SageMaker API, ContainerDefinition.Image: the image must be in the Region of the model.
    const imageRepositoryArn =
        f.imageRepositoryArn === undefined
            ? undefined
            : reader.stringValue(
                  `${at}.imageRepositoryArn`,
                  f.imageRepositoryArn,
                  "an ECR repository ARN",
                  (v) =>
                      rules.checkEcrRepositoryArn(v) ??
                      rules.inRegion(region, "SageMaker pulls a model's image only from an ECR repository of the model's Region")(v),
              );
    if (!modelPackageArn || !instanceType) return undefined;
    return {
        modelPackageArn,
        instanceType,
        instanceCount,
        availabilityZones: zones,
        deployerArns,
        logRetentionDays,
        ...(imageRepositoryArn ? { imageRepositoryArn } : {}),
    };
}

/** The account field of an ARN. */
const accountOfArn = (value: string) => value.split(":")[4] ?? "";

/**
 * A check that a deployer is a role of this stack's account or of the development account: the
 * deployment role's trust names no other account, so a typo or a foreign account is refused here,
 * naming both accounts, rather than trusted.
 */
function deployerOf(partition: string, accountId: string, development: DevelopmentAccount): (value: string) => string | undefined {
    const accounts = [accountId, ...(development.accountId !== accountId ? [development.accountId] : [])];
    const expected = `expected ${accounts.map((a) => `arn:${partition}:iam::${a}:role/<name>`).join(" or ")}`;
    const allowed = `this stack's account ${accountId} (aws:allowedAccountIds)${
        development.accountId !== accountId ? ` or the development account ${development.accountId} (${development.source})` : ""
    }`;
    return (value) => {
        const match = new RegExp(`^arn:${partition}:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}$`).exec(value);
        if (!match) return `"${value}" is not an IAM role ARN; ${expected}`;
        return accounts.includes(match[1])
            ? undefined
            : `"${value}" is a role of account ${match[1]}, which may not deploy to this stack: deployers are roles of ${allowed}; ${expected}`;
    };
}
