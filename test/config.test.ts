import { strict as assert } from "assert";
import { parseStackConfig, HostingConfig, ResearchConfig } from "../lib/config/stackConfig";
import { readStackConfig } from "../ops/project";
import { StackRun, runStack } from "../proof/runtime/runStack";
import { DEV, PROD, RESEARCH, resource, researchExports, shippedStack, withConfig } from "./helpers";
import { assertNames, configError, failedRun } from "./config/expect";
import { stackReferenceName } from "../lib/naming";

describe("configuration", () => {
    const research = readStackConfig("research");
    const dev = readStackConfig("dev");

    it("parses the shipped stack files into the documented contract", () => {
        const r = parseStackConfig("research", research) as ResearchConfig;
        assert.equal(r.program, "research");
        assert.equal(r.accountId, RESEARCH);
        assert.deepEqual(
            r.consumers.map((c) => [c.stack, c.accountId, c.roleName]),
            [
                ["dev", DEV, `BedrockCMIExecutionRole-${DEV}`],
                ["prod", PROD, `BedrockCMIExecutionRole-${PROD}`],
            ],
        );
        const d = parseStackConfig("dev", dev) as HostingConfig;
        assert.equal(d.researchStack, "organization/cross-account-models/research");
        assert.equal(d.modelImport?.modelPrefix, "mistral-model-weights/");
        assert.equal(d.modelImport?.bucketInUri, `model-artifacts-${RESEARCH}`);
        assert.equal(d.keyDeletionWindowDays, 30);
    });

    it("rejects an account ID that is not 12 digits", () => {
        const message = configError("dev", withConfig(dev, { "aws:allowedAccountIds": ["77778888999"] }));
        assertNames(message, "Pulumi.dev.yaml", "aws:allowedAccountIds[0]", "12 digits");
    });

    it("rejects a consumer account ID that is not 12 digits, and says to quote it", () => {
        const message = configError(
            "research",
            withConfig(research, {
                "cross-account-models:consumers": [{ stack: "dev", accountId: 12345678901 }],
            }),
        );
        assertNames(message, "Pulumi.research.yaml", "cross-account-models:consumers[0].accountId", "12 digits", "quoted");
    });

    it("rejects a requireVpcEndpoint that is not a boolean", () => {
        const message = configError(
            "research",
            withConfig(research, {
                "cross-account-models:consumers": [{ stack: "dev", accountId: DEV, requireVpcEndpoint: "yes" }],
            }),
        );
        assertNames(message, "Pulumi.research.yaml", "cross-account-models:consumers[0].requireVpcEndpoint", "true or false");
    });

    it("rejects troubleshooting roles of another account", () => {
        const message = configError(
            "dev",
            withConfig(dev, { "cross-account-models:troubleshooterArns": [`arn:aws:iam::${PROD}:role/operator`] }),
        );
        assertNames(
            message,
            "Pulumi.dev.yaml",
            "cross-account-models:troubleshooterArns[0]",
            "not a role of this stack's account",
            `arn:aws:iam::${DEV}:role/<name>`,
        );
    });

    it("rejects guardrail targets that are neither accounts nor OUs", () => {
        const org = readStackConfig("org");
        const message = configError(
            "org",
            withConfig(org, { "cross-account-models:guardrails": { rekognitionConsumers: ["dev"], sagemakerVpcOnly: [DEV] } }),
        );
        assertNames(message, "Pulumi.org.yaml", "cross-account-models:guardrails.rekognitionConsumers[0]", "12-digit account ID", "ou-");
    });

    describe("network perimeter", () => {
        const research = readStackConfig("research");
        it("defaults to the perimeter by endpoint owner, with no stack pinned", () => {
            const config = parseStackConfig("research", research) as ResearchConfig;
            assert.deepEqual(config.perimeter, { mode: "endpoint-owner", organizationId: undefined, pinnedStacks: [] });
        });
        it("rejects an unknown mode, a malformed organization ID and a pinned stack that is not a consumer", () => {
            const message = configError(
                "research",
                withConfig(research, {
                    "cross-account-models:perimeter": { mode: "vpce-owner", organizationId: "org-1", pinnedStacks: ["staging"] },
                }),
            );
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:perimeter.mode", "endpoint-owner or endpoint-id");
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:perimeter.organizationId", "o- followed by 10 to 32");
            assertNames(
                message,
                "Pulumi.research.yaml",
                "cross-account-models:perimeter.pinnedStacks[0]",
                '"staging" is not a consumer',
                "dev, prod",
            );
        });
        it("rejects an organization ID with endpoint pinning, where it would decide nothing, and unknown settings", () => {
            const message = configError(
                "research",
                withConfig(research, {
                    "cross-account-models:perimeter": { mode: "endpoint-id", organizationId: "o-a1b2c3d4e5", pin: ["dev"] },
                }),
            );
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:perimeter.organizationId", "mode endpoint-owner");
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:perimeter.pin", "mode, organizationId, pinnedStacks");
        });
        it("refuses, before any resource, more consumers than the bucket policy can hold, saying how many fit", async () => {
            const hosts = Array.from({ length: 80 }, (_, i) => ({
                stack: `host${i}`,
                accountId: String(200000000000 + i),
                prefixes: ["mistral-model-weights/"],
                requireVpcEndpoint: true,
            }));
            const pinned = withConfig(research, {
                "cross-account-models:consumers": hosts,
                "cross-account-models:perimeter": { mode: "endpoint-id" },
            });
            const message = await failedRun(
                "research",
                pinned,
                undefined,
                hosts.map((h) => h.stack),
            );
            assertNames(
                message,
                "Pulumi.research.yaml",
                "cross-account-models:consumers",
                "the artifact bucket policy would be",
                "AWS allows 20480 bytes",
                "consumer stacks fit",
                "endpoint-owner adds no IDs",
            );
            const fit = Number(/At most (\d+) consumer stacks fit/.exec(message)![1]);
            assert.ok(fit > 10 && fit < 80, `fit ${fit}`);
            // By endpoint owner the same 80 accounts fit: their grants share statements.
            await runStack("research", {
                config: withConfig(pinned, { "cross-account-models:perimeter": { mode: "endpoint-owner" } }),
                createdStacks: new Set(hosts.map((h) => stackReferenceName(h.stack))),
            });
        });
    });

    describe("SageMaker targets (SageMaker hosting)", () => {
        const hosting = () => JSON.parse(dev["cross-account-models:sagemaker"]);

        it("rejects an instance type SageMaker does not offer for endpoints", () => {
            const message = configError(
                "dev",
                withConfig(dev, { "cross-account-models:sagemaker": { ...hosting(), instanceType: "m5.large" } }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:sagemaker.instanceType",
                "not an instance type SageMaker offers",
                "ml.m5.large",
            );
        });

        it("rejects packages that are not model package versions of the registry's group", () => {
            const message = configError(
                "dev",
                withConfig(dev, {
                    "cross-account-models:sagemaker": {
                        ...hosting(),
                        modelPackageArn: "arn:aws:sagemaker:us-east-1:111122223333:model-package-group/abalone-models",
                    },
                }),
            );
            assertNames(message, "Pulumi.dev.yaml", "cross-account-models:sagemaker.modelPackageArn", "not a model package version ARN");
            const registry = JSON.parse(research["cross-account-models:sagemaker"]);
            const other = configError(
                "research",
                withConfig(research, {
                    "cross-account-models:sagemaker": {
                        ...registry,
                        approvedModelPackages: ["arn:aws:sagemaker:us-east-1:111122223333:model-package/other-group/1"],
                    },
                }),
            );
            assertNames(
                other,
                "Pulumi.research.yaml",
                "cross-account-models:sagemaker.approvedModelPackages[0]",
                "not a version of abalone-models",
            );
        });
        it("refuses an inference image repository that is not an ECR repository (ARN on the target, name on research)", () => {
            const message = configError(
                "dev",
                withConfig(dev, {
                    "cross-account-models:sagemaker": { ...hosting(), imageRepositoryArn: "arn:aws:s3:::abalone-inference" },
                }),
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:sagemaker.imageRepositoryArn",
                "not an ECR repository ARN",
                "arn:aws:ecr:<region>:<12-digit account>:repository/<name>",
            );
            const registry = JSON.parse(research["cross-account-models:sagemaker"]);
            const bad = configError(
                "research",
                withConfig(research, { "cross-account-models:sagemaker": { ...registry, imageRepositoryName: "Abalone Inference" } }),
            );
            assertNames(bad, "Pulumi.research.yaml", "cross-account-models:sagemaker.imageRepositoryName", "not an ECR repository name");
        });

        it("rejects an unapproved package before anything is registered", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const unapproved = "arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/5";
            const message = await failedRun(
                "dev",
                withConfig(dev, { "cross-account-models:sagemaker": { ...hosting(), modelPackageArn: unapproved } }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:sagemaker.modelPackageArn",
                unapproved,
                "not an approved package of abalone-models",
                "approvedModelPackages of Pulumi.research.yaml",
            );
        });

        it("rejects zones (subnets) that are not in the SecureVpc", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const message = await failedRun(
                "dev",
                withConfig(dev, { "cross-account-models:sagemaker": { ...hosting(), availabilityZones: ["us-east-1a", "us-east-1f"] } }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:sagemaker.availabilityZones[1]",
                '"us-east-1f" has no subnet of this stack\'s SecureVpc',
                "us-east-1a, us-east-1b",
            );
        });

        it("names both stacks when the registry has no target for the account", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const noDev = {
                ...upstream,
                sagemaker: { ...upstream.sagemaker!, targets: upstream.sagemaker!.targets.filter((t) => t.stack !== "dev") },
            };
            const message = await failedRun("dev", dev, noDev);
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:sagemaker",
                "stack dev (account 777788889999)",
                "organization/cross-account-models/research",
                "sagemaker.targets of Pulumi.research.yaml",
            );
        });
    });

    describe("shared Rekognition model (Rekognition Custom Labels sharing)", () => {
        const share = () => JSON.parse(research["cross-account-models:rekognition"]);
        const V2 =
            "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000";

        it("rejects a model version ARN that is not a Rekognition project-version ARN", () => {
            for (const bad of [
                "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/1700000000000",
                "arn:aws:sagemaker:us-east-1:111122223333:model/x",
                "tool-detector:v2",
            ]) {
                const s = share();
                s.consumers[0].grantedVersions = [bad];
                const message = configError("research", withConfig(research, { "cross-account-models:rekognition": s }));
                assertNames(
                    message,
                    "Pulumi.research.yaml",
                    "cross-account-models:rekognition.consumers[0].grantedVersions[0]",
                    "not a Rekognition project version ARN",
                    "/version/<version>/<13-digit timestamp>",
                );
            }
            const message = configError("dev", withConfig(dev, { "cross-account-models:rekognition": { activeVersionArn: "v2" } }));
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:rekognition.activeVersionArn",
                "not a Rekognition project version ARN",
            );
        });

        it("rejects a version trained in another account than the ML account", () => {
            const s = share();
            s.consumers[1].grantedVersions = [V2.replace("111122223333", PROD)];
            const message = configError("research", withConfig(research, { "cross-account-models:rekognition": s }));
            assertNames(
                message,
                "Pulumi.research.yaml",
                "cross-account-models:rekognition.consumers[1].grantedVersions[0]",
                `belongs to account ${PROD}`,
                "not the ML account 111122223333",
            );
        });

        it("rejects the ML account as its own consumer, and malformed consumers", () => {
            const s = share();
            s.consumers[0].accountId = RESEARCH;
            s.consumers[1].appRoleName = "bad role";
            const message = configError("research", withConfig(research, { "cross-account-models:rekognition": s }));
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:rekognition.consumers[0].accountId", "ML account itself");
            assertNames(message, "Pulumi.research.yaml", "cross-account-models:rekognition.consumers[1].appRoleName");
        });

        it("names both stacks when the research stack does not share the model with the consumer", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const onlyProd = {
                ...upstream,
                rekognition: { ...upstream.rekognition!, consumers: upstream.rekognition!.consumers.filter((c) => c.stack === "prod") },
            };
            const message = await failedRun("dev", dev, onlyProd);
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:rekognition",
                "stack dev (account 777788889999)",
                "organization/cross-account-models/research",
                "rekognition.consumers of Pulumi.research.yaml",
            );
        });

        it("rejects calling a version not granted to the account yet (grant comes first)", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const prodVersion = JSON.parse(readStackConfig("prod")["cross-account-models:rekognition"]).activeVersionArn;
            const message = await failedRun(
                "dev",
                withConfig(dev, { "cross-account-models:rekognition": { activeVersionArn: prodVersion } }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:rekognition.activeVersionArn",
                "is not granted to this account",
                V2,
            );
        });

        it("requires the external ID the access role expects", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const required = {
                ...upstream,
                rekognition: {
                    ...upstream.rekognition!,
                    consumers: upstream.rekognition!.consumers.map((c) => ({ ...c, externalIdRequired: true })),
                },
            };
            const message = await failedRun("dev", dev, required);
            assertNames(message, "Pulumi.dev.yaml", "cross-account-models:rekognition.externalId", "requires an external ID");
        });
    });

    it("rejects a stack that lists more than one account", () => {
        const message = configError("dev", withConfig(dev, { "aws:allowedAccountIds": [DEV, PROD] }));
        assertNames(message, "Pulumi.dev.yaml", "aws:allowedAccountIds", "lists 2 accounts");
    });

    it("rejects a research stack that shares with its own account", () => {
        const message = configError(
            "research",
            withConfig(research, {
                "cross-account-models:consumers": [{ stack: "dev", accountId: RESEARCH }],
            }),
        );
        assertNames(
            message,
            "Pulumi.research.yaml",
            "cross-account-models:consumers[0].accountId",
            "own account",
            "separate hosting account",
        );
    });

    it("rejects a hosting Region where Bedrock Custom Model Import is not offered", () => {
        const message = configError("dev", withConfig(dev, { "aws:region": "eu-west-1" }));
        assertNames(
            message,
            "Pulumi.dev.yaml",
            "aws:region",
            'not offered in "eu-west-1"',
            "us-east-1, us-east-2, us-west-2, eu-central-1",
        );
    });

    it("rejects a malformed Region", () => {
        assertNames(configError("dev", withConfig(dev, { "aws:region": "virginia" })), "Pulumi.dev.yaml", "aws:region", 'e.g. "us-east-1"');
    });

    it("rejects role names over 64 characters or outside IAM's pattern", () => {
        const long = "R".repeat(65);
        assertNames(
            configError("dev", withConfig(dev, { "cross-account-models:cmiRoleName": long })),
            "Pulumi.dev.yaml",
            "cross-account-models:cmiRoleName",
            "1-64 characters",
        );
        assertNames(
            configError("dev", withConfig(dev, { "cross-account-models:cmiRoleName": "cmi role!" })),
            "Pulumi.dev.yaml",
            "cross-account-models:cmiRoleName",
            "+=,.@_-",
        );
        const message = configError(
            "research",
            withConfig(research, {
                "cross-account-models:consumers": [{ stack: "dev", accountId: DEV, roleName: long }],
            }),
        );
        assertNames(message, "Pulumi.research.yaml", "cross-account-models:consumers[0].roleName", "1-64 characters");
    });

    it("rejects job names that leave no room for the hash suffix or break Bedrock's pattern", () => {
        const model = JSON.parse(dev["cross-account-models:modelImport"]);
        const tooLong = configError("dev", withConfig(dev, { "cross-account-models:modelImport": { ...model, jobName: "j".repeat(55) } }));
        assertNames(tooLong, "Pulumi.dev.yaml", "cross-account-models:modelImport.jobName", "1-54 characters");
        assert.doesNotThrow(() =>
            parseStackConfig("dev", withConfig(dev, { "cross-account-models:modelImport": { ...model, jobName: "j".repeat(54) } })),
        );
        const pattern = configError("dev", withConfig(dev, { "cross-account-models:modelImport": { ...model, jobName: "-job" } }));
        assertNames(pattern, "Pulumi.dev.yaml", "cross-account-models:modelImport.jobName", "starting with a letter or digit");
    });

    it("rejects imported model names that leave no room for the generation suffix or have doubled separators", () => {
        const model = JSON.parse(dev["cross-account-models:modelImport"]);
        for (const name of ["m".repeat(55), "mistral--01", "mistral 01"]) {
            const message = configError(
                "dev",
                withConfig(dev, { "cross-account-models:modelImport": { ...model, importedModelName: name } }),
            );
            assertNames(message, "Pulumi.dev.yaml", "cross-account-models:modelImport.importedModelName", "1-54 letters or digits");
        }
        assert.doesNotThrow(() =>
            parseStackConfig(
                "dev",
                withConfig(dev, { "cross-account-models:modelImport": { ...model, importedModelName: "m".repeat(54) } }),
            ),
        );
    });

    it("protects the import job only where modelImport.protect says so (prod ships it on), and names the key for a non-boolean", async () => {
        const model = JSON.parse(dev["cross-account-models:modelImport"]);
        assert.equal((parseStackConfig("dev", dev) as HostingConfig).modelImport?.protect, false);
        const jobOf = (run: StackRun) => resource(run, "pulumi-nodejs:dynamic/bedrock:ModelImportJob", "model-import");
        assert.equal(jobOf(await shippedStack("prod")).protect, true);
        assert.equal(jobOf(await shippedStack("dev")).protect, false);
        const message = configError("dev", withConfig(dev, { "cross-account-models:modelImport": { ...model, protect: "yes" } }));
        assertNames(message, "Pulumi.dev.yaml", "cross-account-models:modelImport.protect", "true or false");
    });

    it("rejects malformed S3 prefixes", () => {
        const model = JSON.parse(dev["cross-account-models:modelImport"]);
        for (const prefix of ["/weights/", "weights", "a//b/", "../weights"]) {
            const message = configError("dev", withConfig(dev, { "cross-account-models:modelImport": { ...model, modelPrefix: prefix } }));
            assertNames(message, "Pulumi.dev.yaml", "cross-account-models:modelImport.modelPrefix", "ending in '/'");
        }
    });

    it("reports missing required keys with the expected form", () => {
        const message = configError("dev", withConfig(dev, { "cross-account-models:network": undefined, "aws:region": undefined }));
        assertNames(message, "Pulumi.dev.yaml", "cross-account-models:network", "is required", "{cidr");
        assertNames(message, "Pulumi.dev.yaml", "aws:region", "is required");
        assertNames(
            configError("research", withConfig(research, { "cross-account-models:program": undefined })),
            "Pulumi.research.yaml",
            "cross-account-models:program",
            '"research"',
            '"hosting"',
        );
    });

    it("rejects unknown settings, unknown endpoints and undersized networks", () => {
        const network = JSON.parse(dev["cross-account-models:network"]);
        assertNames(
            configError("dev", withConfig(dev, { "cross-account-models:network": { ...network, cidrBlock: "10.0.0.0/16" } })),
            "Pulumi.dev.yaml",
            "cross-account-models:network.cidrBlock",
            "not a known setting",
        );
        assertNames(
            configError(
                "dev",
                withConfig(dev, { "cross-account-models:network": { ...network, interfaceEndpoints: ["sts", "s3-internet"] } }),
            ),
            "Pulumi.dev.yaml",
            "cross-account-models:network.interfaceEndpoints[1]",
            "expected one of",
        );
        assertNames(
            configError("dev", withConfig(dev, { "cross-account-models:network": { ...network, cidr: "10.20.0.0/28", zoneCount: 3 } })),
            "Pulumi.dev.yaml",
            "cross-account-models:network.cidr",
            "too small",
        );
        assertNames(
            configError("dev", withConfig(dev, { "cross-account-models:network": { ...network, availabilityZones: ["us-east-1a"] } })),
            "Pulumi.dev.yaml",
            "cross-account-models:network.availabilityZones",
            "at least two",
        );
    });

    it("reports every problem of a stack file at once", () => {
        const message = configError("dev", withConfig(dev, { "aws:region": "eu-west-1", "cross-account-models:cmiRoleName": "bad role" }));
        assert.ok(message.includes("aws:region") && message.includes("cross-account-models:cmiRoleName"), message);
    });

    describe("checked against the research stack, before any resource is registered", () => {
        it("fails on an invalid stack file without registering anything", async () => {
            const message = await failedRun("dev", withConfig(dev, { "aws:allowedAccountIds": ["123"] }));
            assertNames(message, "Pulumi.dev.yaml", "aws:allowedAccountIds[0]");
        });

        it("names both stacks when the research stack does not share with the hosting account", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const onlyDev = { ...upstream, consumers: upstream.consumers.filter((c) => c.stack === "dev") };
            const message = await failedRun("prod", readStackConfig("prod"), onlyDev);
            assertNames(
                message,
                "Pulumi.prod.yaml",
                "aws:allowedAccountIds",
                "stack prod",
                PROD,
                "organization/cross-account-models/research",
                "shares with dev (777788889999)",
                "Pulumi.research.yaml",
            );
        });

        it("rejects a hosting stack in the research account", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const message = await failedRun(
                "dev",
                withConfig(dev, {
                    "aws:allowedAccountIds": [RESEARCH],
                    // Deployed through the account's own deployment role (checked by the config parser).
                    "aws:assumeRoles": undefined,
                    "cross-account-models:troubleshooterArns": undefined,
                    "cross-account-models:sagemaker": undefined,
                }),
                upstream,
            );
            assertNames(message, "Pulumi.dev.yaml", "aws:allowedAccountIds", "also the account of the research stack");
        });

        it("rejects a model location outside the artifact bucket", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const model = JSON.parse(dev["cross-account-models:modelImport"]);
            const message = await failedRun(
                "dev",
                withConfig(dev, {
                    "cross-account-models:modelImport": { ...model, modelPrefix: "s3://someone-elses-bucket/mistral-model-weights/" },
                }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:modelImport.modelPrefix",
                "someone-elses-bucket",
                "outside the artifact bucket",
                `s3://model-artifacts-${RESEARCH}/`,
            );
        });

        it("rejects a model prefix outside what the research stack shares", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const model = JSON.parse(dev["cross-account-models:modelImport"]);
            const message = await failedRun(
                "dev",
                withConfig(dev, { "cross-account-models:modelImport": { ...model, modelPrefix: "llama-weights/" } }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:modelImport.modelPrefix",
                "llama-weights/",
                "mistral-model-weights/",
            );
        });

        it("rejects a role name that differs from the one the research stack grants", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const message = await failedRun("dev", withConfig(dev, { "cross-account-models:cmiRoleName": "ImportRole" }), upstream);
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:cmiRoleName",
                "ImportRole",
                `BedrockCMIExecutionRole-${DEV}`,
                "Pulumi.research.yaml",
            );
        });

        it("rejects an import job outside the VPC when research allows reads only through the VPC endpoint", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const model = JSON.parse(dev["cross-account-models:modelImport"]);
            const message = await failedRun(
                "dev",
                withConfig(dev, { "cross-account-models:modelImport": { ...model, runInVpc: false } }),
                upstream,
            );
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "cross-account-models:modelImport.runInVpc",
                "requireVpcEndpoint",
                "Pulumi.research.yaml",
            );
        });

        it("tells the operator to deploy the research stack first when it has no exports", async () => {
            const message = await failedRun("dev", dev, {});
            assert.match(message, /has no output accountId.*pulumi up -s research/s);
        });

        it("names the stack and the export when research's exports do not fit the contract (another program version), instead of deploying with them", async () => {
            const upstream = researchExports(await shippedStack("research"));
            const [first, ...rest] = upstream.rekognition!.consumers;
            const { accessRoleArn: _dropped, ...withoutRole } = first;
            const message = await failedRun("prod", readStackConfig("prod"), {
                ...upstream,
                rekognition: { ...upstream.rekognition!, consumers: [withoutRole, ...rest] },
            });
            assertNames(
                message,
                "Stack organization/cross-account-models/research exports rekognition.consumers[0].accessRoleArn is missing; expected a string",
                "pulumi up -s research",
            );
            const renamed = { ...upstream, artifactKey: upstream.artifactKeyArn, artifactKeyArn: undefined };
            assertNames(
                await failedRun("dev", dev, renamed),
                "Stack organization/cross-account-models/research has no output artifactKeyArn",
                "pulumi up -s research",
            );
            const notAList = await failedRun("dev", dev, { ...upstream, consumers: "dev,prod" });
            assertNames(notAList, "organization/cross-account-models/research", 'exports consumers is "dev,prod"; expected a list');
        });
    });
});
