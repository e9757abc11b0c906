/**
 * The real promotion driver: stack config and updates through the Automation API, the smoke test
 * and stopping the old version through the AWS SDK, progress in the backend's stack tags.
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DetectCustomLabelsCommand, RekognitionClient, StopProjectVersionCommand } from "@aws-sdk/client-rekognition";
import { PromotionDriver } from "./promotion";
import { AutomationStacksOptions, automationStacks } from "../stacks/automationStacks";

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
    rekognition: (region: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
        new RekognitionClient({ region, credentials }),
};

/**
 * Calls the new version through the consumer's access role, as the application will: run it with
 * the application role's credentials (for instance in the application's task), which the access
 * role trusts.
 */
export async function smokeTestCall(options: SmokeTestOptions): Promise<{ skipped: boolean; detail: string }> {
    if (!options.image)
        return { skipped: true, detail: "no --smoke-image given; call the new version from the application before flipping" };
    let credentials;
    try {
        const assumed = await promotionClients.sts(options.region).send(
            new AssumeRoleCommand({
                RoleArn: options.accessRoleArn,
                RoleSessionName: "cross-account-models-smoke-test",
                ExternalId: options.externalId,
            }),
        );
        const c = assumed.Credentials!;
        credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    } catch (err) {
        throw new Error(
            `smoke test could not assume ${options.accessRoleArn}: ${(err as Error).message}. Run it with the application role's credentials, which the access role trusts`,
        );
    }
    try {
        const result = await promotionClients.rekognition(options.region, credentials).send(
            new DetectCustomLabelsCommand({
                ProjectVersionArn: options.version,
                Image: { Bytes: options.image },
                MinConfidence: 50,
            }),
        );
        const labels = (result.CustomLabels ?? []).map((l) => `${l.Name} (${Math.round(l.Confidence ?? 0)}%)`);
        return {
            skipped: false,
            detail: `${labels.length} label(s) from ${options.version}${labels.length ? `: ${labels.join(", ")}` : ""}`,
        };
    } catch (err) {
        const hint =
            (err as { name?: string }).name === "ResourceNotReadyException"
                ? " Start the new version first (StartProjectVersion in the ML account)."
                : "";
        throw new Error(`smoke test call to ${options.version} failed: ${(err as Error).message}.${hint}`);
    }
}

/** Stops a model version in the ML account (the last, optional step of AWS's promotion order). */
export async function stopModelVersion(region: string, version: string): Promise<string> {
    const result = await promotionClients.rekognition(region).send(new StopProjectVersionCommand({ ProjectVersionArn: version }));
    return `stopping ${version} (status ${result.Status})`;
}

export interface AutomationPromotionOptions extends AutomationStacksOptions {
    readonly region: string;
    readonly smokeImage?: Uint8Array;
    readonly externalId?: string;
    readonly log: (message: string) => void;
}

export function automationPromotionDriver(options: AutomationPromotionOptions): PromotionDriver {
    return {
        ...automationStacks(options),
        smokeTest: (accessRoleArn, version) =>
            smokeTestCall({ region: options.region, accessRoleArn, version, image: options.smokeImage, externalId: options.externalId }),
        stopVersion: (version) => stopModelVersion(options.region, version),
        log: options.log,
    };
}
