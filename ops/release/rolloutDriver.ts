/**
 * The real rollout driver: stacks through the Automation API, the smoke test through SageMaker
 * Runtime, the model registry's approvals through the SageMaker API.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { DescribeModelPackageCommand, SageMakerClient, UpdateModelPackageCommand } from "@aws-sdk/client-sagemaker";
import { RolloutDriver } from "./rollout";
import { AutomationStacksOptions, automationStacks } from "../stacks/automationStacks";
import { ModelRegistry, RegistryDriver, identityWords } from "./registryGate";
import { StackIdentity, StsOverrides, credentialsOf } from "../../lib/awsCredentials";
import { UserError } from "../cli/errors";
import { askOnTerminal } from "../cli/terminal";

/** Clients of the rollout's AWS calls; tests replace them through aws-sdk-client-mock. */
export const rolloutClients = {
    runtime: (region: string) => new SageMakerRuntimeClient({ region }),
    /** The registry's account, as the identity given: the research stack's deployment role (credentialsOf). */
    sagemaker: (identity: StackIdentity, sts?: StsOverrides) =>
        new SageMakerClient({ region: identity.region, credentials: credentialsOf(identity, sts) }),
};

/** A registry call's failure in words that say what to check; SageMaker answers an unknown package with ValidationException. */
function registryError(err: unknown, action: string, modelPackageArn: string, identity: StackIdentity): Error {
    const { name = "Error", message = String(err) } = err as { name?: string; message?: string };
    const group = /:model-package\/([^/]+)\//.exec(modelPackageArn)?.[1] ?? "<group>";
    const answer = `${action} as ${identityWords(identity)} answered ${name}: ${message}`;
    if (name === "ResourceNotFound" || (name === "ValidationException" && /does not exist|not found|cannot find/i.test(message)))
        return new UserError(
            `${modelPackageArn} is not in the model registry (${answer}); check the ARN: aws sagemaker list-model-packages --model-package-group-name ${group} lists the versions`,
        );
    if (name === "AccessDeniedException" || name === "AccessDenied")
        return new UserError(
            `${answer}. The research account's deployment role is allowed DescribeModelPackage and UpdateModelPackage on the group's packages: deploy that account's bootstrap stack, and check aws:assumeRoles of the research stack`,
        );
    return new Error(`${answer}`);
}

/** The model registry through the SageMaker API; `sts` only for tests (credentialsOf). */
export function sagemakerRegistry(sts?: StsOverrides): ModelRegistry {
    const call = async <T>(identity: StackIdentity, action: string, arn: string, send: (client: SageMakerClient) => Promise<T>) => {
        try {
            return await send(rolloutClients.sagemaker(identity, sts));
        } catch (err) {
            throw registryError(err, action, arn, identity);
        }
    };
    return {
        describe: async (identity, arn) => {
            const out = await call(identity, "DescribeModelPackage", arn, (c) =>
                c.send(new DescribeModelPackageCommand({ ModelPackageName: arn })),
            );
            return { status: out.ModelApprovalStatus, description: out.ApprovalDescription };
        },
        setApproval: async (identity, arn, status, description) => {
            await call(identity, "UpdateModelPackage", arn, (c) =>
                c.send(
                    new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: status, ApprovalDescription: description }),
                ),
            );
        },
    };
}

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

/** What approve-package needs: the research stack's config and the backend through the Automation API, the registry. */
export function automationRegistryDriver(options: AutomationStacksOptions & { log: (message: string) => void }): RegistryDriver {
    return { ...automationStacks(options), registry: sagemakerRegistry(), log: options.log };
}

export function automationRolloutDriver(options: AutomationRolloutOptions): RolloutDriver {
    return {
        ...automationStacks(options),
        registry: sagemakerRegistry(),
        smokeTest: (stack) => invokeEndpointSmokeTest(options.region, options.endpointNameOf(stack), options.payload),
        approve: async (question) => options.approved || askOnTerminal(question),
        log: options.log,
    };
}
