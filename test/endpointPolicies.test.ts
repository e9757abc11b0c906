/**
 * The VPC endpoint policies on their own: what they let through and what they refuse, judged by
 * the IAM simulator against an over-privileged caller and resources open to everyone, so the
 * endpoint policy is the only thing that can refuse.
 */
import { strict as assert } from "assert";
import { simulate } from "../proof/access/simulator";
import { PolicyDocument, policy } from "../lib/policies/document";
import { interfaceEndpointPolicy, s3GatewayEndpointPolicy } from "../lib/policies/network";
import { INTERFACE_ENDPOINTS } from "../lib/endpoints";
import { DEV, OUTSIDER, REGION, RESEARCH } from "./helpers";

const ADMIN = policy([{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }]);
const OPEN = policy([{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }]);
const TRUSTED = [DEV, RESEARCH];
const caller = (account: string) => `arn:aws:iam::${account}:role/workload`;

async function through(
    endpoint: PolicyDocument,
    principal: string,
    action: string,
    resource: string,
    resourceAccount: string,
    context: Record<string, string> = {},
): Promise<boolean> {
    const decision = await simulate({
        principal,
        action,
        resource,
        resourceAccount,
        context: { "aws:SecureTransport": "true", ...context },
        identityPolicies: [ADMIN],
        resourcePolicy: OPEN,
        vpcEndpointPolicies: [endpoint],
    });
    return decision.allowed;
}

