/**
 * The identity of the project's own AWS calls (the import job, the rollout's registry calls): the
 * deployment role of `aws:assumeRoles`, assumed through STS by the SDK's own credential provider
 * (fromTemporaryCredentials), exactly as the stack's AWS provider assumes it. The STS request is
 * answered by a local request handler, so the test sees what the SDK sends.
 */
import * as assert from "assert";
import { Readable } from "stream";
import { credentialsOf } from "../lib/awsCredentials";

const ROLE = "arn:aws:iam::777788889999:role/CrossAccountModelsDeployment-777788889999";

/** An STS endpoint that records each request's form fields and answers AssumeRole with fixed credentials. */
function fakeSts() {
    const requests: URLSearchParams[] = [];
    const requestHandler = {
        handle: async (request: { body?: string }) => {
            requests.push(new URLSearchParams(String(request.body ?? "")));
            const xml = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>${ROLE.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>`;
            return { response: { statusCode: 200, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(xml)]) } };
        },
    };
    return { requests, requestHandler };
}

describe("credentials of the project's own AWS calls", () => {
    const caller = { AWS_ACCESS_KEY_ID: "AKIACALLER", AWS_SECRET_ACCESS_KEY: "caller-secret" };
    const saved: Record<string, string | undefined> = {};
    before(() => {
        for (const [k, v] of Object.entries(caller)) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
    });
    after(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });

    it("assumes the stack's deployment role with its session name and external ID", async () => {
        const sts = fakeSts();
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
        const sts = fakeSts();
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
