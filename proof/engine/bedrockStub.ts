/**
 * A local stand-in for the Bedrock control plane's model import API on 127.0.0.1, answering the
 * REST JSON shapes of `@aws-sdk/client-bedrock` (paths and fields from its serializers), so the
 * dynamic provider runs unchanged with `AWS_ENDPOINT_URL_BEDROCK` pointing here. It keeps what
 * Bedrock enforces: unique job and model names, idempotency tokens, a model per completed job.
 */
import * as http from "http";
import { AddressInfo } from "net";

export interface StubJob {
    jobArn: string;
    jobName: string;
    importedModelName: string;
    roleArn: string;
    modelDataSource: { s3DataSource: { s3Uri: string } };
    importedModelKmsKeyArn: string;
    vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
    status: "InProgress" | "Completed" | "Failed";
    failureMessage?: string;
    importedModelArn?: string;
    token: string;
    tags: { key: string; value: string }[];
    /** Polls answered InProgress before the job completes. */
    pollsLeft: number;
}

export interface StubModel {
    modelArn: string;
    modelName: string;
    jobName: string;
    jobArn: string;
    modelDataSource: { s3DataSource: { s3Uri: string } };
    modelKmsKeyArn: string;
    tags: Map<string, string>;
}

/** How the stub misbehaves, set by a test. */
export interface StubScript {
    /** Polls a new job answers InProgress before completing. */
    pollsBeforeDone: number;
    /** Jobs end Failed with this message instead of completing. */
    failWith?: string;
    /** The next N GetModelImportJob calls are throttled (HTTP 429). */
    throttleGets: number;
    /** The next N CreateModelImportJob calls create the job but answer HTTP 500, as if the answer was lost. */
    loseCreateAnswers: number;
}

/** Bedrock creates the job and the model in the account of the job's service role (the caller's). */
const accountOf = (roleArn: string) => /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] ?? "777788889999";
const arnOf = (region: string, account: string, kind: string, id: string) => `arn:aws:bedrock:${region}:${account}:${kind}/${id}`;

class StubError extends Error {
    constructor(
        readonly status: number,
        readonly type: string,
        message: string,
    ) {
        super(message);
    }
}

export class BedrockStub {
    readonly jobs = new Map<string, StubJob>();
    readonly models = new Map<string, StubModel>();
    /** Every call: operation and the request body or identifier. */
    readonly calls: { op: string; input: any }[] = [];
    script: StubScript = { pollsBeforeDone: 1, throttleGets: 0, loseCreateAnswers: 0 };
    private counter = 0;

    private constructor(
        private readonly server: http.Server,
        readonly region: string,
    ) {}

    static async start(region = "us-east-1"): Promise<BedrockStub> {
        const server = http.createServer();
        const stub = new BedrockStub(server, region);
        server.on("request", (req, res) => stub.handle(req, res));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return stub;
    }

