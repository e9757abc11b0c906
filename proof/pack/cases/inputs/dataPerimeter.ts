/**
 * Accounts outside the environment in any field: a Backup plan copying to another account's
 * vault, an EventBridge target on another account's bus, logs streamed to another account's
 * Kinesis stream, an image pulled from another account's registry, a queue URL, a Lambda or RAM
 * principal, a replication destination, a state machine calling another account's function, an
 * access point host, a provider that assumes or may deploy into another account. Look-alikes:
 * research's model package, AWS's image registries, copies within the environment, a provider's
 * forbidden accounts, an AWS-published Lambda layer allowed by configuration, 12-digit numbers
 * that are not accounts.
 */
import { DEV, OUTSIDER, PROD, PackCase, RESEARCH } from "../types";
import { DEV_KEY, DLC_IMAGE, MODEL_PACKAGE, OUTSIDE_ARN, REGION, acceptable, inDev, insecure, lambda, model } from "./build";

const RULE = "data-perimeter-accounts";
const bad = (id: string, why: string, resources: PackCase["resources"]) => insecure("data-perimeter", RULE, id, why, resources);
const fine = (id: string, why: string, resources: PackCase["resources"], config?: PackCase["config"]) =>
    acceptable("data-perimeter", id, why, resources, config);

const backupPlan = (destinationVaultArn: string) =>
    inDev("aws:backup/plan:Plan", "models-backup", {
        name: "models-daily",
        rules: [{ ruleName: "daily", targetVaultName: "models", schedule: "cron(0 5 * * ? *)", copyActions: [{ destinationVaultArn }] }],
    });
const provider = (props: Record<string, unknown>) => ({
    type: "pulumi:providers:aws",
    name: "deploy",
    props: { region: REGION, ...props },
});
const INSIGHTS_LAYER_ACCOUNT = "580247275435";

