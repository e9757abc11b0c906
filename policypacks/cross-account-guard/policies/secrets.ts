/**
 * Secrets in plain text (issue 21): tokens, passwords and keys where anyone who can read a
 * resource's configuration reads them. AWS returns String parameters (ssm:GetParameter),
 * environment variables (lambda:GetFunctionConfiguration, ecs:DescribeTaskDefinition,
 * sagemaker:DescribeModel, codebuild:BatchGetProjects) and tags (tag:GetResources) to read-only
 * roles such as the ReadOnlyAccess managed policy; a Secrets Manager value needs
 * secretsmanager:GetSecretValue, a SecureString parameter decryption with its key. Values that
 * point at a secret store are fine.
 */
import { AnyResource, anyResourceRule } from "../lib/rule";
import { enumIs, objectOf, parseJson, rawInputs } from "../lib/values";
import { eachString, skippedFieldsOf } from "../lib/inputWalk";
import { isLiteralSecret, looksLikeCredential, namesSecret, secretShapeOf } from "../lib/secretShapes";

type Inputs = Readonly<Record<string, unknown>>;

const PARAMETER = "aws:ssm/parameter:Parameter";

/** The AWS provider's static credentials (stack configuration aws:accessKey, aws:secretKey, aws:token). */
const PROVIDER_CREDENTIALS = ["accessKey", "secretKey", "token"];

/**
 * Top-level inputs AWS takes and never returns (database master passwords, a server
 * certificate's private key, a Secrets Manager secret's value, Terraform's write-only `*Wo`
 * arguments): no reader of the configuration sees them, so they are not scanned.
 */
const WRITE_ONLY = /^(password|masterPassword|masterUserPassword|privateKey|secretString|secretBinary|[a-zA-Z]+Wo)$/;

/**
 * Properties that hold environment variables in the providers' schemas: Lambda
 * `environment.variables`, SageMaker `environment`, ECS and Batch `environment` / `envs`,
 * CodeBuild `environmentVariables`, App Runner `runtimeEnvironmentVariables`, Glue `defaultArguments`.
 */
const ENVIRONMENT_KEYS = new Set([
    "environment",
    "environmentvariables",
    "variables",
    "runtimeenvironmentvariables",
    "env",
    "envs",
    "defaultarguments",
]);

/** Elastic Beanstalk passes environment variables as option settings of this namespace. */
const BEANSTALK_ENVIRONMENT = "aws:elasticbeanstalk:application:environment";

interface Variable {
    readonly name: string;
    readonly value: unknown;
    readonly where: string;
}

/** Fields skipped by the scans, by type: policy documents and a dynamic provider's code. */
const skippedByType = new Map<string, ReadonlySet<string>>();
function skippedFor(type: string, inputs: Inputs): ReadonlySet<string> {
    let skipped = skippedByType.get(type);
    if (!skipped) skippedByType.set(type, (skipped = skippedFieldsOf(type)));
    const secure = type === PARAMETER && !isPlaintextParameter(inputs) ? ["value", "insecureValue", "valueWo"] : [];
    const writeOnly = Object.keys(inputs).filter((k) => WRITE_ONLY.test(k));
    return secure.length + writeOnly.length === 0 ? skipped : new Set([...skipped, ...secure, ...writeOnly]);
}

/** The variables of one environment collection: a map of names to values, or a list of {name, value} (references by type or valueFrom left out). */
function variablesIn(collection: unknown, where: string): Variable[] {
    const parsed = typeof collection === "string" ? parseJson(collection) : collection;
    if (Array.isArray(parsed)) {
        return parsed
            .map((item) => objectOf(item) ?? {})
            .filter((v) => !("valueFrom" in v) && (v.type === undefined || enumIs(v.type, "PLAINTEXT")))
            .map((v) => ({ name: String(v.name ?? v.Name ?? v.key ?? ""), value: v.value ?? v.Value, where }));
    }
    const map = objectOf(parsed);
    return map ? Object.entries(map).map(([name, value]) => ({ name, value, where })) : [];
}

/**
 * The environment variables a container (object or list, met during the walk) holds: one of the
 * schemas' environment properties, or Elastic Beanstalk option settings of the environment namespace.
 */
function variablesOfContainer(field: string, value: object, path: readonly string[]): Variable[] {
    if (ENVIRONMENT_KEYS.has(field.toLowerCase())) return variablesIn(value, path.join("."));
    if ((field !== "settings" && field !== "setting") || !Array.isArray(value)) return [];
    return value
        .map((item) => objectOf(item))
        .filter((setting) => !!setting && enumIs(setting.namespace, BEANSTALK_ENVIRONMENT))
        .map((setting) => ({ name: String(setting?.name), value: setting?.value, where: path.join(".") }));
}

type Tag = readonly [key: string, value: unknown];

