/**
 * Secrets in plain text: tokens, passwords and keys where readers of the configuration see them
 * (String parameters, environment variables of every service, tags, JSON held in strings), and
 * look-alikes: references to Secrets Manager and SSM, names about a secret, the shipped stacks'
 * String parameter holding a model version ARN. The token values are built, not real.
 */
import { DEV, PackCase, RESEARCH, providerIn } from "../types";
import { DEV_KEY, DLC_IMAGE, MODEL_PACKAGE, acceptable, inDev, insecure, lambda, model } from "./build";

const RULE = "secrets-no-plaintext";
const bad = (id: string, why: string, resources: PackCase["resources"]) => insecure("plaintext-secret", RULE, id, why, resources);
const fine = (id: string, why: string, resources: PackCase["resources"]) => acceptable("plaintext-secret", id, why, resources);

// Credential formats, assembled so the repository holds no token-shaped literal.
const ACCESS_KEY_ID = ["AKIA", "IOSFODNN7", "EXAMPLE"].join("");
const GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6".repeat(3);
const HF_TOKEN = "hf_" + "qWeRtY12".repeat(4) + "zz";
const STRIPE_KEY = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc";
const SLACK_WEBHOOK = "https://hooks.slack.com/services/" + "T0AB12CD3/B0EF45GH6/" + "XyZ12aBc34dEf56gHi78jKl9";
const JWT = [
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    "eyJzdWIiOiJjaS1kZXBsb3llciIsImlhdCI6MTcwMDAwMDAwMH0",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
].join(".");
const PEM = ["-----BEGIN", "RSA PRIVATE", "KEY-----\nMIIEowIBAAKCAQEA7x0Example\n-----END RSA PRIVATE KEY-----"].join(" ");
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${DEV}:secret:prod/db-AbCdEf`;

const parameter = (name: string, props: Record<string, unknown>) =>
    inDev("aws:ssm/parameter:Parameter", name.replace(/\W+/g, "-"), { name, tier: "Standard", ...props });
const topicWithTags = (tags: unknown) => inDev("aws:sns/topic:Topic", "alerts", { name: "model-alerts", kmsMasterKeyId: DEV_KEY, tags });

export const secretCases: readonly PackCase[] = [
    bad(
        "plaintext-secret-string-parameter-password",
        "A String parameter named as a database password holds the password: ssm:GetParameter returns it to any reader.",
        [parameter("/app/db/password", { type: "String", value: "S3cr3t-Passw0rd" })],
    ),
    bad(
        "plaintext-secret-stringlist-lowercase-type",
        "A StringList (type spelt in lower case) of API keys, written through insecureValue.",
        [parameter("/ci/api-keys", { type: "stringlist", insecureValue: "k1-abc123def,k2-ghi456jkl" })],
    ),
    bad(
        "plaintext-secret-parameter-access-key-any-name",
        "An AWS access key ID in a String parameter whose name says nothing: the value's shape gives it away.",
        [parameter("/ci/deployer", { type: "String", value: ACCESS_KEY_ID })],
    ),
    bad(
        "plaintext-secret-lambda-env-password",
        "A Lambda environment variable holds the database password (lambda:GetFunctionConfiguration returns it).",
        [lambda("scorer", { DB_HOST: "db.internal", DB_PASSWORD: "hunter2-prod" })],
    ),
    bad("plaintext-secret-lambda-env-github-token", "A GitHub token in a variable named GH: the name hides it, the ghp_ prefix does not.", [
        lambda("release-notes", { GH: GITHUB_TOKEN }),
    ]),
    bad(
        "plaintext-secret-sagemaker-model-hf-token",
        "The model container's environment carries a Hugging Face token (sagemaker:DescribeModel returns it).",
        [model("llm", { primaryContainer: { image: DLC_IMAGE, environment: { HF_MODEL_ID: "mistralai/Mistral-7B-v0.1", HF_TOKEN } } })],
    ),
    bad(
        "plaintext-secret-sagemaker-containers-api-key",
        "The second container of a multi-container model holds an API key in plain text.",
        [model("pipeline", { containers: [{ image: DLC_IMAGE }, { image: DLC_IMAGE, environment: { "x-api-key": "9f8e7d6c5b4a3210" } }] })],
    ),
    bad("plaintext-secret-ecs-json-database-url", "An ECS container definition (JSON text) passes a database URL with its password.", [
        inDev("aws:ecs/taskDefinition:TaskDefinition", "api", {
            family: "api",
            containerDefinitions: JSON.stringify([
                {
                    name: "api",
                    image: `${DEV}.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2`,
                    environment: [{ name: "DATABASE_URL", value: "postgres://app:hunter2@db.internal:5432/app" }],
                },
            ]),
        }),
    ]),
    bad(
        "plaintext-secret-codebuild-plaintext",
        "A CodeBuild variable of type PLAINTEXT holds an npm token (codebuild:BatchGetProjects returns it).",
        [
            inDev("aws:codebuild/project:Project", "build", {
                name: "model-build",
                serviceRole: `arn:aws:iam::${DEV}:role/codebuild`,
                environment: {
                    computeType: "BUILD_GENERAL1_SMALL",
                    image: "aws/codebuild/standard:7.0",
                    type: "LINUX_CONTAINER",
                    environmentVariables: [{ name: "NPM_TOKEN", value: "npm_aB3dE5gH7jK9mN1pQ3", type: "PLAINTEXT" }],
                },
            }),
        ],
    ),
    bad(
        "plaintext-secret-batch-slack-webhook",
        "A Batch job's container properties (JSON text) carry a Slack webhook URL, which lets anyone post.",
        [
            inDev("aws:batch/jobDefinition:JobDefinition", "nightly", {
                name: "nightly-eval",
                type: "container",
                containerProperties: JSON.stringify({ image: DLC_IMAGE, environment: [{ name: "NOTIFY", value: SLACK_WEBHOOK }] }),
            }),
        ],
    ),
    bad("plaintext-secret-apprunner-stripe-key", "An App Runner runtime variable (not a runtime secret) holds a live Stripe key.", [
        inDev("aws:apprunner/service:Service", "checkout", {
            serviceName: "checkout",
            sourceConfiguration: {
                imageRepository: {
                    imageIdentifier: `${DEV}.dkr.ecr.us-east-1.amazonaws.com/checkout:3`,
                    imageRepositoryType: "ECR",
                    imageConfiguration: { port: "8080", runtimeEnvironmentVariables: { PAYMENTS: STRIPE_KEY } },
                },
            },
        }),
    ]),
    bad("plaintext-secret-tag-api-key", "A tag holds an API key: tag:GetResources shows every tag to read-only roles.", [
        topicWithTags({ "api-key": "a1b2c3d4e5f6g7" }),
    ]),
    bad("plaintext-secret-native-tag-list", "An aws-native resource's tags (a list of key/value) carry a database password.", [
        inDev("aws-native:sns:Topic", "native-alerts", { topicName: "native-alerts", tags: [{ key: "db-password", value: "Pa55word!" }] }),
    ]),
    bad(
        "plaintext-secret-user-data-private-key",
        "An instance's user data embeds a PEM private key (ec2:DescribeInstanceAttribute returns user data).",
        [
            inDev("aws:ec2/instance:Instance", "bastion", {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                userData: `#!/bin/sh\ncat > /etc/ssl/key.pem <<EOF\n${PEM}\nEOF\n`,
            }),
        ],
    ),
    bad("plaintext-secret-state-machine-jwt", "A Step Functions definition (JSON text) sends a bearer JWT in a header.", [
        inDev("aws:sfn/stateMachine:StateMachine", "notify", {
            roleArn: `arn:aws:iam::${DEV}:role/sfn`,
            definition: JSON.stringify({
                StartAt: "Call",
                States: {
                    Call: {
                        Type: "Task",
                        Resource: "arn:aws:states:::http:invoke",
                        Parameters: { Headers: { Authorization: `Bearer ${JWT}` } },
                        End: true,
                    },
                },
            }),
        }),
    ]),
    bad("plaintext-secret-provider-static-keys", "The AWS provider is configured with a static access key and secret key.", [
        {
            type: "pulumi:providers:aws",
            name: "static",
            props: {
                region: "us-east-1",
                allowedAccountIds: JSON.stringify([DEV]),
                accessKey: ACCESS_KEY_ID,
                secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            },
        },
    ]),
    bad("plaintext-secret-glue-argument", "A Glue job's default argument passes the warehouse password.", [
        inDev("aws:glue/job:Job", "etl", {
            roleArn: `arn:aws:iam::${DEV}:role/glue`,
            command: { scriptLocation: "s3://etl-scripts/job.py" },
            defaultArguments: { "--db-user": "etl", "--db-password": "hunter2!" },
        }),
    ]),
    bad(
        "plaintext-secret-beanstalk-setting",
        "An Elastic Beanstalk environment variable (an option setting of its namespace) holds the secret key base.",
        [
            inDev("aws:elasticbeanstalk/environment:Environment", "web", {
                application: "web",
                settings: [
                    { namespace: "aws:elasticbeanstalk:application:environment", name: "SECRET_KEY_BASE", value: "a9f3c2e1d4b5a6978877" },
                ],
            }),
        ],
    ),
    bad("plaintext-secret-connection-string", "A connection string with the password, under a name that says nothing.", [
        lambda("reports", { ConnectionStrings__Default: "Server=db.internal;Database=app;User Id=sa;Password=Hunter2!" }),
    ]),

    fine(
        "plaintext-secret-shipped-model-version-parameter",
        "The shipped stacks' String parameter holds a Rekognition model version ARN: configuration, not a secret.",
        [
            parameter("/cross-account-models/rekognition/model-version-arn", {
                type: "String",
                description: "Rekognition Custom Labels model version ARN the application calls (seed 002)",
                insecureValue: `arn:aws:rekognition:us-east-1:${RESEARCH}:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000`,
            }),
        ],
    ),
    fine(
        "plaintext-secret-securestring-password",
        "A SecureString parameter is where a password belongs (GetParameter returns it only decrypted with kms:Decrypt).",
        [parameter("/app/db/password", { type: "SecureString", value: "S3cr3t-Passw0rd", keyId: DEV_KEY })],
    ),
    fine(
        "plaintext-secret-string-parameter-dynamic-reference",
        "A String parameter under a password's name holds a dynamic reference to Secrets Manager, not the password.",
        [parameter("/app/db/password", { type: "String", value: "{{resolve:secretsmanager:prod/db:SecretString:password}}" })],
    ),
    fine(
        "plaintext-secret-lambda-env-references",
        "Variables that point at secrets (ARN, parameter name, run-time substitution) or only mention tokens (limits, tokenizer switches).",
        [
            lambda("scorer", {
                DB_PASSWORD_SECRET_ARN: SECRET_ARN,
                API_KEY_PARAMETER: "/app/api-key",
                DB_PASSWORD: "${DB_PASSWORD}",
                TOKENIZERS_PARALLELISM: "false",
                MAX_NEW_TOKENS: "512",
                HF_MODEL_ID: "mistralai/Mistral-7B-v0.1",
                DATABASE_URL: "postgres://app@db.internal:5432/app",
            }),
        ],
    ),
    fine(
        "plaintext-secret-ecs-value-from",
        "ECS injects the password from SSM (secrets/valueFrom); the plain variables are a length and a switch.",
        [
            inDev("aws:ecs/taskDefinition:TaskDefinition", "api", {
                family: "api",
                containerDefinitions: JSON.stringify([
                    {
                        name: "api",
                        image: `${DEV}.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2`,
                        environment: [
                            { name: "PASSWORD_MIN_LENGTH", value: "12" },
                            { name: "AUTH_ENABLED", value: "true" },
                        ],
                        secrets: [{ name: "DB_PASSWORD", valueFrom: `arn:aws:ssm:us-east-1:${DEV}:parameter/app/db/password` }],
                    },
                ]),
            }),
        ],
    ),
    fine(
        "plaintext-secret-codebuild-store-types",
        "CodeBuild reads the tokens from Parameter Store and Secrets Manager (by type); the image pull credentials are CodeBuild's.",
        [
            inDev("aws:codebuild/project:Project", "build", {
                name: "model-build",
                serviceRole: `arn:aws:iam::${DEV}:role/codebuild`,
                environment: {
                    computeType: "BUILD_GENERAL1_SMALL",
                    image: "aws/codebuild/standard:7.0",
                    type: "LINUX_CONTAINER",
                    imagePullCredentialsType: "CODEBUILD",
                    environmentVariables: [
                        { name: "NPM_TOKEN", value: "/ci/npm-token", type: "PARAMETER_STORE" },
                        { name: "GITHUB_TOKEN", value: "ci/github:token", type: "SECRETS_MANAGER" },
                    ],
                },
            }),
        ],
    ),
    fine("plaintext-secret-classification-tags", "Tags that classify data or budget tokens hold no credential.", [
        topicWithTags({ "secret-classification": "confidential", "token-budget": "1000", owner: "ml-platform" }),
    ]),
    fine(
        "plaintext-secret-server-certificate-key",
        "A server certificate's private key goes to IAM, which never returns it (write-only input).",
        [
            inDev("aws:iam/serverCertificate:ServerCertificate", "tls", {
                name: "model-api",
                certificateBody: "-----BEGIN CERTIFICATE-----\nMIIC2jCCAcKgAwIBAgIJAExample\n-----END CERTIFICATE-----",
                privateKey: PEM,
            }),
        ],
    ),
    fine(
        "plaintext-secret-secret-version",
        "A Secrets Manager secret version is the store itself: its value needs secretsmanager:GetSecretValue and the key.",
        [
            inDev("aws:secretsmanager/secretVersion:SecretVersion", "db", {
                secretId: SECRET_ARN,
                secretString: JSON.stringify({ username: "app", password: "hunter2-prod" }),
            }),
        ],
    ),
    fine(
        "plaintext-secret-model-env-secret-arn",
        "A model container reads its token from Secrets Manager by ARN; the rest is model configuration.",
        [
            model("llm", {
                primaryContainer: {
                    image: DLC_IMAGE,
                    environment: { HF_MODEL_ID: "mistralai/Mistral-7B-v0.1", SM_NUM_GPUS: "1", HF_API_TOKEN_SECRET: SECRET_ARN },
                },
            }),
        ],
    ),
    fine("plaintext-secret-model-package", "The shipped model: a model package of the research account, no environment.", [
        model("shipped", { primaryContainer: { modelPackageName: MODEL_PACKAGE } }),
    ]),
    fine("plaintext-secret-provider-profile", "A provider with a named profile and a role to assume holds no key.", [
        {
            type: "pulumi:providers:aws",
            name: "profiled",
            props: {
                region: "us-east-1",
                profile: "research-admin",
                skipCredentialsValidation: "true",
                allowedAccountIds: JSON.stringify([DEV]),
                assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${DEV}:role/CrossAccountModelsDeployment-${DEV}` }]),
            },
        },
    ]),
    fine(
        "plaintext-secret-env-provider-default",
        "Provider inputs of the default provider, as the engine sends them for the shipped stacks.",
        [{ type: "pulumi:providers:aws", name: "default", props: providerIn(DEV).props }],
    ),
];
