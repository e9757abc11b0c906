/**
 * The AWS provider plugin the real Pulumi CLI runs here (proof/engine/awsProvider), started as the
 * engine starts a plugin and called over gRPC with the engine's messages: its version, the account
 * guard at Configure, the policy checks at Check, replace or update at Diff, and IDs and ARNs at
 * Create equal to those the mock simulation registers for the shipped research stack.
 */
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PROJECT_DIR } from "../../ops/project";
import { StackRun } from "../../proof/runtime/runStack";
import { DEV, OUTSIDER, RESEARCH, REGION, resource, shippedStack } from "../helpers";
import { Props, secret } from "../support/providerEngine";

const providerProto = require("@pulumi/pulumi/proto/provider_pb.js");
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");

const LAUNCHER = path.join(PROJECT_DIR, "proof/engine/plugins/pulumi-resource-aws");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const { DIFF_NONE, DIFF_SOME } = providerProto.DiffResponse.DiffChanges;

class AwsPlugin {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {}

    /**
     * As the engine starts a plugin: its executable with the engine's address as argument, in
     * another folder than the project, the port read from its first line (newPlugin,
     * sdk/go/common/resource/plugin/plugin.go).
     */
    static async start(env: Record<string, string> = {}): Promise<AwsPlugin> {
        const child = spawn(LAUNCHER, ["127.0.0.1:0"], {
            cwd: os.tmpdir(),
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (chunk) => {
                out += chunk;
                const port = /^(\d+)\n/.exec(out);
                if (port) resolve(port[1]);
            });
            child.stderr!.on("data", (chunk) => (out += chunk));
            child.on("exit", (code) => reject(new Error(`${LAUNCHER} exited with ${code}:\n${out}`)));
        });
        const Client = grpc.makeGenericClientConstructor(providerRpc.ResourceProviderService, "ResourceProvider");
        return new AwsPlugin(child, new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    }

    call(method: string, request: unknown): Promise<any> {
        return new Promise((resolve, reject) =>
            this.client[method](request, (err: grpc.ServiceError | null, response: any) =>
                err ? reject(new Error(err.details)) : resolve(response),
            ),
        );
    }

    /** With `asVariables`, the settings only as engines before `args` sent them: `aws:config:<key>`, strings. */
    async configure(args: Props, asVariables = false): Promise<boolean> {
        const request = new providerProto.ConfigureRequest();
        if (!asVariables) request.setArgs(Struct.fromJavaScript(args as never));
        for (const [key, value] of Object.entries(args)) {
            request.getVariablesMap().set(`aws:config:${key}`, typeof value === "string" ? value : JSON.stringify(value));
        }
        request.setAcceptsecrets(true);
        request.setAcceptresources(true);
        return (await this.call("configure", request)).getAcceptsecrets();
    }

    async check(urn: string, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const request = new providerProto.CheckRequest();
        request.setUrn(urn);
        request.setOlds(Struct.fromJavaScript({}));
        request.setNews(Struct.fromJavaScript(news as never));
        const response = await this.call("check", request);
        const failures = response.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() }));
        return { inputs: response.getInputs().toJavaScript(), failures };
    }

    async diff(urn: string, olds: Props, oldInputs: Props, news: Props) {
        const request = new providerProto.DiffRequest();
        request.setUrn(urn);
        request.setId("id");
        request.setOlds(Struct.fromJavaScript(olds as never));
        request.setOldInputs(Struct.fromJavaScript(oldInputs as never));
        request.setNews(Struct.fromJavaScript(news as never));
        const response = await this.call("diff", request);
        return {
            changes: response.getChanges(),
            replaces: response.getReplacesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
        };
    }

    async create(urn: string, properties: Props, preview = false): Promise<{ id: string; properties: Props }> {
        const request = new providerProto.CreateRequest();
        request.setUrn(urn);
        request.setProperties(Struct.fromJavaScript(properties as never));
        request.setPreview(preview);
        const response = await this.call("create", request);
        return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    }

    async invoke(token: string): Promise<Props> {
        const request = new providerProto.InvokeRequest();
        request.setTok(token);
        request.setArgs(Struct.fromJavaScript({}));
        return (await this.call("invoke", request)).getReturn().toJavaScript();
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}

/** A stack's `aws:` settings as the engine sends a default provider's: keys without the prefix, lists and objects as JSON strings. */
const providerConfig = (run: StackRun): Props =>
    Object.fromEntries(
        Object.entries(run.config)
            .filter(([key]) => key.startsWith("aws:"))
            .map(([key, value]) => [key.slice(4), value]),
    );

