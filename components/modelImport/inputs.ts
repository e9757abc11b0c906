/**
 * What a {@link ModelImportJob} takes and keeps, and the checks and comparisons on it that need no
 * AWS. During a preview the engine sends values not known yet as {@link UNKNOWN}: checks skip
 * them (they run again once the values are known) and comparisons count them as changed.
 */
import {
    checkCustomModelImportRegion,
    checkImportedModelName,
    checkJobName,
    CMI_JOB_NAME_MAX,
    IMPORTED_MODEL_NAME_MAX,
} from "../../lib/config/rules";

/**
 * The Node SDK's placeholder for a value not known during a preview (`unknownValue` in
 * sdk/nodejs/runtime/rpc.ts); the dynamic provider receives it as a plain string.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface VpcConfig {
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
}

/** The provider's inputs: everything `CreateModelImportJob` needs, plus how long to wait. */
export interface ModelImportJobInputs {
    readonly region: string;
    /** Base job name; the resource's generation is appended. */
    readonly jobName: string;
    /** Base model name; the resource's generation is appended. */
    readonly importedModelName: string;
    readonly roleArn: string;
    /** `s3://bucket/prefix/` of the model files. */
    readonly s3Uri: string;
    readonly importedModelKmsKeyArn: string;
    readonly vpcConfig?: VpcConfig;
    /** Tags of the imported model; changing them tags the model in place. */
    readonly tags: Record<string, string>;
    readonly timeoutMinutes: number;
    readonly pollSeconds: number;
    /** AWS shared-config profile for the hosting account, when the stack sets `aws:profile`. */
    readonly profile?: string;
    /**
     * The account's deployment role, when the stack's provider assumes it (`aws:assumeRoles`): the
     * job is started, watched and its model deleted as that role, like every other resource.
     */
    readonly assumeRole?: DeploymentIdentity;
}

/** The role the provider assumes (from `aws:assumeRoles`); the external ID arrives decrypted, kept secret in state. */
export interface DeploymentIdentity {
    readonly roleArn: string;
    readonly sessionName: string;
    readonly externalId?: string;
}

/** `Starting`: the job may exist but its ARN is not known; `InProgress`: waiting for it. */
export type JobStatus = "Starting" | "InProgress" | "Completed";

/** The resource's state: its inputs, and the job and model of this generation. */
export interface ModelImportJobOutputs extends ModelImportJobInputs {
    /** Made when the resource is created; new for a replacement or a re-creation. */
    readonly generation: string;
    /** `<jobName>-<generation>` */
    readonly fullJobName: string;
    /** `<importedModelName>-<generation>`: unique, so a replacement imports beside the old model. */
    readonly modelName: string;
    readonly jobArn: string;
    /** Empty until the job has completed and the model is verified. */
    readonly importedModelArn: string;
    /** Absent in states from before generations, which were only saved once completed. */
    readonly jobStatus?: JobStatus;
}

export const GENERATION_HEX_DIGITS = 8;
/** Inputs whose change means a different model: a new generation, imported beside the old one. */
export const REPLACING_INPUTS = [
    "region",
    "jobName",
    "importedModelName",
    "roleArn",
    "s3Uri",
    "importedModelKmsKeyArn",
    "vpcConfig",
] as const;
/** Inputs that change nothing about the model: tags are applied in place, the rest is how to wait and as whom to call. */
export const IN_PLACE_INPUTS = ["tags", "timeoutMinutes", "pollSeconds", "profile", "assumeRole"] as const;
const INPUT_KEYS = [...REPLACING_INPUTS, ...IN_PLACE_INPUTS];

export function isUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(isUnknown);
    return typeof value === "object" && value !== null && Object.values(value).some(isUnknown);
}

export function isCompleted(state: ModelImportJobOutputs): boolean {
    return state.jobStatus === "Completed" || (state.jobStatus === undefined && !!state.importedModelArn);
}

/** The input fields of a state, e.g. to hand back as a read's inputs. */
export function inputsOf(state: ModelImportJobOutputs): ModelImportJobInputs {
    return Object.fromEntries(
        INPUT_KEYS.filter((k) => state[k] !== undefined).map((k) => [k, state[k]]),
    ) as unknown as ModelImportJobInputs;
}

