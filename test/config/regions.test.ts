/**
 * Values that must belong to the stack's Region or to a fixed set of AWS: zones, ARNs of regional
 * resources, CloudWatch Logs retention periods. Each is refused before anything is declared.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { HostingConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { CUSTOM_MODEL_IMPORT_REGIONS, LOG_RETENTION_DAYS } from "../../lib/config/rules";
import { AVAILABILITY_ZONE_LETTERS, REGIONS_BY_PARTITION } from "../../lib/regions";
import { partitionOf } from "../../lib/naming";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { assertNames, configError, refusedRun } from "./expect";

const P = "cross-account-models";

describe("configuration: Region, zones and retention", () => {
    const dev = readStackConfig("dev");
    const research = readStackConfig("research");
    const network = () => JSON.parse(dev[`${P}:network`]);
    const sagemaker = () => JSON.parse(dev[`${P}:sagemaker`]);

    describe("Regions", () => {
        it("are the Regions of every partition the AWS SDK knows (its endpoint rules' partitions)", () => {
            // @aws-sdk/core's copy of partitions.json; a new SDK with new Regions fails here until lib/regions.ts lists them.
            const file = require
                .resolve("@aws-sdk/core/package.json")
                .replace(/package\.json$/, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
            const info = JSON.parse(
                fs
                    .readFileSync(file, "utf8")
                    .replace(/^export const partitionsInfo = /, "")
                    .replace(/;\s*$/, ""),
            );
            const sdk = Object.fromEntries(
                (info.partitions as { id: string; regions: Record<string, unknown> }[]).map((p) => [
                    p.id,
                    Object.keys(p.regions).filter((r) => !r.endsWith("-global")),
                ]),
            );
            assert.deepEqual(REGIONS_BY_PARTITION, sdk);
            assert.equal(partitionOf("cn-north-1"), "aws-cn");
            assert.equal(partitionOf("us-iso-east-1"), "aws-iso");
            assert.equal(partitionOf("us-east-1"), "aws");
        });

        it("refuses an unknown Region once, as unknown, with the known Regions, before any service or ARN is checked against it", async () => {
            for (const [stack, raw] of [
                ["dev", dev],
                ["research", research],
            ] as const) {
                const message = await refusedRun(stack, withConfig(raw, { "aws:region": "us-east-7" }));
                const lines = message.split("\n");
                assert.equal(lines.length, 2, message);
                assertNames(
                    message,
                    `Pulumi.${stack}.yaml`,
                    `  - aws:region: "us-east-7" is not a Region AWS has (an unknown Region); did you mean "us-east-1"?`,
                    `expected a Region code, e.g. "us-east-1", of an AWS partition (aws: af-south-1, `,
                    "us-west-2; aws-cn: cn-north-1, cn-northwest-1;",
                    "aws-us-gov: us-gov-east-1, us-gov-west-1)",
                );
            }
            // The zones of the unknown Region are not checked against it either.
            const message = configError(
                "dev",
                withConfig(dev, {
                    "aws:region": "us-east-7",
                    [`${P}:network`]: { ...network(), availabilityZones: ["us-east-7a", "us-east-7b"] },
                }),
            );
            assert.equal(message.split("\n").length, 2, message);
        });

        it("checks Custom Model Import's Regions only for a Region AWS has", () => {
            const message = configError("dev", withConfig(dev, { "aws:region": "eu-west-3" }));
            assertNames(message, "Pulumi.dev.yaml", "aws:region", `Custom Model Import is not offered in "eu-west-3"`);
            assert.ok(!message.includes("not a Region AWS has"), message);
        });
    });

    describe("availability zones", () => {
        it("has the zones of every Region hosting stacks may run in", () => {
            assert.deepEqual(Object.keys(AVAILABILITY_ZONE_LETTERS).sort(), [...CUSTOM_MODEL_IMPORT_REGIONS].sort());
        });

        it("refuses a zone the Region does not have, listing the zones it has", async () => {
            const message = await refusedRun(
                "dev",
                withConfig(dev, { [`${P}:network`]: { ...network(), availabilityZones: ["us-east-1a", "us-east-1z"] } }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:network.availabilityZones[1]: "us-east-1z" is not an Availability Zone of us-east-1 (aws:region)`,
                "expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f",
            );
            const sagemakerZones = configError(
                "dev",
                withConfig(dev, { [`${P}:sagemaker`]: { ...sagemaker(), availabilityZones: ["us-east-1g"] } }),
            );
            assertNames(
                sagemakerZones,
                "Pulumi.dev.yaml",
                `${P}:sagemaker.availabilityZones[0]`,
                "is not an Availability Zone of us-east-1",
            );
            for (const [region, zone] of [
                ["us-east-2", "us-east-2d"],
                ["us-west-2", "us-west-2e"],
                ["eu-central-1", "eu-central-1d"],
            ]) {
                const other = configError(
                    "dev",
                    withConfig(dev, { "aws:region": region, [`${P}:network`]: { ...network(), availabilityZones: [`${region}a`, zone] } }),
                );
                assertNames(
                    other,
                    "Pulumi.dev.yaml",
                    `${P}:network.availabilityZones[1]: "${zone}" is not an Availability Zone of ${region}`,
                );
            }
        });

        it("accepts every zone of the table", () => {
            for (const [region, letters] of Object.entries(AVAILABILITY_ZONE_LETTERS)) {
                const zones = [...letters].map((l) => `${region}${l}`);
                const config = parseStackConfig(
                    "dev",
                    withConfig(dev, {
                        "aws:region": region,
                        [`${P}:network`]: { ...network(), availabilityZones: zones },
                        // Their ARNs are of us-east-1.
                        [`${P}:rekognition`]: undefined,
                        [`${P}:sagemaker`]: undefined,
                    }),
                ) as HostingConfig;
                assert.deepEqual(config.network.availabilityZones, zones, region);
            }
        });

        it("refuses network zones of another Region, naming the stack's Region", async () => {
            const message = await refusedRun(
                "dev",
                withConfig(dev, { [`${P}:network`]: { ...network(), availabilityZones: ["us-east-1a", "us-west-2b"] } }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:network.availabilityZones[1]`,
                `"us-west-2b" is not a zone of this stack's Region us-east-1 (aws:region)`,
                `e.g. "us-east-1a"`,
            );
        });

        it("refuses a zone listed twice before the VPC or any subnet is registered", async () => {
            const message = await refusedRun(
                "dev",
                withConfig(dev, { [`${P}:network`]: { ...network(), availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1a"] } }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:network.availabilityZones[2]`,
                `"us-east-1a" is already listed at ${P}:network.availabilityZones[0]`,
                "expected each zone once",
            );
        });

        it("applies the same rules to the SageMaker endpoint's zones", () => {
            const message = configError(
                "dev",
                withConfig(dev, { [`${P}:sagemaker`]: { ...sagemaker(), availabilityZones: ["eu-west-1a", "us-east-1b", "us-east-1b"] } }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:sagemaker.availabilityZones[0]`,
                "is not a zone of this stack's Region us-east-1",
            );
            assertNames(message, "Pulumi.dev.yaml", `${P}:sagemaker.availabilityZones[2]`, "is already listed");
        });

        it("accepts distinct zones of the Region", () => {
            const config = parseStackConfig(
                "dev",
                withConfig(dev, { [`${P}:network`]: { ...network(), availabilityZones: ["us-east-1a", "us-east-1c"] } }),
            ) as HostingConfig;
            assert.deepEqual(config.network.availabilityZones, ["us-east-1a", "us-east-1c"]);
        });
    });

    describe("CloudWatch Logs retention", () => {
        // The set of "Possible values" of retentionInDays, CloudWatch Logs API Reference, PutRetentionPolicy.
        it("is the set the PutRetentionPolicy API accepts", () => {
            assert.deepEqual(
                LOG_RETENTION_DAYS,
                [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
            );
        });

        it("refuses sagemaker.logRetentionDays and network.flowLogRetentionDays outside that set, listing it", async () => {
            const message = await refusedRun(
                "dev",
                withConfig(dev, {
                    [`${P}:sagemaker`]: { ...sagemaker(), logRetentionDays: 100 },
                    [`${P}:network`]: { ...network(), flowLogRetentionDays: "a year" },
                }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:sagemaker.logRetentionDays`,
                "100 is not a CloudWatch Logs retention period",
                "expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days)",
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:network.flowLogRetentionDays`,
                `"a year" is not a whole number`,
                "expected one of 1, 3,",
            );
        });

        it("accepts every value of the set", () => {
            for (const days of LOG_RETENTION_DAYS) {
                const config = parseStackConfig(
                    "dev",
                    withConfig(dev, { [`${P}:sagemaker`]: { ...sagemaker(), logRetentionDays: days } }),
                ) as HostingConfig;
                assert.equal(config.sagemaker?.logRetentionDays, days);
            }
        });
    });

    describe("ARNs of regional resources", () => {
        const V = (region: string) =>
            `arn:aws:rekognition:${region}:111122223333:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000`;
        const other = "eu-central-1";

        it("refuses a Rekognition model version of another Region, in the consumer and in the ML account", () => {
            const client = configError("dev", withConfig(dev, { [`${P}:rekognition`]: { activeVersionArn: V(other) } }));
            assertNames(
                client,
                "Pulumi.dev.yaml",
                `${P}:rekognition.activeVersionArn`,
                `is in Region ${other}, not this stack's Region us-east-1 (aws:region)`,
                "rekognition endpoint",
                "expected an ARN in us-east-1",
            );
            const share = JSON.parse(research[`${P}:rekognition`]);
            share.consumers[0].grantedVersions = [V(other)];
            assertNames(
                configError("research", withConfig(research, { [`${P}:rekognition`]: share })),
                "Pulumi.research.yaml",
                `${P}:rekognition.consumers[0].grantedVersions[0]`,
                `is in Region ${other}`,
                "expected an ARN in us-east-1",
            );
        });

        it("refuses SageMaker model packages and the inference image repository of another Region", () => {
            const hosting = configError(
                "dev",
                withConfig(dev, {
                    [`${P}:sagemaker`]: {
                        ...sagemaker(),
                        modelPackageArn: `arn:aws:sagemaker:${other}:111122223333:model-package/abalone-models/4`,
                        imageRepositoryArn: `arn:aws:ecr:${other}:777788889999:repository/abalone-inference`,
                    },
                }),
            );
            assertNames(
                hosting,
                "Pulumi.dev.yaml",
                `${P}:sagemaker.modelPackageArn`,
                `is in Region ${other}`,
                "a package of its own Region",
                "expected an ARN in us-east-1",
            );
            assertNames(
                hosting,
                "Pulumi.dev.yaml",
                `${P}:sagemaker.imageRepositoryArn`,
                `is in Region ${other}`,
                "ECR repository of the model's Region",
            );
            const registry = JSON.parse(research[`${P}:sagemaker`]);
            registry.approvedModelPackages = [`arn:aws:sagemaker:${other}:111122223333:model-package/abalone-models/3`];
            assertNames(
                configError("research", withConfig(research, { [`${P}:sagemaker`]: registry })),
                "Pulumi.research.yaml",
                `${P}:sagemaker.approvedModelPackages[0]`,
                `is in Region ${other}`,
                "expected an ARN in us-east-1",
            );
        });

        it("accepts IAM role ARNs, which have no Region", () => {
            assert.doesNotThrow(() =>
                parseStackConfig(
                    "dev",
                    withConfig(dev, { [`${P}:troubleshooterArns`]: ["arn:aws:iam::777788889999:role/ml-platform-operator"] }),
                ),
            );
        });
    });
});
