/**
 * An STS endpoint for the SDK's own STS client (credentialsOf's request handler): records each
 * request's form fields and answers AssumeRole with fixed credentials, so a test sees what the SDK
 * sends and which credentials the caller then holds, without a network.
 */
import { Readable } from "stream";

/** The access key ID of the credentials every AssumeRole answer carries. */
export const ASSUMED_KEY_ID = "ASIAASSUMED";

export function fakeSts(roleArn: string) {
    const requests: URLSearchParams[] = [];
    const requestHandler = {
        handle: async (request: { body?: string }) => {
            requests.push(new URLSearchParams(String(request.body ?? "")));
            const xml = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>${ASSUMED_KEY_ID}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>${roleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>`;
            return { response: { statusCode: 200, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(xml)]) } };
        },
    };
    return { requests, requestHandler };
}

/** Caller credentials in the environment for the duration of a suite: what the SDK's default chain signs AssumeRole with. */
export function withCallerCredentials(): void {
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
}