/** Subnet and group order means nothing to Bedrock; sorted, reordering is not a change. */
export function normalizeVpc(vpc: VpcConfig | undefined): VpcConfig | undefined {
    if (!vpc || isUnknown(vpc)) return vpc;
    return { subnetIds: [...vpc.subnetIds].sort(), securityGroupIds: [...vpc.securityGroupIds].sort() };
}

/** A comparable form of a value: sorted VPC lists and object keys. */
function canonical(key: string, value: unknown): string {
    const normal = key === "vpcConfig" ? normalizeVpc(value as VpcConfig) : value;
    const sortKeys = (v: unknown): unknown =>
        v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(
                  Object.entries(v)
                      .sort(([a], [b]) => a.localeCompare(b))
                      .map(([k, x]) => [k, sortKeys(x)]),
              )
            : v;
    return JSON.stringify(sortKeys(normal) ?? null);
}

/** The inputs that differ, an unknown new value counting as different. */
export function changedInputs(olds: ModelImportJobOutputs, news: ModelImportJobInputs) {
    const differs = (k: keyof ModelImportJobInputs) => isUnknown(news[k]) || canonical(k, olds[k]) !== canonical(k, news[k]);
    return { replaces: REPLACING_INPUTS.filter(differs), updates: IN_PLACE_INPUTS.filter(differs) };
}

interface Failure {
    readonly property: string;
    readonly reason: string;
}

function checkVpc(vpc: unknown): string | undefined {
    const v = vpc as { subnetIds?: unknown; securityGroupIds?: unknown };
    const lists = [v?.subnetIds, v?.securityGroupIds];
    if (typeof vpc !== "object" || vpc === null || lists.some((l) => l !== UNKNOWN && !Array.isArray(l))) {
        return "expected {subnetIds: [...], securityGroupIds: [...]}";
    }
    // A list of unknown length is one unknown value; a known list's length counts even with unknown elements.
    const count = (l: unknown, min: number, max: number) =>
        l === UNKNOWN || ((l as unknown[]).length >= min && (l as unknown[]).length <= max);
    return count(v.subnetIds, 1, 16) && count(v.securityGroupIds, 1, 5) ? undefined : "expected 1-16 subnets and 1-5 security groups";
}

const SUFFIX = GENERATION_HEX_DIGITS + 1;
const CHECKS: Record<string, (value: any) => string | undefined> = {
    region: checkCustomModelImportRegion,
    jobName: (v) => checkJobName(v, CMI_JOB_NAME_MAX - SUFFIX),
    importedModelName: (v) => checkImportedModelName(v, IMPORTED_MODEL_NAME_MAX - SUFFIX),
    roleArn: (v) => (/^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/.test(v) ? undefined : `"${v}" is not an IAM role ARN`),
    s3Uri: (v) => (/^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]\/.+\/$/.test(v) ? undefined : `"${v}" is not an s3://bucket/prefix/ URI`),
    importedModelKmsKeyArn: (v) =>
        /^arn:aws(-[^:]+)?:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]{36}$/.test(v) ? undefined : `"${v}" is not a KMS key ARN`,
    vpcConfig: (v) => (v === undefined ? undefined : checkVpc(v)),
    timeoutMinutes: (v) => (typeof v === "number" && v > 0 ? undefined : "expected a positive number of minutes"),
    pollSeconds: (v) => (typeof v === "number" && v > 0 ? undefined : "expected a positive number of seconds"),
    assumeRole: (v) =>
        v === undefined || (typeof v === "object" && /^arn:aws(-[^:]+)?:iam::\d{12}:role\/.+$/.test(v.roleArn) && v.sessionName)
            ? undefined
            : "expected {roleArn, sessionName, externalId?}: the deployment role the stack's provider assumes",
};

/** Problems with the known inputs, found without calling AWS; unknown values are left for later. */
export function validateInputs(inputs: ModelImportJobInputs): Failure[] {
    return Object.entries(CHECKS).flatMap(([property, check]) => {
        const value = (inputs as unknown as Record<string, unknown>)[property];
        if (value === UNKNOWN) return [];
        const reason = check(value);
        return reason ? [{ property, reason }] : [];
    });
}
