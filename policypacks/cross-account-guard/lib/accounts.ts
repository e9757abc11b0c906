/**
 * The account a resource lives in, as far as what the engine sends can tell: the one account its
 * AWS provider may deploy into (`allowedAccountIds`, which the engine sends as a JSON string for
 * lists), or the account of the role the provider assumes; else the account of its ARN once known
 * (AnalyzeStack after the update, imported resources); else the account the pack's configuration
 * gives the stack (`stackAccounts`, keyed by the stack name in the URN).
 */
import { ProviderProps } from "./props";

interface Located {
    readonly urn?: string;
    readonly props: { readonly arn?: unknown };
    readonly provider?: { readonly props: ProviderProps };
}

/** A provider input that is a list or object arrives as JSON text; anything unparsable is absent. */
export function providerValue(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

const ACCOUNT_IN_ARN = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

function fromProvider(props: ProviderProps | undefined): string | undefined {
    const ids = providerValue(props?.allowedAccountIds);
    // Only a provider pinned to exactly one account says which account that is.
    if (Array.isArray(ids) && ids.length === 1 && /^\d{12}$/.test(String(ids[0]))) return String(ids[0]);
    const assumed = [providerValue(props?.assumeRoles), providerValue(props?.assumeRole)].flat() as { roleArn?: unknown }[];
    const roles = assumed.map((r) => ACCOUNT_IN_ARN.exec(String(r?.roleArn ?? ""))?.[1]).filter((a): a is string => !!a);
    return roles.length > 0 && roles.every((a) => a === roles[0]) ? roles[0] : undefined;
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::...`). */
export const stackOf = (urn: string | undefined) => /^urn:pulumi:([^:]+)::/.exec(urn ?? "")?.[1];

export function ownAccountOf(resource: Located, stackAccounts: Readonly<Record<string, string>> = {}): string | undefined {
    // The provider first: an `arn` input is not always the resource's own (an EventTarget's is its target).
    const fromProviderProps = fromProvider(resource.provider?.props);
    if (fromProviderProps) return fromProviderProps;
    const fromArn = ACCOUNT_IN_ARN.exec(String(resource.props.arn ?? ""))?.[1];
    const stack = stackOf(resource.urn);
    return fromArn ?? (stack ? stackAccounts[stack] : undefined);
}

/** Where a rule looked for the own account, for messages that cannot tell it. */
export const OWN_ACCOUNT_SOURCES =
    "no ARN yet, no single allowedAccountIds or assumed role on the provider, and no stackAccounts entry for the stack in the pack config";

/**
 * AWS-owned accounts whose registries host the images SageMaker runs: a model's image URI names
 * them. From aws/sagemaker-python-sdk, src/sagemaker/image_uri_config/ (registries by region) and
 * the Deep Learning Containers' available_images.md (github.com/aws/deep-learning-containers).
 */
export const AWS_IMAGE_ACCOUNTS = [
    "763104351884", // Deep Learning Containers (PyTorch, TensorFlow, Hugging Face, DJL/LMI), most commercial regions
    "683313688378", // SageMaker XGBoost and scikit-learn, us-east-1 (xgboost.json, sklearn.json)
    "382416733822", // SageMaker built-in algorithms (linear learner, k-means, PCA, ...), us-east-1
    "811284229777", // SageMaker BlazingText, image classification, object detection, us-east-1
    "156813124566", // SageMaker Model Monitor analyzer, us-east-1 (model-monitor.json)
    "205585389593", // SageMaker Clarify processing, us-east-1 (clarify.json)
];
