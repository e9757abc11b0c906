/**
 * AWS's limits and patterns for the values this project accepts from configuration, in one place.
 * Each check returns `undefined` when the value is valid, else the expected form, phrased to follow
 * the offending key in an error message.
 */
import { KNOWN_REGIONS, REGIONS_BY_PARTITION, zonesOf } from "../regions";
import { didYouMean } from "./suggest";

/** Regions where Amazon Bedrock Custom Model Import is offered (Bedrock user guide, "Supported Regions" for Custom Model Import). */
export const CUSTOM_MODEL_IMPORT_REGIONS: readonly string[] = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1"];

const ACCOUNT_ID = /^\d{12}$/;
/** IAM role names: 1-64 characters of `[\w+=,.@-]` (IAM CreateRole `RoleName`). */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** CreateModelImportJob `jobName`: 1-63 characters, `[a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*`. */
const CMI_JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/;
export const CMI_JOB_NAME_MAX = 63;
/** CreateModelImportJob `importedModelName`: 1-63 characters, `([0-9a-zA-Z][_-]?)+`. */
const IMPORTED_MODEL_NAME = /^([0-9a-zA-Z][_-]?)+$/;
export const IMPORTED_MODEL_NAME_MAX = 63;
/** General purpose bucket names (S3 bucket naming rules). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Object key prefixes built from S3's "safe characters", ending in `/`. */
const S3_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** Availability Zone names: the Region code and one letter (Local and Wavelength Zones are not used). */
const ZONE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function checkAccountId(value: string): string | undefined {
    return ACCOUNT_ID.test(value)
        ? undefined
        : `"${value}" is not an AWS account ID; expected exactly 12 digits, quoted, e.g. "111122223333"`;
}

/**
 * A Region AWS has (lib/regions.ts, every partition's). An unknown one is reported as unknown, with
 * the known Regions, before anything is checked against it (which services it offers, the Region
 * of ARNs, its zones).
 */
export function checkRegion(value: string): string | undefined {
    if (KNOWN_REGIONS.includes(value)) return undefined;
    const known = Object.entries(REGIONS_BY_PARTITION)
        .map(([partition, regions]) => `${partition}: ${regions.join(", ")}`)
        .join("; ");
    const what = REGION.test(value) ? `"${value}" is not a Region AWS has (an unknown Region)` : `"${value}" is not an AWS Region code`;
    return `${what}; ${didYouMean(value, KNOWN_REGIONS)}expected a Region code, e.g. "us-east-1", of an AWS partition (${known})`;
}

/**
 * A check that a value names an Availability Zone of `region`: subnets and endpoints are regional.
 * `region` is empty when aws:region was refused: a zone is then checked for its form only. A zone
 * of a Region in lib/regions.ts (every Region hosting stacks run in) must be one the Region has.
 */
export function zoneOf(region: string): (value: string) => string | undefined {
    return (value) => {
        if (!ZONE.test(value)) return `"${value}" is not a zone name; expected e.g. "${region || "us-east-1"}a"`;
        if (!region) return undefined;
        if (value.slice(0, -1) !== region) {
            return `"${value}" is not a zone of this stack's Region ${region} (aws:region); expected a zone of ${region}, e.g. "${region}a"`;
        }
        const zones = zonesOf(region);
        return !zones || zones.includes(value)
            ? undefined
            : `"${value}" is not an Availability Zone of ${region} (aws:region); expected one of ${zones.join(", ")}`;
    };
}

/**
 * Retention periods CloudWatch Logs accepts, in days: the list "Possible values" of
 * `retentionInDays` in the CloudWatch Logs API Reference, PutRetentionPolicy. Any other number
 * fails only when the log group is created, after the stack's other resources.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function checkLogRetentionDays(value: number): string | undefined {
    return LOG_RETENTION_DAYS.includes(value)
        ? undefined
        : `${value} is not a CloudWatch Logs retention period; expected one of ${LOG_RETENTION_DAYS.join(", ")} (days)`;
}

/** The Region field of an ARN (empty for global services such as IAM and S3). */
export function regionOfArn(value: string): string {
    return value.split(":")[3] ?? "";
}

/**
 * A check that an ARN (already known to be well formed) is in `region`, for resources this stack
 * uses through regional APIs and endpoints; `why` says what needs the same Region.
 */
export function inRegion(region: string, why: string): (value: string) => string | undefined {
    return (value) => {
        const found = regionOfArn(value);
        return !region || found === region
            ? undefined
            : `"${value}" is in Region ${found}, not this stack's Region ${region} (aws:region): ${why}; expected an ARN in ${region}`;
    };
}

