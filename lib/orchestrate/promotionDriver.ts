/**
 * The real promotion driver: stack config and updates through the Automation API, the smoke test
 * and stopping the old version through the AWS SDK, progress in a file beside the local backend.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DetectCustomLabelsCommand, RekognitionClient, StopProjectVersionCommand } from "@aws-sdk/client-rekognition";
import { PromotionDriver, PromotionState } from "./promotion";
import { AutomationWorkspace, defaultBackendUrl } from "./automation";
import { ProgressEvent } from "./workspace";

export interface SmokeTestOptions {
    readonly region: string;
    readonly accessRoleArn: string;
    readonly version: string;
    /** A test image; without one the smoke test is skipped. */
    readonly image?: Uint8Array;
    readonly externalId?: string;
}

/** Clients for the smoke test and stopping versions; tests replace them through aws-sdk-client-mock. */
export const promotionClients = {
    sts: (region: string) => new STSClient({ region }),
    rekognition: (region: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new RekognitionClient({ region, credentials }),
};

/**
 * Calls the new version through the consumer's access role, as the application will: run it with
 * the application role's credentials (for instance in the application's task), which the access
 * role trusts.
 */
export async function smokeTestCall(options: SmokeTestOptions): Promise<{ skipped: boolean; detail: string }> {
    if (!options.image) return { skipped: true, detail: "no --smoke-image given; call the new version from the application before flipping" };
    let credentials;
    try {
        const assumed = await promotionClients.sts(options.region).send(new AssumeRoleCommand({
            RoleArn: options.accessRoleArn, RoleSessionName: "cross-account-models-smoke-test", ExternalId: options.externalId,
        }));
        const c = assumed.Credentials!;
        credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    } catch (err) {
        throw new Error(`smoke test could not assume ${options.accessRoleArn}: ${(err as Error).message}. Run it with the application role's credentials, which the access role trusts`);
    }
    try {
        const result = await promotionClients.rekognition(options.region, credentials).send(new DetectCustomLabelsCommand({
            ProjectVersionArn: options.version, Image: { Bytes: options.image }, MinConfidence: 50,
        }));
        const labels = (result.CustomLabels ?? []).map((l) => `${l.Name} (${Math.round(l.Confidence ?? 0)}%)`);
        return { skipped: false, detail: `${labels.length} label(s) from ${options.version}${labels.length ? `: ${labels.join(", ")}` : ""}` };
    } catch (err) {
        const hint = (err as { name?: string }).name === "ResourceNotReadyException" ? " Start the new version first (StartProjectVersion in the ML account)." : "";
        throw new Error(`smoke test call to ${options.version} failed: ${(err as Error).message}.${hint}`);
    }
}

/** Stops a model version in the ML account (the seed's last, optional step). */
export async function stopModelVersion(region: string, version: string): Promise<string> {
    const result = await promotionClients.rekognition(region).send(new StopProjectVersionCommand({ ProjectVersionArn: version }));
    return `stopping ${version} (status ${result.Status})`;
}

export interface AutomationStacksOptions {
    readonly projectDir: string;
    readonly backendUrl?: string;
    readonly policyPacks: readonly string[];
    readonly policyPackConfigs: readonly string[];
    readonly onProgress: (event: ProgressEvent) => void;
}

/** Stack configuration by path and stack updates through the Automation API: what promotions and rollouts change. */
export function automationStacks(options: AutomationStacksOptions) {
    const workspace = new AutomationWorkspace(options);
    const backendUrl = options.backendUrl ?? defaultBackendUrl(options.projectDir);
    const stackOf = (name: string) => LocalWorkspace.selectStack({ stackName: name, workDir: options.projectDir }, { envVars: { PULUMI_BACKEND_URL: backendUrl } });
    return {
        getConfig: async (stack: string, key: string) => {
            const value = (await (await stackOf(stack)).getAllConfig())[key]?.value;
            return value === undefined ? undefined : JSON.parse(value);
        },
        setConfigPath: async (stack: string, configPath: string, value: string) => (await stackOf(stack)).setConfig(configPath, { value }, true),
        removeConfigPath: async (stack: string, configPath: string) => (await stackOf(stack)).removeConfig(configPath, true),
        up: (stack: string) => workspace.run("up", stack, options.onProgress),
    };
}

/** A JSON file beside the local backend (`.pulumi/<folder>/<name>.json`) holding an operation's progress. */
export function jsonStateFile<T>(projectDir: string, folder: string, name: string) {
    const file = path.join(projectDir, ".pulumi", folder, `${name}.json`);
    return {
        load: async (): Promise<T | undefined> => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : undefined),
        save: async (value: T | undefined): Promise<void> => {
            if (value === undefined) return fs.rmSync(file, { force: true });
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, JSON.stringify(value, null, 2));
        },
    };
}

export interface AutomationPromotionOptions extends AutomationStacksOptions {
    readonly region: string;
    readonly smokeImage?: Uint8Array;
    readonly externalId?: string;
    readonly log: (message: string) => void;
}

export function automationPromotionDriver(options: AutomationPromotionOptions): PromotionDriver {
    const state = (stack: string) => jsonStateFile<PromotionState>(options.projectDir, "promotions", stack);
    return {
        ...automationStacks(options),
        smokeTest: (accessRoleArn, version) => smokeTestCall({ region: options.region, accessRoleArn, version, image: options.smokeImage, externalId: options.externalId }),
        stopVersion: (version) => stopModelVersion(options.region, version),
        loadState: (stack) => state(stack).load(),
        saveState: (s) => state(s.stack).save(s),
        clearState: (stack) => state(stack).save(undefined),
        log: options.log,
    };
}