const role = (account: string) => `arn:aws:iam::${account}:role/CrossAccountModelsDeployment-${account}`;
const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ROLE = "aws:iam/role:Role";

describe("the engine's AWS provider plugin (proof/engine/awsProvider)", () => {
    let plugin: AwsPlugin;
    let research: StackRun;

    before(async () => {
        [plugin, research] = await Promise.all([AwsPlugin.start({ CROSS_ACCOUNT_MODELS_LOCAL_ACCOUNT: "" }), shippedStack("research")]);
        await plugin.configure(providerConfig(research));
    });
    after(() => plugin?.stop());

    it("reports the version of @pulumi/aws the programs are written against", async () => {
        const info = await plugin.call("getPluginInfo", new Empty());
        assert.equal(info.getVersion(), require("@pulumi/aws/package.json").version);
        assert.equal(info.getVersion(), "7.48.0");
    });

    it("refuses to configure for an assumed role's account outside allowedAccountIds, in the AWS provider's words", async () => {
        const outsider = { region: REGION, allowedAccountIds: [RESEARCH], assumeRoles: [{ roleArn: role(OUTSIDER) }] };
        await assert.rejects(plugin.configure(outsider), { message: `AWS account ID not allowed: ${OUTSIDER}` });
        // As older engines send a default provider's settings: JSON in strings.
        const encoded = { ...outsider, allowedAccountIds: JSON.stringify([RESEARCH]), assumeRoles: JSON.stringify(outsider.assumeRoles) };
        await assert.rejects(plugin.configure(encoded), { message: `AWS account ID not allowed: ${OUTSIDER}` });
        await assert.rejects(plugin.configure(encoded, true), { message: `AWS account ID not allowed: ${OUTSIDER}` });
        assert.equal(await plugin.configure({ ...encoded, assumeRoles: JSON.stringify([{ roleArn: role(RESEARCH) }]) }), true);
        assert.equal(await plugin.configure(providerConfig(research)), true);
    });

    it("without a role to assume, the caller is the local account the environment names", async () => {
        const local = await AwsPlugin.start({ CROSS_ACCOUNT_MODELS_LOCAL_ACCOUNT: OUTSIDER });
        try {
            await assert.rejects(local.configure({ region: REGION, allowedAccountIds: [RESEARCH] }), {
                message: `AWS account ID not allowed: ${OUTSIDER}`,
            });
            await local.configure({ region: REGION, allowedAccountIds: [RESEARCH, OUTSIDER] });
            assert.equal((await local.invoke("aws:index/getCallerIdentity:getCallerIdentity")).accountId, OUTSIDER);
        } finally {
            local.stop();
        }
    });

    it("answers getCallerIdentity with the assumed role's account", async () => {
        await plugin.configure({ region: REGION, allowedAccountIds: [RESEARCH, DEV], assumeRoles: [{ roleArn: role(DEV) }] });
        try {
            const identity = await plugin.invoke("aws:index/getCallerIdentity:getCallerIdentity");
            assert.equal(identity.accountId, DEV);
        } finally {
            await plugin.configure(providerConfig(research));
        }
        assert.equal((await plugin.invoke("aws:index/getCallerIdentity:getCallerIdentity")).accountId, RESEARCH);
    });

    it("accepts the shipped policies, and refuses an empty Statement, invalid JSON and a bucket policy over 20 KB", async () => {
        const bucketPolicy = resource(research, BUCKET_POLICY, "artifacts-artifacts-policy");
        for (const r of [
            bucketPolicy,
            resource(research, ROLE, "rekognition-dev-role"),
            resource(research, "aws:kms/key:Key", "artifacts-key-key"),
        ]) {
            const { inputs, failures } = await plugin.check(r.urn, r.inputs);
            assert.deepEqual(failures, [], r.name);
            assert.deepEqual(inputs, JSON.parse(JSON.stringify(r.inputs)));
        }
        const document = JSON.parse(bucketPolicy.inputs.policy);
        const refusal = async (policy: string) => (await plugin.check(bucketPolicy.urn, { ...bucketPolicy.inputs, policy })).failures;
        const [empty] = await refusal(JSON.stringify({ ...document, Statement: [] }));
        assert.deepEqual(empty, { property: "policy", reason: "MalformedPolicyDocument: the bucket policy has no statement" });
        assert.match(
            (await refusal(bucketPolicy.inputs.policy.slice(0, -1)))[0].reason,
            /^MalformedPolicyDocument: the bucket policy is not valid JSON/,
        );
        const statements = Array.from({ length: 60 }, (_, i) =>
            document.Statement.map((s: Props) => ({ ...s, Sid: `${s.Sid}${i}` })),
        ).flat();
        const oversize = JSON.stringify({ ...document, Statement: statements });
        assert.ok(Buffer.byteLength(oversize) > 20 * 1024);
        assert.match((await refusal(oversize))[0].reason, /^LimitExceeded: the bucket policy is \d+ bytes; AWS allows 20480/);
        // A statement without Resource: IAM requires it of an identity policy, not of a trust policy.
        const detect = resource(research, "aws:iam/rolePolicy:RolePolicy", "rekognition-dev-detect");
        const noResource = (policy: string) => {
            const doc = JSON.parse(policy);
            return JSON.stringify({ ...doc, Statement: doc.Statement.map(({ Resource: _, ...s }: Props) => s) });
        };
        assert.match(
            (await plugin.check(detect.urn, { ...detect.inputs, policy: noResource(detect.inputs.policy) })).failures[0].reason,
            /has no Resource/,
        );
        // In a preview a policy may not be known yet: nothing to check.
        assert.deepEqual((await plugin.check(bucketPolicy.urn, { ...bucketPolicy.inputs, policy: UNKNOWN })).failures, []);
    });

    it("replaces on a property the AWS provider replaces on, updates in place otherwise, and finds no change in the same inputs", async () => {
        const bucket = resource(research, BUCKET, "artifacts-artifacts-bucket");
        const renamed = await plugin.diff(bucket.urn, bucket.state, bucket.inputs, { ...bucket.inputs, bucket: "model-artifacts-renamed" });
        assert.deepEqual(renamed, { changes: DIFF_SOME, replaces: ["bucket"], deleteBeforeReplace: true });
        const retagged = await plugin.diff(bucket.urn, bucket.state, bucket.inputs, { ...bucket.inputs, tags: { team: "ml" } });
        assert.deepEqual(retagged, { changes: DIFF_SOME, replaces: [], deleteBeforeReplace: false });

        const trustee = resource(research, ROLE, "rekognition-dev-role");
        const described = await plugin.diff(trustee.urn, trustee.state, trustee.inputs, { ...trustee.inputs, description: "changed" });
        assert.deepEqual(described, { changes: DIFF_SOME, replaces: [], deleteBeforeReplace: false });
        for (const r of [bucket, trustee]) {
            assert.deepEqual(await plugin.diff(r.urn, r.state, r.inputs, r.inputs), {
                changes: DIFF_NONE,
                replaces: [],
                deleteBeforeReplace: false,
            });
        }
    });

    it("creates every AWS resource of the research stack with the ID and state the mock simulation registers", async () => {
        const resources = research.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        assert.ok(resources.length > 20, `${resources.length} resources`);
        for (const r of resources) {
            const { id, properties } = await plugin.create(r.urn, r.inputs);
            const { id: simulatedId, ...simulated } = r.state;
            assert.equal(id, simulatedId, r.urn);
            assert.equal(properties.arn, simulated.arn, r.urn);
            assert.deepEqual(properties, JSON.parse(JSON.stringify(simulated)), r.urn);
        }
    });

    it("in a preview, creates nothing: no ID, and what AWS computes unknown", async () => {
        const key = resource(research, "aws:kms/key:Key", "artifacts-key-key");
        const { id, properties } = await plugin.create(key.urn, key.inputs, true);
        assert.equal(id, "");
        assert.equal(properties.arn, UNKNOWN);
        assert.equal(properties.keyId, UNKNOWN);
        assert.equal(properties.description, key.inputs.description);
    });

    it("keeps a secret input secret in the outputs, also where AWS's attribute overlays it", async () => {
        const bucket = resource(research, BUCKET, "artifacts-artifacts-bucket");
        const { id, properties } = await plugin.create(bucket.urn, { ...bucket.inputs, bucket: secret(bucket.inputs.bucket) });
        assert.equal(id, bucket.state.id);
        assert.deepEqual(properties.bucket, secret(bucket.inputs.bucket));
        assert.equal(properties.arn, bucket.state.arn);
    });
});
