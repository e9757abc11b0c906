/**
 * The provider configuration this plugin acts on, and the account guard the AWS provider applies
 * when it is configured. The engine sends a default provider's configuration with the keys of the
 * stack's `aws:` settings without the prefix, each value the setting as a string: lists and objects
 * JSON-encoded (Target.GetPackageConfig, pkg/resource/deploy/target.go); an explicit provider's
 * inputs arrive as structured values. Both are read here.
 */
import { AccountScope } from "../../runtime/awsModel";
import { partitionOf } from "../../../lib/naming";
import { Props, plain } from "./wire";

/** The caller's account when no role is assumed; without it, the first allowed account stands in. */
export const LOCAL_ACCOUNT_ENV = "CROSS_ACCOUNT_MODELS_LOCAL_ACCOUNT";

export interface ProviderConfig {
    readonly region: string;
    readonly allowedAccountIds: readonly string[];
    readonly assumeRoleArns: readonly string[];
}

/** A setting's value: a JSON-encoded list or object as the value it encodes, anything else as sent. */
function setting(args: Props, key: string): unknown {
    const value = plain(args[key]);
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        try {
            return JSON.parse(value);
        } catch {
            return value;
        }
    }
    return value;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

export function readConfig(args: Props, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
    // Without `region`, the AWS provider takes the SDK's environment variables, as here.
    const region = setting(args, "region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
    return {
        region: String(region),
        allowedAccountIds: list(setting(args, "allowedAccountIds")).map(String),
        assumeRoleArns: list(setting(args, "assumeRoles"))
            .map((role) => (role as { roleArn?: unknown })?.roleArn)
            .filter((arn): arn is string => typeof arn === "string" && arn !== ""),
    };
}

/**
 * The account the provider's calls act as. With assumeRoles, the credentials are those of the
 * (first) role assumed, so its account is the caller's (the provider's assume_role chain, Terraform
 * AWS provider docs, "Assume role"); without, the local credentials' account, which this machine
 * does not have: the environment names it, else the stack's first allowed account stands in.
 */
export function callerAccount(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): string {
    const assumed = config.assumeRoleArns[0];
    if (assumed) return assumed.split(":")[4];
    return env[LOCAL_ACCOUNT_ENV] || config.allowedAccountIds[0] || "000000000000";
}

/**
 * The AWS provider refuses to configure for an account outside allowedAccountIds, before any
 * resource is touched; the text is its own (Config.VerifyAccountIDAllowed in
 * hashicorp/aws-sdk-go-base, internal/config/config.go, called by terraform-provider-aws when it
 * configures).
 */
export function accountRefusal(config: ProviderConfig, account: string): string | undefined {
    if (config.allowedAccountIds.length === 0 || config.allowedAccountIds.includes(account)) return undefined;
    return `AWS account ID not allowed: ${account}`;
}

export function scopeOf(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env): AccountScope {
    return { accountId: callerAccount(config, env), region: config.region, partition: partitionOf(config.region) };
}