export function checkCustomModelImportRegion(value: string): string | undefined {
    return CUSTOM_MODEL_IMPORT_REGIONS.includes(value)
        ? undefined
        : `Amazon Bedrock Custom Model Import is not offered in "${value}"; expected one of ${CUSTOM_MODEL_IMPORT_REGIONS.join(", ")}`;
}

export function checkRoleName(value: string): string | undefined {
    return IAM_ROLE_NAME.test(value)
        ? undefined
        : `"${value}" is not a valid IAM role name; expected 1-64 characters of letters, digits and +=,.@_-`;
}

export function checkJobName(value: string, maxLength = CMI_JOB_NAME_MAX): string | undefined {
    if (value.length > maxLength || !CMI_JOB_NAME.test(value)) {
        return `"${value}" is not a valid model import job name; expected 1-${maxLength} characters, starting with a letter or digit, then letters, digits, '+', '-' or '.'`;
    }
    return undefined;
}

export function checkImportedModelName(value: string, maxLength = IMPORTED_MODEL_NAME_MAX): string | undefined {
    if (value.length > maxLength || !IMPORTED_MODEL_NAME.test(value)) {
        return `"${value}" is not a valid imported model name; expected 1-${maxLength} letters or digits, single '_' or '-' between them, e.g. "mistral-777788889999-01"`;
    }
    return undefined;
}

export function checkBucketName(value: string): string | undefined {
    const valid =
        BUCKET_NAME.test(value) &&
        !value.includes("..") &&
        !/^\d+\.\d+\.\d+\.\d+$/.test(value) &&
        !value.startsWith("xn--") &&
        !value.endsWith("-s3alias") &&
        !value.endsWith("--ol-s3");
    return valid
        ? undefined
        : `"${value}" is not a valid S3 bucket name; expected 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit`;
}

export function checkS3Prefix(value: string): string | undefined {
    const relativeSegment = value.split("/").some((segment) => segment === "." || segment === "..");
    return S3_PREFIX.test(value) && !relativeSegment && Buffer.byteLength(value) <= 1024
        ? undefined
        : `"${value}" is not a valid object key prefix; expected path segments of letters, digits and !_.*'()- separated by '/', ending in '/', e.g. "mistral-model-weights/"`;
}

/** Parses `a.b.c.d/n` into its network address and prefix length, or returns the expected form. */
export function parseIpv4Cidr(value: string): { base: number; bits: number } | string {
    const match = IPV4_CIDR.exec(value);
    const octets = match?.slice(1, 5).map(Number) ?? [];
    const bits = Number(match?.[5]);
    if (!match || octets.some((o) => o > 255) || bits < 16 || bits > 28) {
        return `"${value}" is not a VPC CIDR block; expected an IPv4 block between /16 and /28, e.g. "10.20.0.0/16"`;
    }
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % 2 ** (32 - bits) !== 0) {
        return `"${value}" has host bits set; expected the network address, e.g. "10.20.0.0/${bits}"`;
    }
    return { base, bits };
}

/** A Rekognition Custom Labels model version ARN (Rekognition Custom Labels sharing): `arn:aws:rekognition:<region>:<account>:project/<project>/version/<version>/<timestamp>`. */
const REKOGNITION_VERSION_ARN =
    /^arn:aws(-[a-z-]+)?:rekognition:([a-z0-9-]+):(\d{12}):project\/[a-zA-Z0-9_.-]{1,255}\/version\/[a-zA-Z0-9_.-]{1,255}\/\d{13}$/;

export function checkRekognitionVersionArn(value: string): string | undefined {
    return REKOGNITION_VERSION_ARN.test(value)
        ? undefined
        : `"${value}" is not a Rekognition project version ARN; expected arn:aws:rekognition:<region>:<account>:project/<project>/version/<version>/<13-digit timestamp>`;
}

/** The account of a Rekognition version ARN (valid per {@link checkRekognitionVersionArn}). */
export function accountOfVersionArn(value: string): string {
    return REKOGNITION_VERSION_ARN.exec(value)![3];
}

/** Rekognition project names: 1-255 of letters, digits, '_', '.' and '-' (CreateProject). */
export function checkRekognitionProjectName(value: string): string | undefined {
    return /^[a-zA-Z0-9_.-]{1,255}$/.test(value)
        ? undefined
        : `"${value}" is not a Rekognition project name; expected 1-255 letters, digits, '_', '.' or '-'`;
}

