/**
 * A generated environment of many hosting accounts, for measuring how the plan grows: the shipped
 * research and dev stack files, with the research stack sharing with `count` hosting stacks
 * `host01`... that copy dev with their own account, network and model names.
 */
import { RawConfig } from "../../lib/config/reader";
import { PolicyPackConfig, readPolicyConfig } from "../pack/policyEngine";
import { readStackConfig } from "../../ops/project";

export interface GeneratedEnvironment {
    readonly stacks: readonly string[];
    readonly configs: Record<string, RawConfig>;
    /** The shipped policy config with the generated accounts allowed. */
    readonly policyConfig: PolicyPackConfig;
}

/** The example policy config with more accounts in every rule's allowedAccountIds. */
function allowing(accounts: readonly string[]): PolicyPackConfig {
    const config = readPolicyConfig();
    return Object.fromEntries(
        Object.entries(config).map(([rule, settings]) => [
            rule,
            Array.isArray(settings.allowedAccountIds)
                ? { ...settings, allowedAccountIds: [...settings.allowedAccountIds, ...accounts] }
                : settings,
        ]),
    );
}

/** `count` hosting accounts; `perimeter` replaces the research stack's network perimeter setting. */
export function generatedEnvironment(count: number, perimeter?: object): GeneratedEnvironment {
    const research = readStackConfig("research");
    const dev = readStackConfig("dev");
    const devModel = JSON.parse(dev["cross-account-models:modelImport"]);
    const network = JSON.parse(dev["cross-account-models:network"]);
    const hosts = Array.from({ length: count }, (_, i) => {
        const n = String(i + 1).padStart(count < 100 ? 2 : 3, "0");
        return { stack: `host${n}`, accountId: String(200000000000 + i + 1), index: i };
    });
    const rekognition = JSON.parse(research["cross-account-models:rekognition"]);
    const devVersion = JSON.parse(dev["cross-account-models:rekognition"]).activeVersionArn;
    // The generated accounts have no bootstrap stacks, and the shipped one scopes research's
    // deployment role to the shipped consumers: every generated stack deploys with the caller's credentials.
    const { ["aws:assumeRoles"]: _, ...researchBase } = research;
    const configs: Record<string, RawConfig> = {
        research: {
            ...researchBase,
            "cross-account-models:sagemaker": JSON.stringify({
                ...JSON.parse(research["cross-account-models:sagemaker"]),
                targets: hosts.map((h) => ({ stack: h.stack, accountId: h.accountId })),
            }),
            "cross-account-models:rekognition": JSON.stringify({
                ...rekognition,
                consumers: hosts.map((h) => ({
                    stack: h.stack,
                    accountId: h.accountId,
                    grantedVersions: [devVersion],
                    requireVpcEndpoint: true,
                })),
            }),
            ...(perimeter ? { "cross-account-models:perimeter": JSON.stringify(perimeter) } : {}),
            "cross-account-models:consumers": JSON.stringify(
                hosts.map((h) => ({
                    stack: h.stack,
                    accountId: h.accountId,
                    prefixes: [devModel.modelPrefix.replace(/^s3:\/\/[^/]+\//, "")],
                    requireVpcEndpoint: true,
                })),
            ),
        },
    };
    for (const h of hosts) {
        const { ["cross-account-models:troubleshooterArns"]: _t, ["aws:assumeRoles"]: _a, ...base } = dev;
        configs[h.stack] = {
            ...base,
            "aws:allowedAccountIds": JSON.stringify([h.accountId]),
            "cross-account-models:network": JSON.stringify({
                ...network,
                cidr: `10.${h.index % 256}.${Math.floor(h.index / 256) * 64}.0/18`,
            }),
            "cross-account-models:modelImport": JSON.stringify({
                ...devModel,
                importedModelName: `mistral-${h.accountId}-01`,
                jobName: `cmi-job-${h.accountId}-01`,
            }),
            "cross-account-models:sagemaker": JSON.stringify({
                ...JSON.parse(dev["cross-account-models:sagemaker"]),
                deployerArns: [`arn:aws:iam::${h.accountId}:role/ml-deployment-pipeline`],
            }),
        };
    }
    return { stacks: ["research", ...hosts.map((h) => h.stack)], configs, policyConfig: allowing(hosts.map((h) => h.accountId)) };
}
