/**
 * The identity of the project's own AWS calls (the import job, the rollout's registry calls): the
 * deployment role of `aws:assumeRoles`, assumed through STS by the SDK's own credential provider
 * (fromTemporaryCredentials), exactly as the stack's AWS provider assumes it. The STS request is
 * answered by a local request handler, so the test sees what the SDK sends.
 */
import * as assert from "assert";
import { credentialsOf } from "../lib/awsCredentials";
import { fakeSts, withCallerCredentials } from "./support/fakeSts";

const ROLE = "arn:aws:iam::777788889999:role/CrossAccountModelsDeployment-777788889999";

describe("credentials of the project's own AWS calls", () => {
    withCallerCredentials();

    it("assumes the stack's deployment role with its session name and external ID", async () => {
        const sts = fakeSts(ROLE);
        const provider = credentialsOf(
            {
                region: "us-east-1",
                assumeRole: { roleArn: ROLE, sessionName: "cross-account-models-dev", externalId: "ext-123" },
            },
            { requestHandler: sts.requestHandler as never },
        );
        const credentials = await provider!();
        assert.equal(credentials.accessKeyId, "ASIAASSUMED");
        assert.equal(sts.requests.length, 1);
        const form = sts.requests[0];
        assert.deepEqual(
            [form.get("Action"), form.get("RoleArn"), form.get("RoleSessionName"), form.get("ExternalId")],
            ["AssumeRole", ROLE, "cross-account-models-dev", "ext-123"],
        );
    });

    it("sends no external ID when the stack sets none", async () => {
        const sts = fakeSts(ROLE);
        await credentialsOf(
            { region: "us-east-1", assumeRole: { roleArn: ROLE, sessionName: "s1" } },
            { requestHandler: sts.requestHandler as never },
        )!();
        assert.equal(sts.requests[0].get("ExternalId"), null);
    });

    it("leaves the SDK's default chain alone without a role or profile", () => {
        assert.equal(credentialsOf({ region: "us-east-1" }), undefined);
    });
});
