/**
 * Runs a dynamic provider the way the Pulumi engine does: starts
 * `@pulumi/pulumi/cmd/dynamic-provider` (the process the engine launches for `pulumi-nodejs`
 * dynamic resources), reads the port it prints, and calls it over gRPC with the engine's protobuf
 * messages, each carrying the serialized `__provider` a stack registered. As the engine does for a
 * provider that does not accept secrets (pkg/resource/plugin/provider_plugin.go, `KeepSecrets:
 * acceptSecrets`), secret values are sent as their plain values.
 */
import { ChildProcess } from "child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PROJECT_DIR } from "../../ops/project";
import { startPlugin } from "../../proof/pack/plugin";

const providerProto = require("@pulumi/pulumi/proto/provider_pb.js");
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");
const statusProto = require("@pulumi/pulumi/proto/status_pb.js");

/** The signature keys of a secret value on the wire (sdk/nodejs/runtime/rpc.ts). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Props = Record<string, unknown>;

/** A value the program marked secret, as the engine holds it. */
export function secret(value: unknown): Props {
    return { [SIG]: SECRET_SIG, value };
}

function reveal(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reveal);
    if (value && typeof value === "object") {
        const o = value as Props;
        if (o[SIG] === SECRET_SIG) return reveal(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** ErrorResourceInitFailed: the resource was created but did not initialize; the engine keeps it. */
export interface InitFailure {
    readonly id: string;
    readonly properties: Props;
    readonly reasons: string[];
}

/** A failed call, with the init failure details the engine would read from `grpc-status-details-bin`. */
export class ProviderCallError extends Error {
    constructor(
        message: string,
        readonly initFailed?: InitFailure,
    ) {
        super(message);
    }
}

function initFailureOf(err: grpc.ServiceError): InitFailure | undefined {
    const [bin] = err.metadata?.get("grpc-status-details-bin") ?? [];
    if (!bin) return undefined;
    for (const any of statusProto.Status.deserializeBinary(bin as Buffer).getDetailsList()) {
        if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
        const detail = providerProto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        return { id: detail.getId(), properties: detail.getProperties()?.toJavaScript() ?? {}, reasons: detail.getReasonsList() };
    }
    return undefined;
}

export interface DiffAnswer {
    readonly changes: "unknown" | "none" | "some";
    readonly replaces: string[];
    readonly deleteBeforeReplace: boolean;
}

export class DynamicProviderProcess {
    private acceptSecrets = false;
    private output = "";
    private stdoutText = "";

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {
        child.stdout!.on("data", (chunk) => {
            this.output += chunk;
            this.stdoutText += chunk;
        });
        child.stderr!.on("data", (chunk) => (this.output += chunk));
    }

    /** Starts the provider process in the project directory with extra environment (AWS endpoint, credentials). */
    static async start(env: Record<string, string>): Promise<DynamicProviderProcess> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
        const { child, port } = await startPlugin(entry, [], { cwd: PROJECT_DIR, env: { ...process.env, ...env } });
        const Client = grpc.makeGenericClientConstructor(providerRpc.ResourceProviderService, "ResourceProvider");
        return new DynamicProviderProcess(child, new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    }

    /** Everything the process wrote to stdout and stderr (the engine shows it as the plugin's output). */
    get log(): string {
        return this.output;
    }

    /** What the process wrote to stdout after its port: the engine's info diagnostics (pluginDiagnostics). */
    get stdout(): string {
        return this.stdoutText;
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) =>
            this.client[method](request, (err: grpc.ServiceError | null, response: T) =>
                err ? reject(new ProviderCallError(err.details || err.message, initFailureOf(err))) : resolve(response),
            ),
        );
    }

    private struct(props: Props): unknown {
        return Struct.fromJavaScript((this.acceptSecrets ? props : reveal(props)) as never);
    }

    async configure(variables: Props = {}): Promise<{ acceptSecrets: boolean }> {
        const request = new providerProto.ConfigureRequest();
        request.setArgs(Struct.fromJavaScript(variables as never));
        request.setAcceptsecrets(true);
        const response: any = await this.call("configure", request);
        this.acceptSecrets = response.getAcceptsecrets();
        return { acceptSecrets: this.acceptSecrets };
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const request = new providerProto.CheckRequest();
        request.setUrn(urn);
        request.setOlds(this.struct(olds));
        request.setNews(this.struct(news));
        const response: any = await this.call("check", request);
        return {
            inputs: response.getInputs().toJavaScript(),
            failures: response.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffAnswer> {
        const request = new providerProto.DiffRequest();
        request.setUrn(urn);
        request.setId(id);
        request.setOlds(this.struct(olds));
        request.setNews(this.struct(news));
        const response: any = await this.call("diff", request);
        return {
            changes: (["unknown", "none", "some"] as const)[response.getChanges()],
            replaces: response.getReplacesList(),
            deleteBeforeReplace: response.getDeletebeforereplace(),
        };
    }

    async create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
        const request = new providerProto.CreateRequest();
        request.setUrn(urn);
        request.setProperties(this.struct(props));
        const response: any = await this.call("create", request);
        return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    }

    /** A refresh sends the saved outputs as `properties`; a get (or import) sends only inputs. */
    async read(
        urn: string,
        id: string,
        properties: Props | undefined,
        inputs: Props | undefined,
    ): Promise<{ id: string; properties: Props; inputs?: Props }> {
        const request = new providerProto.ReadRequest();
        request.setUrn(urn);
        request.setId(id);
        if (properties) request.setProperties(this.struct(properties));
        if (inputs) request.setInputs(this.struct(inputs));
        const response: any = await this.call("read", request);
        return {
            id: response.getId(),
            properties: response.getProperties()?.toJavaScript() ?? {},
            inputs: response.getInputs()?.toJavaScript(),
        };
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
        const request = new providerProto.UpdateRequest();
        request.setUrn(urn);
        request.setId(id);
        request.setOlds(this.struct(olds));
        request.setNews(this.struct(news));
        const response: any = await this.call("update", request);
        return response.getProperties().toJavaScript();
    }

    async delete(urn: string, id: string, properties: Props): Promise<void> {
        const request = new providerProto.DeleteRequest();
        request.setUrn(urn);
        request.setId(id);
        request.setProperties(this.struct(properties));
        await this.call("delete", request);
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}