/** Tags as key/value pairs: a map, or a list of {key, value} (aws-native, CloudFormation). Loops: this runs for every resource. */
function tagsOf(inputs: Inputs): Tag[] {
    const tags: Tag[] = [];
    for (const field of ["tags", "tagsAll"]) {
        const value = inputs[field];
        if (Array.isArray(value)) {
            for (const item of value) {
                const tag = objectOf(item);
                if (tag) tags.push([String(tag.key ?? tag.Key ?? ""), tag.value ?? tag.Value]);
            }
        } else {
            const map = objectOf(value);
            if (map) for (const key of Object.keys(map)) tags.push([key, map[key]]);
        }
    }
    return tags;
}

/** A String or StringList parameter (the type is required; an absent one is not read as SecureString). */
function isPlaintextParameter(inputs: Inputs): boolean {
    return !enumIs(inputs.type, "SecureString");
}

/** A plain-text parameter whose name says it holds a secret, with a literal value. */
function parameterProblems(resource: AnyResource, inputs: Inputs): string[] {
    if (resource.type !== PARAMETER || !isPlaintextParameter(inputs)) return [];
    const name = String(inputs.name ?? resource.name);
    if (!namesSecret(name)) return [];
    const values = ["value", "insecureValue", "valueWo"].flatMap((f) =>
        typeof inputs[f] === "string" ? String(inputs[f]).split(",") : [],
    );
    return values.some((v) => isLiteralSecret(v) && !secretShapeOf(v))
        ? [`Parameter ${name} is a ${String(inputs.type ?? "String")} parameter holding a secret in plain text; make it a SecureString.`]
        : [];
}

/** One walk over the inputs: the credential-shaped strings (with where they are) and the environment variables of every container. */
function scan(inputs: Inputs, skipped: ReadonlySet<string>): { shaped: string[]; variables: Variable[] } {
    const shaped: string[] = [];
    const variables: Variable[] = [];
    eachString(
        inputs,
        skipped,
        (_field, text, path) => {
            const shape = secretShapeOf(text);
            if (shape) shaped.push(`The input ${path.join(".")} holds ${shape}.`);
        },
        (field, value, path) => variables.push(...variablesOfContainer(field, value, path)),
    );
    return { shaped, variables };
}

/** Secrets named as such in environment variables, tags and an AWS provider's static credentials (shaped ones are reported by their shape). */
function namedSecretProblems(resource: AnyResource, inputs: Inputs, variables: readonly Variable[], tags: readonly Tag[]): string[] {
    const inVariables = variables
        .filter((v) => namesSecret(v.name) && isLiteralSecret(v.value) && !secretShapeOf(v.value))
        .map((v) => `Environment variable ${v.name} (${v.where}) holds a secret in plain text.`);
    const inTags = tags
        .filter(([key, value]) => namesSecret(key) && typeof value === "string" && looksLikeCredential(value) && !secretShapeOf(value))
        .map(([key]) => `Tag ${key} holds a secret in plain text.`);
    const inProvider = resource.type.startsWith("pulumi:providers:")
        ? PROVIDER_CREDENTIALS.filter((key) => isLiteralSecret(inputs[key]) && !secretShapeOf(inputs[key])).map(
              (key) => `The provider's ${key} is a static credential in the stack's configuration.`,
          )
        : [];
    const inTagKeys = tags
        .map(([key]) => secretShapeOf(key))
        .filter((shape) => !!shape)
        .map((shape) => `A tag key holds ${shape}.`);
    return [...inVariables, ...inTags, ...inProvider, ...inTagKeys];
}

export const noPlaintextSecrets = anyResourceRule(
    {
        name: "secrets-no-plaintext",
        description:
            "No token, password or key in plain text: not in String/StringList SSM parameters, environment variables (Lambda, SageMaker, ECS, Batch, CodeBuild, App Runner, ...), tags or a provider's configuration, and no credential-shaped value (AWS access key, PEM private key, GitHub, Slack or Hugging Face token, JWT, URL with a password) in any input. References to Secrets Manager or SSM are fine.",
        category: "encryption",
        severity: "critical",
        remediation:
            "Keep the secret in Secrets Manager or a SecureString parameter and pass its ARN or name: ECS `secrets` (valueFrom), CodeBuild type SECRETS_MANAGER / PARAMETER_STORE, App Runner runtimeEnvironmentSecrets, `{{resolve:secretsmanager:...}}`, or read it at run time; rotate any credential that was deployed.",
    },
    (resource, report) => {
        const inputs = rawInputs(resource.props);
        const skipped = skippedFor(resource.type, inputs);
        const { shaped, variables } = scan(inputs, skipped);
        const problems = [
            ...parameterProblems(resource, inputs),
            ...namedSecretProblems(resource, inputs, variables, tagsOf(inputs)),
            ...shaped,
        ];
        for (const problem of problems) report(problem);
    },
);

export const secretPolicies = [noPlaintextSecrets];
