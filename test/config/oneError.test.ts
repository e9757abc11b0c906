/**
 * One refused value, one error: what is checked against a refused value (this stack's account,
 * Region or partition, the development account, the list of consumers) is not checked until that
 * value is valid, so no second, confusing error follows from the first.
 */
import { strict as assert } from "assert";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { configError, refusedRun } from "./expect";

const P = "cross-account-models";

/** The error's lines after its header. */
const issuesOf = (message: string) => message.split("\n").slice(1);

describe("configuration: one refused value, one error", () => {
    const stacks = readProjectStacks();
    const dev = readStackConfig("dev");
    const research = readStackConfig("research");

    it("reports an 11-digit account ID alone, not also every role ARN checked against the account", async () => {
        const message = await refusedRun("dev", withConfig(dev, { "aws:allowedAccountIds": ["77778888999"] }));
        assert.deepEqual(issuesOf(message), [
            `  - aws:allowedAccountIds[0]: "77778888999" is not an AWS account ID; expected exactly 12 digits, quoted, e.g. "111122223333"`,
        ]);
        // Before: troubleshooterArns[0] "is not a role of this stack's account; expected arn:aws:iam:::role/<name>".
        assert.ok(!message.includes("troubleshooterArns"), message);
        for (const stack of ["research", "bootstrap-dev", "org"]) {
            const other = configError(stack, withConfig(readStackConfig(stack), { "aws:allowedAccountIds": ["1111222233334"] }), {
                stacks,
            });
            assert.equal(issuesOf(other).length, 1, other);
        }
    });

    it("still refuses what is not a role ARN while the account is refused", () => {
        const message = configError(
            "dev",
            withConfig(dev, { "aws:allowedAccountIds": ["77778888999"], [`${P}:troubleshooterArns`]: ["ml-platform-operator"] }),
        );
        assert.equal(issuesOf(message).length, 2, message);
        assert.ok(message.includes(`${P}:troubleshooterArns[0]: "ml-platform-operator" is not an IAM role ARN`), message);
    });

    it("reports a refused Region alone, not also the partition of role ARNs it would have given", () => {
        const cn = withConfig(dev, {
            "aws:region": "cn-nowhere-1",
            "aws:assumeRoles": [{ roleArn: "arn:aws-cn:iam::777788889999:role/CrossAccountModelsDeployment-777788889999" }],
            [`${P}:troubleshooterArns`]: ["arn:aws-cn:iam::777788889999:role/ml-platform-operator"],
        });
        const message = configError("dev", cn, { stacks });
        assert.equal(issuesOf(message).length, 1, message);
        assert.match(message, /aws:region: "cn-nowhere-1" is not a Region AWS has/);
    });

    it("does not check a pinned stack against the consumers while a consumer entry is refused", () => {
        const config = withConfig(research, {
            [`${P}:consumers`]: [
                { stack: "dev", accountId: "777788889999" },
                { stack: "prod", accountId: "44445555666" },
            ],
            [`${P}:rekognition`]: undefined,
            [`${P}:sagemaker`]: undefined,
            [`${P}:perimeter`]: { pinnedStacks: ["prod"] },
        });
        const message = configError("research", config, { stacks });
        assert.deepEqual(issuesOf(message), [
            `  - ${P}:consumers[1].accountId: "44445555666" is not an AWS account ID; expected exactly 12 digits, quoted, e.g. "111122223333"`,
        ]);
        // With every entry valid, a stack that is no consumer is still refused.
        const typo = configError("research", withConfig(config, { [`${P}:consumers`]: [{ stack: "dev", accountId: "777788889999" }] }), {
            stacks,
        });
        assert.ok(typo.includes(`${P}:perimeter.pinnedStacks[0]: "prod" is not a consumer of this stack`), typo);
    });

    it("does not check versions against the ML account, nor packages against the group, while those are refused", () => {
        const registry = JSON.parse(research[`${P}:sagemaker`]);
        const message = configError(
            "research",
            withConfig(research, {
                "aws:allowedAccountIds": ["11112222333"],
                [`${P}:sagemaker`]: { ...registry, modelPackageGroupName: "abalone models" },
            }),
            { stacks },
        );
        assert.deepEqual(
            issuesOf(message).map((l) => l.split(":").slice(0, 2).join(":")),
            ["  - aws:allowedAccountIds[0]", `  - ${P}:sagemaker.modelPackageGroupName`],
            message,
        );
    });
});
