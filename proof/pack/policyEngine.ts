/**
 * Runs the policy pack the way the Pulumi engine does: starts it with
 * `@pulumi/pulumi/cmd/run-policy-pack`, reads the port it prints, and talks to it over gRPC with
 * the engine's own protobuf messages (GetAnalyzerInfo, Configure, Analyze, AnalyzeStack).
 * Deserialisation, unknown values and configuration therefore take the real path.
 */
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { DEFAULT_PACK_DIR, EXAMPLE_CONFIG_PATH } from "../../ops/project";
import { startPlugin } from "./plugin";
import { TRANSPILE_ONLY_PACK, rememberTypeCheckPassed, typeCheckKey, typeCheckPassed } from "./typeCheck";

// The engine's generated messages and service, as the pack itself loads them.
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb.js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");

/** The value the engine sends for a property not known until the update (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource as the engine describes it to an analyzer. */
export interface AnalyzedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly parent?: string;
    readonly protect?: boolean;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: { readonly type: string; readonly name: string; readonly urn: string; readonly props: Record<string, unknown> };
}

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: Level[] = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
    readonly policyName: string;
    readonly message: string;
    readonly enforcementLevel: Level;
    readonly urn: string;
    readonly severity: number;
}

export interface PolicySummary {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: Level;
    readonly severity: number;
    readonly remediationSteps: string;
    readonly configSchema?: Record<string, unknown>;
}

/** Per-policy configuration as in a `--policy-pack-config` file. */
export type PolicyPackConfig = Record<string, { enforcementLevel?: Level; [property: string]: unknown }>;

export function readPolicyConfig(file = EXAMPLE_CONFIG_PATH): PolicyPackConfig {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

function toStruct(value: Record<string, unknown>): unknown {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

/**
 * Properties as protobuf Structs, each object converted once: an analysis sends every resource
 * twice (Analyze, then AnalyzeStack) and a stack's provider with each of its resources. A Struct is
 * not changed once set, so messages share it.
 */
class Structs {
    private readonly converted = new Map<object, unknown>();

    of(value: Record<string, unknown>): unknown {
        if (!this.converted.has(value)) this.converted.set(value, toStruct(value));
        return this.converted.get(value);
    }
}

function resourceOptions(resource: AnalyzedResource): unknown {
    const options = new analyzerProto.AnalyzerResourceOptions();
    options.setProtect(!!resource.protect);
    options.setParent(resource.parent ?? "");
    return options;
}

function providerOf(resource: AnalyzedResource, structs: Structs): unknown {
    if (!resource.provider) return undefined;
    const provider = new analyzerProto.AnalyzerProviderResource();
    provider.setType(resource.provider.type);
    provider.setName(resource.provider.name);
    provider.setUrn(resource.provider.urn);
    provider.setProperties(structs.of(resource.provider.props));
    return provider;
}

/** Fills the fields an `AnalyzeRequest` and a stack's `AnalyzerResource` share. */
function describe<T extends Record<string, any>>(message: T, resource: AnalyzedResource, structs = new Structs()): T {
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(structs.of(resource.props));
    message.setOptions(resourceOptions(resource));
    const provider = providerOf(resource, structs);
    if (provider) message.setProvider(provider);
    return message;
}

function toDiagnostics(response: any): Diagnostic[] {
    return response.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn(),
        severity: d.getSeverity(),
    }));
}

export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        readonly startupMs: number,
        /** Whether this start type-checked the pack, or transpiled only what an earlier start had checked. */
        readonly typeChecked: "now" | "before",
    ) {}

    /**
     * Starts the pack as the engine does and connects to the port it prints. run-policy-pack
     * type-checks the pack; unless `rememberTypeCheck` is false, a start of sources an earlier
     * start has type-checked transpiles only (typeCheck.ts).
     */
    static async start(packDir = DEFAULT_PACK_DIR, options: { rememberTypeCheck?: boolean } = {}): Promise<PolicyPackProcess> {
        const started = Date.now();
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js");
        const key = options.rememberTypeCheck === false ? undefined : typeCheckKey(packDir);
        const checkedBefore = key !== undefined && typeCheckPassed(key);
        const { child, port } = await startPlugin(runner, [packDir], {
            cwd: packDir,
            nodeArgs: checkedBefore ? ["-r", TRANSPILE_ONLY_PACK] : [],
        });
        // Listening: every file the pack loads passed the type-check (it loads them all at start),
        // unless one changed meanwhile.
        if (key !== undefined && !checkedBefore && typeCheckKey(packDir) === key) rememberTypeCheckPassed(key);
        const Client = grpc.makeGenericClientConstructor(analyzerRpc.AnalyzerService, "Analyzer");
        const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
        });
        return new PolicyPackProcess(child, client, Date.now() - started, checkedBefore ? "before" : "now");
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) =>
            this.client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response))),
        );
    }

    async info(): Promise<{ name: string; policies: PolicySummary[] }> {
        const info: any = await this.call("getAnalyzerInfo", new (require("google-protobuf/google/protobuf/empty_pb").Empty)());
        return {
            name: info.getName(),
            policies: info.getPoliciesList().map((p: any) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()],
                severity: p.getSeverity(),
                remediationSteps: p.getRemediationSteps(),
                configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
            })),
        };
    }

    /**
     * Sends policy configuration as the CLI does: every configured policy gets its level (the
     * file's, else the policy's default) and its properties.
     */
    async configure(config: PolicyPackConfig): Promise<void> {
        const defaults = new Map((await this.info()).policies.map((p) => [p.name, p.enforcementLevel]));
        const request = new analyzerProto.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, { enforcementLevel, ...properties }] of Object.entries(config)) {
            if (!defaults.has(name)) throw new Error(`policy config names ${name}, which the pack does not have`);
            const policyConfig = new analyzerProto.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVELS.indexOf(enforcementLevel ?? defaults.get(name)!));
            policyConfig.setProperties(toStruct(properties));
            map.set(name, policyConfig);
        }
        await this.call("configure", request);
    }

    async analyze(resource: AnalyzedResource, structs?: Structs): Promise<Diagnostic[]> {
        return toDiagnostics(await this.call("analyze", describe(new analyzerProto.AnalyzeRequest(), resource, structs)));
    }

    async analyzeStack(resources: readonly AnalyzedResource[], structs = new Structs()): Promise<Diagnostic[]> {
        const request = new analyzerProto.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((resource) => {
                const r = describe(new analyzerProto.AnalyzerResource(), resource, structs);
                r.setParent(resource.parent ?? "");
                r.setDependenciesList([...(resource.dependencies ?? [])]);
                const deps = r.getPropertydependenciesMap();
                for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
                    const d = new analyzerProto.AnalyzerPropertyDependencies();
                    d.setUrnsList([...urns]);
                    deps.set(property, d);
                }
                return r;
            }),
        );
        return toDiagnostics(await this.call("analyzeStack", request));
    }

    /**
     * Analyzes each resource, then the stack, as the engine does during an update: the resources'
     * requests all in flight at once, as the engine sends those of steps that run in parallel
     * (about a fifth less CPU on each side than one at a time); diagnostics in resource order.
     */
    async analyzeAll(resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> {
        const structs = new Structs();
        const perResource = await Promise.all(resources.map((resource) => this.analyze(resource, structs)));
        return [...perResource.flat(), ...(await this.analyzeStack(resources, structs))];
    }

    /** The pack's process id, for measuring it. */
    get pid(): number | undefined {
        return this.child.pid;
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }
}