export const dataPerimeterCases: readonly PackCase[] = [
    bad("data-perimeter-backup-copy-outside", "A Backup plan copies every recovery point to another account's vault.", [
        backupPlan(OUTSIDE_ARN("backup", "backup-vault:exfil")),
    ]),
    bad("data-perimeter-event-target-outside-bus", "An EventBridge rule forwards events to another account's bus.", [
        inDev("aws:cloudwatch/eventTarget:EventTarget", "forward", {
            rule: "model-events",
            arn: OUTSIDE_ARN("events", "event-bus/default"),
            roleArn: `arn:aws:iam::${DEV}:role/events-forward`,
        }),
    ]),
    bad("data-perimeter-logs-to-outside-stream", "A log group's subscription streams to another account's Kinesis stream.", [
        inDev("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "ship", {
            logGroup: "/aws/sagemaker/Endpoints/models",
            filterPattern: "",
            destinationArn: OUTSIDE_ARN("kinesis", "stream/collector"),
        }),
    ]),
    bad("data-perimeter-image-outside-registry", "A model's image comes from another account's ECR registry.", [
        model("model", { primaryContainer: { image: `${OUTSIDER}.dkr.ecr.${REGION}.amazonaws.com/llm:1` } }),
    ]),
    bad("data-perimeter-queue-url-outside", "A function is pointed at another account's SQS queue by URL.", [
        lambda("publisher", { QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${OUTSIDER}/predictions` }),
    ]),
    bad("data-perimeter-lambda-principal-account", "A Lambda permission names another account, bare, as principal.", [
        inDev("aws:lambda/permission:Permission", "invoke", { action: "lambda:InvokeFunction", function: "scorer", principal: OUTSIDER }),
    ]),
    bad("data-perimeter-ram-principal", "A RAM share is associated with another account.", [
        inDev("aws:ram/principalAssociation:PrincipalAssociation", "share", {
            principal: OUTSIDER,
            resourceShareArn: `arn:aws:ram:${REGION}:${DEV}:resource-share/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
        }),
    ]),
    bad("data-perimeter-replication-destination-account", "Bucket replication sends objects to a bucket owned by another account.", [
        inDev("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", {
            bucket: `model-artifacts-${DEV}`,
            role: `arn:aws:iam::${DEV}:role/replication`,
            rules: [{ id: "all", status: "Enabled", destination: { bucket: "arn:aws:s3:::partner-models", account: OUTSIDER } }],
        }),
    ]),
    bad("data-perimeter-state-machine-json", "A state machine's definition (JSON text) invokes another account's function.", [
        inDev("aws:sfn/stateMachine:StateMachine", "pipeline", {
            roleArn: `arn:aws:iam::${DEV}:role/sfn`,
            definition: JSON.stringify({
                StartAt: "Score",
                States: { Score: { Type: "Task", Resource: OUTSIDE_ARN("lambda", "function:score"), End: true } },
            }),
        }),
    ]),
    bad("data-perimeter-access-point-host", "A function writes to another account's S3 access point by host name.", [
        lambda("exporter", { EXPORT_ENDPOINT: `https://exports-${OUTSIDER}.s3-accesspoint.${REGION}.amazonaws.com` }),
    ]),
    bad("data-perimeter-provider-assumes-outside-role", "The provider is pinned to dev but assumes a role in another account.", [
        provider({
            allowedAccountIds: JSON.stringify([DEV]),
            assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${OUTSIDER}:role/deploy` }]),
        }),
    ]),
    bad("data-perimeter-provider-allows-outside-account", "The provider may deploy into dev or another account.", [
        provider({ allowedAccountIds: JSON.stringify([DEV, OUTSIDER]) }),
    ]),

    fine("data-perimeter-research-model-package", "The shipped model: research's model package, in the environment.", [
        model("model", { primaryContainer: { modelPackageName: MODEL_PACKAGE } }),
    ]),
    fine(
        "data-perimeter-aws-image-registries",
        "An image from AWS's Deep Learning Containers registry and weights from research's bucket.",
        [model("model", { primaryContainer: { image: DLC_IMAGE, modelDataUrl: `s3://model-artifacts-${RESEARCH}/llm/model.tar.gz` } })],
    ),
    fine("data-perimeter-backup-copy-to-prod", "A Backup plan copying to the prod account's vault stays in the environment.", [
        backupPlan(`arn:aws:backup:${REGION}:${PROD}:backup-vault:models`),
    ]),
    fine("data-perimeter-provider-forbidden-account", "A provider that forbids another account names it to keep it out.", [
        provider({ allowedAccountIds: JSON.stringify([DEV]), forbiddenAccountIds: JSON.stringify([OUTSIDER]) }),
    ]),
    fine(
        "data-perimeter-aws-lambda-layer-configured",
        "An AWS-published Lambda layer (CloudWatch Lambda Insights) from an AWS account the team lists in serviceAccountIds.",
        [
            inDev("aws:lambda/function:Function", "scorer", {
                role: `arn:aws:iam::${DEV}:role/scorer-role`,
                runtime: "python3.12",
                handler: "app.handler",
                layers: [`arn:aws:lambda:${REGION}:${INSIGHTS_LAYER_ACCOUNT}:layer:LambdaInsightsExtension:49`],
            }),
        ],
        { [RULE]: { serviceAccountIds: ["763104351884", INSIGHTS_LAYER_ACCOUNT] } },
    ),
    fine(
        "data-perimeter-numbers-not-accounts",
        "Twelve-digit numbers in fields that do not name accounts (a build number, a timestamp, a description).",
        [
            inDev("aws:ssm/parameter:Parameter", "build", {
                name: "/cross-account-models/build-number",
                type: "String",
                value: OUTSIDER,
                description: `Build ${OUTSIDER} of the model image, released 1740821400000`,
                keyId: DEV_KEY,
            }),
        ],
    ),
    fine("data-perimeter-own-queue-url", "A function pointed at its own account's queue.", [
        lambda("publisher", { QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${DEV}/predictions` }),
    ]),
];