describe("VPC endpoint policies", () => {
    const kms = interfaceEndpointPolicy(INTERFACE_ENDPOINTS.kms, TRUSTED, TRUSTED);
    const key = (account: string) => `arn:aws:kms:${REGION}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

    it("kms: trusted principals use keys of trusted accounts, never another account's key, never administration", async () => {
        assert.equal(await through(kms, caller(DEV), "kms:Decrypt", key(RESEARCH), RESEARCH), true);
        assert.equal(await through(kms, caller(DEV), "kms:GenerateDataKey", key(DEV), DEV), true);
        assert.equal(
            await through(kms, caller(DEV), "kms:Encrypt", key(OUTSIDER), OUTSIDER),
            false,
            "a key of an outside account (exfiltration)",
        );
        assert.equal(await through(kms, caller(OUTSIDER), "kms:Decrypt", key(DEV), DEV), false, "credentials of an outside account");
        assert.equal(await through(kms, caller(DEV), "kms:ScheduleKeyDeletion", key(DEV), DEV), false, "administration");
    });

    it("sts: trusted principals assume roles of trusted accounts only", async () => {
        const sts = interfaceEndpointPolicy(INTERFACE_ENDPOINTS.sts, TRUSTED, TRUSTED);
        assert.equal(
            await through(sts, caller(DEV), "sts:AssumeRole", `arn:aws:iam::${RESEARCH}:role/RekognitionModelAccess-${DEV}`, RESEARCH),
            true,
        );
        assert.equal(await through(sts, caller(DEV), "sts:AssumeRole", `arn:aws:iam::${OUTSIDER}:role/anything`, OUTSIDER), false);
        assert.equal(await through(sts, caller(DEV), "sts:GetCallerIdentity", "*", DEV), true);
        // (GetCallerIdentity needs no permission at all, so no policy can refuse it; it reveals nothing but the caller.)
        assert.equal(
            await through(sts, caller(OUTSIDER), "sts:AssumeRole", `arn:aws:iam::${RESEARCH}:role/RekognitionModelAccess-${DEV}`, RESEARCH),
            false,
        );
    });

    it("rekognition, ssm and bedrock-runtime: only the calls the workloads make", async () => {
        const rek = interfaceEndpointPolicy(INTERFACE_ENDPOINTS.rekognition, TRUSTED, TRUSTED);
        const version = (account: string) => `arn:aws:rekognition:${REGION}:${account}:project/p/version/v/1`;
        assert.equal(await through(rek, caller(DEV), "rekognition:DetectCustomLabels", version(RESEARCH), RESEARCH), true);
        assert.equal(await through(rek, caller(DEV), "rekognition:DetectCustomLabels", version(OUTSIDER), OUTSIDER), false);
        assert.equal(await through(rek, caller(DEV), "rekognition:DeleteProjectVersion", version(RESEARCH), RESEARCH), false);
        const ssm = interfaceEndpointPolicy(INTERFACE_ENDPOINTS.ssm, TRUSTED, TRUSTED);
        assert.equal(await through(ssm, caller(DEV), "ssm:GetParameter", `arn:aws:ssm:${REGION}:${DEV}:parameter/x`, DEV), true);
        assert.equal(await through(ssm, caller(DEV), "ssm:PutParameter", `arn:aws:ssm:${REGION}:${DEV}:parameter/x`, DEV), false);
        const runtime = interfaceEndpointPolicy(INTERFACE_ENDPOINTS["bedrock-runtime"], TRUSTED, TRUSTED);
        assert.equal(
            await through(runtime, caller(DEV), "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}:${DEV}:imported-model/abc`, DEV),
            true,
        );
        assert.equal(
            await through(
                runtime,
                caller(DEV),
                "bedrock:InvokeModel",
                `arn:aws:bedrock:${REGION}:${OUTSIDER}:imported-model/abc`,
                OUTSIDER,
            ),
            false,
        );
    });

    it("no interface endpoint allows a whole service", () => {
        for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
            const actions = interfaceEndpointPolicy(service, TRUSTED, TRUSTED).Statement.flatMap((s) => [s.Action].flat());
            assert.ok(actions.length > 0 && actions.every((a) => !/(^|:)\*$/.test(a)), `${name}: ${actions.join(", ")}`);
        }
    });

    describe("the S3 gateway endpoint", () => {
        const bucket = `model-artifacts-${RESEARCH}`;
        const s3 = (writableBuckets: string[] = []) =>
            s3GatewayEndpointPolicy("aws", REGION, {
                accountId: DEV,
                principalAccounts: TRUSTED,
                shared: [{ bucket, prefixes: ["mistral-model-weights/", "sagemaker-models/"] }],
                writableBuckets,
            });
        const object = (b: string, key: string) => `arn:aws:s3:::${b}/${key}`;

        it("reads research's bucket only under the shared prefixes", async () => {
            assert.equal(
                await through(s3(), caller(DEV), "s3:GetObject", object(bucket, "mistral-model-weights/config.json"), RESEARCH),
                true,
            );
            assert.equal(await through(s3(), caller(DEV), "s3:GetObject", object(bucket, "sagemaker-models/model.tar.gz"), RESEARCH), true);
            assert.equal(
                await through(s3(), caller(DEV), "s3:ListBucket", `arn:aws:s3:::${bucket}`, RESEARCH, {
                    "s3:prefix": "mistral-model-weights/",
                }),
                true,
            );
            assert.equal(await through(s3(), caller(DEV), "s3:GetObject", object(bucket, "other-team/data.csv"), RESEARCH), false);
            assert.equal(
                await through(s3(), caller(DEV), "s3:ListBucket", `arn:aws:s3:::${bucket}`, RESEARCH, { "s3:prefix": "other-team/" }),
                false,
            );
        });
        it("writes to no bucket of research or another account, and only to named buckets of this account", async () => {
            assert.equal(await through(s3(), caller(DEV), "s3:PutObject", object(bucket, "mistral-model-weights/x"), RESEARCH), false);
            assert.equal(await through(s3(), caller(DEV), "s3:PutObject", object(`exfil-${OUTSIDER}`, "x"), OUTSIDER), false);
            assert.equal(
                await through(s3(), caller(DEV), "s3:PutObject", object(`outputs-${DEV}`, "x"), DEV),
                false,
                "nothing writable unless named",
            );
            assert.equal(await through(s3([`outputs-${DEV}`]), caller(DEV), "s3:PutObject", object(`outputs-${DEV}`, "x"), DEV), true);
            assert.equal(await through(s3([`outputs-${DEV}`]), caller(DEV), "s3:PutObject", object(`other-${DEV}`, "x"), DEV), false);
        });
        it("reads this account's buckets and ECR's layer bucket, refuses outside principals", async () => {
            assert.equal(await through(s3(), caller(DEV), "s3:GetObject", object(`outputs-${DEV}`, "x"), DEV), true);
            assert.equal(
                await through(s3(), caller(DEV), "s3:GetObject", object(`prod-${REGION}-starport-layer-bucket`, "layer"), "000000000000"),
                true,
            );
            assert.equal(
                await through(s3(), caller(OUTSIDER), "s3:GetObject", object(bucket, "mistral-model-weights/config.json"), RESEARCH),
                false,
            );
        });
    });
});