    get endpoint(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    reset(): void {
        this.jobs.clear();
        this.models.clear();
        this.calls.length = 0;
        this.script = { pollsBeforeDone: 1, throttleGets: 0, loseCreateAnswers: 0 };
    }

    /** Forgets idempotency tokens, as Bedrock does after a while. */
    forgetTokens(): void {
        for (const job of this.jobs.values()) job.token = "";
    }

    callsOf(op: string): any[] {
        return this.calls.filter((c) => c.op === op).map((c) => c.input);
    }

    job(identifier: string): StubJob | undefined {
        return [...this.jobs.values()].find((j) => j.jobArn === identifier || j.jobName === identifier);
    }

    model(identifier: string): StubModel | undefined {
        return [...this.models.values()].find((m) => m.modelArn === identifier || m.modelName === identifier);
    }

    stop(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            let status = 200;
            let answer: unknown;
            // STS (AWS_ENDPOINT_URL_STS points here too): the provider assumes the stack's deployment role first.
            if (req.method === "POST" && /x-www-form-urlencoded/.test(String(req.headers["content-type"]))) {
                this.assumeRole(new URLSearchParams(body), res);
                return;
            }
            try {
                [status, answer] = this.route(req.method!, decodeURIComponent(req.url!.split("?")[0]), body ? JSON.parse(body) : {});
            } catch (err) {
                const e = err instanceof StubError ? err : new StubError(500, "InternalServerException", String(err));
                status = e.status;
                answer = { message: e.message };
                res.setHeader("x-amzn-errortype", e.type);
            }
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(answer));
        });
    }

    /** STS AssumeRole's Query API answer (the shape @aws-sdk/client-sts deserializes), recorded as a call. */
    private assumeRole(form: URLSearchParams, res: http.ServerResponse): void {
        this.calls.push({ op: form.get("Action") ?? "?", input: Object.fromEntries(form) });
        const role = form.get("RoleArn") ?? "";
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIASTUBASSUMED</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>${role.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/${form.get("RoleSessionName")}</Arn><AssumedRoleId>AROASTUB:${form.get("RoleSessionName")}</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>`);
    }

    private route(method: string, path: string, body: any): [number, unknown] {
        const [, collection, id] = /^\/([^/]+)(?:\/(.+))?$/.exec(path) ?? [];
        const op = `${method} /${collection}${id ? "/{id}" : ""}`;
        this.calls.push({ op: OPS[op] ?? op, input: id ?? body });
        switch (OPS[op]) {
            case "CreateModelImportJob":
                return [201, this.create(body)];
            case "GetModelImportJob":
                return [200, this.getJob(id!)];
            case "GetImportedModel":
                return [200, this.describeModel(this.requireModel(id!))];
            case "DeleteImportedModel":
                this.models.delete(this.requireModel(id!).modelArn);
                return [200, {}];
            case "ListTagsForResource":
                return [200, { tags: this.tagged(body.resourceARN) }];
            case "TagResource":
                for (const t of body.tags) this.requireModel(body.resourceARN).tags.set(t.key, t.value);
                return [200, {}];
            case "UntagResource":
                for (const k of body.tagKeys) this.requireModel(body.resourceARN).tags.delete(k);
                return [200, {}];
            default:
                throw new StubError(404, "UnknownOperationException", `no operation ${op}`);
        }
    }

    private create(body: any): { jobArn: string } {
        const existing = this.jobs.get(body.jobName);
        if (existing && existing.token === body.clientRequestToken) return { jobArn: existing.jobArn };
        if (existing) throw new StubError(400, "ConflictException", `A model import job named ${body.jobName} already exists.`);
        const taken =
            this.model(body.importedModelName) ||
            [...this.jobs.values()].some((j) => j.status === "InProgress" && j.importedModelName === body.importedModelName);
        if (taken) throw new StubError(400, "ConflictException", `An imported model named ${body.importedModelName} already exists.`);
        const jobArn = arnOf(this.region, accountOf(body.roleArn), "model-import-job", `job${++this.counter}`.padStart(12, "0"));
        this.jobs.set(body.jobName, {
            jobArn,
            jobName: body.jobName,
            importedModelName: body.importedModelName,
            roleArn: body.roleArn,
            modelDataSource: body.modelDataSource,
            importedModelKmsKeyArn: body.importedModelKmsKeyId,
            vpcConfig: body.vpcConfig,
            status: "InProgress",
            token: body.clientRequestToken,
            tags: body.importedModelTags ?? [],
            pollsLeft: this.script.pollsBeforeDone,
        });
        if (this.script.loseCreateAnswers > 0) {
            this.script.loseCreateAnswers--;
            throw new StubError(500, "InternalServerException", "The answer was lost");
        }
        return { jobArn };
    }

    /** Answers the job's status; each poll brings it closer to done. */
    private getJob(identifier: string): unknown {
        if (this.script.throttleGets > 0) {
            this.script.throttleGets--;
            throw new StubError(429, "ThrottlingException", "Rate exceeded");
        }
        const job = this.job(identifier);
        if (!job) throw new StubError(404, "ResourceNotFoundException", `No model import job ${identifier}`);
        if (job.status === "InProgress" && job.pollsLeft-- <= 0) this.finish(job);
        const { token, tags, pollsLeft, ...visible } = job;
        return visible;
    }

    private finish(job: StubJob): void {
        if (this.script.failWith) {
            job.status = "Failed";
            job.failureMessage = this.script.failWith;
            return;
        }
        job.status = "Completed";
        job.importedModelArn = arnOf(this.region, accountOf(job.roleArn), "imported-model", job.jobArn.split("/")[1].replace("job", "mdl"));
        this.models.set(job.importedModelArn, {
            modelArn: job.importedModelArn,
            modelName: job.importedModelName,
            jobName: job.jobName,
            jobArn: job.jobArn,
            modelDataSource: job.modelDataSource,
            modelKmsKeyArn: job.importedModelKmsKeyArn,
            tags: new Map(job.tags.map((t) => [t.key, t.value])),
        });
    }

    private requireModel(identifier: string): StubModel {
        const model = this.model(identifier);
        if (!model) throw new StubError(404, "ResourceNotFoundException", `No imported model ${identifier}`);
        return model;
    }

    private describeModel({ tags, ...model }: StubModel): unknown {
        return model;
    }

    private tagged(arn: string): { key: string; value: string }[] {
        return [...this.requireModel(arn).tags].map(([key, value]) => ({ key, value }));
    }
}

/** The SDK's method and path for each operation (client-bedrock's `[_ht]` entries). */
const OPS: Record<string, string> = {
    "POST /model-import-jobs": "CreateModelImportJob",
    "GET /model-import-jobs/{id}": "GetModelImportJob",
    "GET /imported-models/{id}": "GetImportedModel",
    "DELETE /imported-models/{id}": "DeleteImportedModel",
    "POST /listTagsForResource": "ListTagsForResource",
    "POST /tagResource": "TagResource",
    "POST /untagResource": "UntagResource",
};
