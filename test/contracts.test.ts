/**
 * The contracts between the stacks (lib/contracts): each covers everything its program exports,
 * and a value from another stack that does not fit is refused naming the stack and the export.
 */
import { strict as assert } from "assert";
import { runStack } from "../proof/runtime/runStack";
import { parseEndpointFeedback } from "../lib/contracts/hosting";
import { parseOrganizationExports } from "../lib/contracts/organization";
import { requireExport } from "../lib/contracts/check";
import { hostingExports, researchExports, shippedStack, withConfig } from "./helpers";
import { declaredReferences, discoverReferences } from "../proof/runtime/runEnvironment";
import { listStacks, readStackConfig } from "../ops/project";
import { readProjectStacks } from "../lib/config/projectStacks";

/** The value as another stack reads it: JSON, without the absent optional exports. */
const asRead = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("contracts between the stacks", () => {
    it("cover every export of the shipped research, hosting and organization stacks", async function () {
        this.timeout(60_000);
        const research = await shippedStack("research");
        assert.deepEqual(asRead(researchExports(research)), asRead(research.outputs));
        for (const stack of ["dev", "prod"]) {
            const run = await shippedStack(stack);
            assert.deepEqual(asRead(hostingExports(run)), asRead(run.outputs), stack);
        }
        const org = await runStack("org");
        assert.deepEqual(asRead(parseOrganizationExports("org", org.outputs)), asRead(org.outputs));
    });

    it("research reads nothing back from a pinned consumer stack not deployed yet, and refuses endpoint IDs of another form", () => {
        const dev = "organization/cross-account-models/dev";
        assert.deepEqual(parseEndpointFeedback(dev, {}), {});
        assert.deepEqual(parseEndpointFeedback(dev, { s3EndpointId: "vpce-0a", interfaceEndpointIds: { kms: "vpce-0b" } }), {
            s3EndpointId: "vpce-0a",
            interfaceEndpointIds: { kms: "vpce-0b" },
        });
        assert.throws(
            () => parseEndpointFeedback(dev, { interfaceEndpointIds: ["vpce-0b"] }),
            /^ExportsError: Stack organization\/cross-account-models\/dev exports interfaceEndpointIds is \["vpce-0b"\]; expected a map\. Deploy it with this version of the program \(pulumi up -s dev\)\.$/,
        );
        assert.throws(
            () => parseEndpointFeedback(dev, { interfaceEndpointIds: { kms: 7 } }),
            /exports interfaceEndpointIds\.kms is 7; expected a string/,
        );
    });

    it("names the export a configured capability needs when a stack lacks it", async () => {
        const exports = hostingExports(await shippedStack("dev"));
        assert.equal(requireExport("dev", exports, "cmiRoleArn", "it is a hosting stack"), exports.cmiRoleArn);
        assert.throws(
            () =>
                requireExport(
                    "dev",
                    { ...exports, rekognitionAppRoleArn: undefined },
                    "rekognitionAppRoleArn",
                    "its configuration sets rekognition",
                ),
            /Stack dev has no output rekognitionAppRoleArn, though its configuration sets rekognition\. Deploy it again \(pulumi up -s dev\)\./,
        );
    });

    // The live orchestrator orders stacks by what their stack files declare (lib/contracts/references.ts),
    // without running programs: that must be exactly the StackReferences each program registers.
    it("the references each stack file declares are exactly those its program registers", async function () {
        this.timeout(120_000);
        const research = readStackConfig("research");
        const cases = [
            ...listStacks().map((stack) => [stack, readStackConfig(stack)] as const),
            ["research", withConfig(research, { "cross-account-models:perimeter": { mode: "endpoint-id" } })] as const,
            ["research", withConfig(research, { "cross-account-models:perimeter": { pinnedStacks: ["prod"] } })] as const,
        ];
        for (const [stack, config] of cases) {
            const declared = declaredReferences(stack, config, readProjectStacks());
            assert.deepEqual(declared, await discoverReferences(stack, config), stack);
        }
        // Not vacuous: both kinds occur.
        assert.deepEqual(declaredReferences("dev", readStackConfig("dev")).upstream, ["research"]);
        assert.deepEqual(declaredReferences("research", cases.at(-2)![1]).feedback, ["dev", "prod"]);
    });
});
