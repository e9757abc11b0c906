/**
 * Lists that need at least one item: empty (or missing, where the setting is required), each is
 * refused before anything is declared, naming the key, the stack file, what an empty list would
 * do and the expected form. Lists where none is a valid choice stay accepted empty.
 */
import { strict as assert } from "assert";
import { HostingConfig, ResearchConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { assertNames, configError, refusedRun } from "./expect";

const P = "cross-account-models";

describe("configuration: lists that need at least one item", () => {
    const stacks = readProjectStacks();
    const dev = readStackConfig("dev");
    const research = readStackConfig("research");
    const hosting = () => JSON.parse(dev[`${P}:sagemaker`]);
    const registry = () => JSON.parse(research[`${P}:sagemaker`]);
    const share = () => JSON.parse(research[`${P}:rekognition`]);
    const consumers = () => JSON.parse(research[`${P}:consumers`]);

    it("refuses sagemaker.deployerArns empty or missing: the deployment role's trust would name no role", async () => {
        const empty = await refusedRun("dev", withConfig(dev, { [`${P}:sagemaker`]: { ...hosting(), deployerArns: [] } }));
        assertNames(
            empty,
            "Pulumi.dev.yaml",
            `${P}:sagemaker.deployerArns: is empty`,
            "the deployment role's trust would name no role (an empty ArnEquals on aws:PrincipalArn)",
            `expected a list of role ARNs of this account or of the development account, e.g. ["arn:aws:iam::111122223333:role/ml-deployment-pipeline"], with at least one item`,
        );
        const { deployerArns: _, ...without } = hosting();
        assertNames(
            configError("dev", withConfig(dev, { [`${P}:sagemaker`]: without }), { stacks }),
            "Pulumi.dev.yaml",
            `${P}:sagemaker.deployerArns: is required; expected a list of role ARNs`,
        );
    });

    it("refuses sagemaker.availabilityZones empty: the model would have no subnet (leaving it out means every zone)", () => {
        assertNames(
            configError("dev", withConfig(dev, { [`${P}:sagemaker`]: { ...hosting(), availabilityZones: [] } }), { stacks }),
            "Pulumi.dev.yaml",
            `${P}:sagemaker.availabilityZones: is empty`,
            "the model would have no subnet",
            "or no availabilityZones for every zone of the VPC, with at least one item",
        );
    });

    it("refuses the registry's targets and approvedModelPackages empty or missing", () => {
        const message = configError(
            "research",
            withConfig(research, { [`${P}:sagemaker`]: { ...registry(), targets: [], approvedModelPackages: [] } }),
            { stacks },
        );
        assertNames(
            message,
            "Pulumi.research.yaml",
            `${P}:sagemaker.targets: is empty`,
            "the registry's resource policy (and the inference image repository's) would have no statement",
            `expected a list of {stack, accountId}, e.g. [{stack: dev, accountId: "777788889999"}], with at least one item`,
        );
        assertNames(
            message,
            "Pulumi.research.yaml",
            `${P}:sagemaker.approvedModelPackages: is empty`,
            "no target could serve a package",
            `expected a list of version ARNs of abalone-models in this account`,
        );
        const { targets: _t, approvedModelPackages: _a, ...without } = registry();
        const missing = configError("research", withConfig(research, { [`${P}:sagemaker`]: without }), { stacks });
        assertNames(missing, "Pulumi.research.yaml", `${P}:sagemaker.targets: is required`);
        assertNames(missing, "Pulumi.research.yaml", `${P}:sagemaker.approvedModelPackages: is required`);
    });

    it("refuses a Rekognition consumer's grantedVersions empty or missing: its application could call no version", () => {
        const rekognition = share();
        rekognition.consumers[0].grantedVersions = [];
        delete rekognition.consumers[1].grantedVersions;
        const message = configError("research", withConfig(research, { [`${P}:rekognition`]: rekognition }), { stacks });
        assertNames(
            message,
            "Pulumi.research.yaml",
            `${P}:rekognition.consumers[0].grantedVersions: is empty`,
            "the consumer's access role would allow no version",
            "expected a list of model version ARNs of this (ML) account",
        );
        assertNames(message, "Pulumi.research.yaml", `${P}:rekognition.consumers[1].grantedVersions: is required`);
    });

    it("refuses a consumer's prefixes empty, which would read as the whole bucket", () => {
        const list = consumers();
        list[1].prefixes = [];
        assertNames(
            configError("research", withConfig(research, { [`${P}:consumers`]: list }), { stacks }),
            "Pulumi.research.yaml",
            `${P}:consumers[1].prefixes: is empty`,
            "the role could read the whole bucket",
            `or no prefixes for the whole bucket`,
        );
        // Left out, prefixes mean the whole bucket, as documented.
        delete list[1].prefixes;
        const parsed = parseStackConfig("research", withConfig(research, { [`${P}:consumers`]: list }), { stacks }) as ResearchConfig;
        assert.deepEqual(parsed.consumers[1].prefixes, []);
    });

    it("accepts empty the lists where none is a valid choice", () => {
        const hostingConfig = parseStackConfig("dev", withConfig(dev, { [`${P}:troubleshooterArns`]: [] }), { stacks }) as HostingConfig;
        assert.deepEqual(hostingConfig.troubleshooterArns, []);
        const researchConfig = parseStackConfig(
            "research",
            withConfig(research, {
                // No Bedrock consumer yet, a project shared with nobody, no stack pinned.
                [`${P}:consumers`]: [],
                [`${P}:rekognition`]: { ...share(), consumers: [] },
                [`${P}:perimeter`]: { pinnedStacks: [] },
            }),
            { stacks },
        ) as ResearchConfig;
        assert.deepEqual([researchConfig.consumers, researchConfig.rekognition?.consumers], [[], []]);
        const bootstrap = readStackConfig("bootstrap-dev");
        const deployment = JSON.parse(bootstrap[`${P}:deployment`]);
        assert.doesNotThrow(() =>
            parseStackConfig("bootstrap-dev", withConfig(bootstrap, { [`${P}:deployment`]: { ...deployment, operatorArns: [] } }), {
                stacks,
            }),
        );
    });
});
