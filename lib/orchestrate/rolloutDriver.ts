/** The real rollout driver: stacks through the Automation API, the smoke test through SageMaker Runtime. */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { RolloutDriver } from "./rollout";
import { AutomationStacksOptions, automationStacks } from "./automationStacks";
import { askOnTerminal } from "../cli/terminal";

export const rolloutClients = {
    runtime: (region: string) => new SageMakerRuntimeClient({ region }),
};

/**
 * Invokes an endpoint with a test payload. The endpoint is reachable only inside its VPC, so this
 * runs from there (the deployment pipeline's runner), with the deployment role's credentials.
 */
export async function invokeEndpointSmokeTest(
    region: string,
    endpointName: string,
    payload?: { body: Uint8Array; contentType: string },
): Promise<{ skipped: boolean; detail: string }> {
    if (!payload) return { skipped: true, detail: `no --smoke-payload given; invoke ${endpointName} from inside its VPC before approving` };
    try {
        const result = await rolloutClients
            .runtime(region)
            .send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: payload.body, ContentType: payload.contentType }));
        const body = new TextDecoder().decode(result.Body);
        return { skipped: false, detail: `${endpointName} answered ${body.length > 80 ? `${body.slice(0, 80)}…` : body}` };
    } catch (err) {
        throw new Error(`smoke test of ${endpointName} failed: ${(err as Error).message}; the rollout stops before production`);
    }
}

export interface AutomationRolloutOptions extends AutomationStacksOptions {
    readonly region: string;
    readonly endpointNameOf: (stack: string) => string;
    readonly payload?: { body: Uint8Array; contentType: string };
    readonly approved: boolean;
    readonly log: (message: string) => void;
}

export function automationRolloutDriver(options: AutomationRolloutOptions): RolloutDriver {
    return {
        ...automationStacks(options),
        smokeTest: (stack) => invokeEndpointSmokeTest(options.region, options.endpointNameOf(stack), options.payload),
        approve: async (question) => options.approved || askOnTerminal(question),
        log: options.log,
    };
}