/** sts:ExternalId values: 2-1224 characters of `[\w+=,.@:/-]`. */
export function checkExternalId(value: string): string | undefined {
    return /^[\w+=,.@:/-]{2,1224}$/.test(value) ? undefined : `is not a valid external ID; expected 2-1224 letters, digits or +=,.@:/-`;
}

/** SSM parameter names: a path of letters, digits and _.-/ up to 1011 characters, starting with '/'. */
export function checkParameterName(value: string): string | undefined {
    return /^\/[a-zA-Z0-9_.\-/]{1,1010}$/.test(value) && !value.toLowerCase().startsWith("/aws") && !value.toLowerCase().startsWith("/ssm")
        ? undefined
        : `"${value}" is not an SSM parameter name; expected a path such as "/cross-account-models/rekognition/model-version-arn" (not under /aws or /ssm)`;
}

/** A SageMaker model package version ARN: `arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
const MODEL_PACKAGE_ARN = /^arn:aws(-[a-z-]+)?:sagemaker:([a-z0-9-]+):(\d{12}):model-package\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\/\d+$/;

export function checkModelPackageArn(value: string): string | undefined {
    return MODEL_PACKAGE_ARN.test(value)
        ? undefined
        : `"${value}" is not a model package version ARN; expected arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version number>`;
}

/** SageMaker model package group names: 1-63 letters, digits and single hyphens. */
export function checkModelPackageGroupName(value: string): string | undefined {
    return /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(value)
        ? undefined
        : `"${value}" is not a model package group name; expected 1-63 letters, digits and hyphens, starting with a letter or digit`;
}

/** Real-time inference instance types SageMaker hosting offers (families and sizes of the SageMaker pricing page). */
export const SAGEMAKER_HOSTING_INSTANCE_TYPES: readonly string[] = [
    ...["t2.medium", "t2.large", "t2.xlarge", "t2.2xlarge"],
    ...["m5", "m5d", "m6i", "c5", "c5d", "c6i", "r5", "r5d", "r6i"].flatMap((f) =>
        ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"].map((s) => `${f}.${s}`),
    ),
    ...["g4dn", "g5"].flatMap((f) => ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `${f}.${s}`)),
    ...["inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge", "p3.2xlarge", "p3.8xlarge", "p3.16xlarge"],
].map((t) => `ml.${t}`);

export function checkHostingInstanceType(value: string): string | undefined {
    return SAGEMAKER_HOSTING_INSTANCE_TYPES.includes(value)
        ? undefined
        : `"${value}" is not an instance type SageMaker offers for real-time endpoints; expected e.g. "ml.m5.large" (see SAGEMAKER_HOSTING_INSTANCE_TYPES in lib/config/rules.ts)`;
}

/**
 * A check that a value is the ARN of a role in one account (for principals a stack trusts by name).
 * An empty partition or account is one whose setting was refused (aws:region,
 * aws:allowedAccountIds): the value is then checked for the form of a role ARN only.
 */
export function roleOfAccount(partition: string, accountId: string): (value: string) => string | undefined {
    if (!partition || !accountId) return checkRoleArn;
    const pattern = new RegExp(`^arn:${partition}:iam::${accountId}:role/[\\w+=,.@/-]{1,512}$`);
    return (value) =>
        pattern.test(value)
            ? undefined
            : `"${value}" is not a role of this stack's account; expected arn:${partition}:iam::${accountId}:role/<name>`;
}

/** An IAM role ARN of any account (a path is allowed). */
export function checkRoleArn(value: string): string | undefined {
    return /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value)
        ? undefined
        : `"${value}" is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`;
}

/** sts:RoleSessionName: 2-64 characters of `[\w+=,.@-]`. */
export function checkSessionName(value: string): string | undefined {
    return /^[\w+=,.@-]{2,64}$/.test(value) ? undefined : `"${value}" is not a role session name; expected 2-64 letters, digits or +=,.@-_`;
}

/** ECR repository names: 2-256 lowercase characters, path segments of letters and digits joined by ".", "_" or "-". */
export function checkEcrRepositoryName(value: string): string | undefined {
    return value.length >= 2 && value.length <= 256 && /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(value)
        ? undefined
        : `"${value}" is not an ECR repository name; expected 2-256 lowercase letters and digits in segments joined by ".", "_", "-" or "/", e.g. "abalone-inference"`;
}

/** An ECR repository ARN, for the image a SageMaker model pulls. */
export function checkEcrRepositoryArn(value: string): string | undefined {
    const match = /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/(.+)$/.exec(value);
    return match && !checkEcrRepositoryName(match[1])
        ? undefined
        : `"${value}" is not an ECR repository ARN; expected arn:aws:ecr:<region>:<12-digit account>:repository/<name>`;
}
