/**
 * The ResourceProvider service (pulumirpc, proto/pulumi/provider.proto) as the engine calls it for
 * `aws` resources, answering from the model of AWS instead of AWS. What the engine does with each
 * answer is sdk/go/common/resource/plugin/provider_plugin.go (pulumi/pulumi v3.248.0). Methods not
 * implemented here (GetSchema, GetMapping(s), Parameterize, Construct, Call, List) answer
 * UNIMPLEMENTED, which grpc-js does for a method without a handler: the engine treats GetMapping
 * that way as "no mapping", and calls the others only for packages, conversion and components,
 * which no stack here uses.
 */
import * as fs from "fs";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AccountScope, awsInvoke } from "../../runtime/awsModel";
import { ProviderConfig, accountRefusal, readConfig, scopeOf } from "./config";
import { policyFailures } from "./policies";
import { changeOf, created, updated } from "./resources";
import { Props, fromStruct, sameValue, toStruct, urnParts } from "./wire";

const proto = require("@pulumi/pulumi/proto/provider_pb.js");
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb.js");
const rpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");

/** The AWS provider version the programs are written against: the one the engine expects of the plugin. */
const AWS_PACKAGE = require.resolve("@pulumi/aws/package.json");
export const PLUGIN_VERSION: string = JSON.parse(fs.readFileSync(AWS_PACKAGE, "utf8")).version;

const DIFF = proto.DiffResponse.DiffChanges;

type Handler = (request: any) => unknown;

/** The type and name of the resource a request is about: sent by newer engines, else read from its URN. */
function resourceOf(request: any): { type: string; name: string } {
    const fromUrn = urnParts(request.getUrn());
    return { type: request.getType?.() || fromUrn.type, name: request.getName?.() || fromUrn.name };
}

class AwsProvider {
    private config: ProviderConfig = readConfig({});

    private get scope(): AccountScope {
        return scopeOf(this.config);
    }

    // A provider accepts secrets and resource references by saying so (ConfigureResponse, or the
    // handshake newer engines make first); it then receives them wrapped rather than plain.
    handshake(): unknown {
        const response = new proto.ProviderHandshakeResponse();
        response.setAcceptSecrets(true);
        response.setAcceptResources(true);
        return response;
    }

    getPluginInfo(): unknown {
        const info = new pluginProto.PluginInfo();
        info.setVersion(PLUGIN_VERSION);
        return info;
    }

    /** The engine takes the inputs CheckConfig returns as the provider's inputs; these are the news. */
    checkConfig(request: any): unknown {
        const response = new proto.CheckResponse();
        response.setInputs(request.getNews());
        return response;
    }

    /** A configuration change re-configures the provider; no setting here replaces its resources. */
    diffConfig(request: any): unknown {
        const olds = fromStruct(request.getOldInputs() ?? request.getOlds());
        const response = new proto.DiffResponse();
        response.setChanges(sameValue(olds, fromStruct(request.getNews())) ? DIFF.DIFF_NONE : DIFF.DIFF_SOME);
        return response;
    }

    /**
     * The settings are `args`; engines before it sent only `variables`, keyed `aws:config:<key>`
     * and every value a string (Configure in provider_plugin.go still sends both).
     */
    configure(request: any): unknown {
        const variables = request.getVariablesMap().toObject() as [string, string][];
        const args = request.getArgs()
            ? fromStruct(request.getArgs())
            : Object.fromEntries(variables.map(([key, value]) => [key.replace(/^aws:config:/, ""), value]));
        const config = readConfig(args);
        const refusal = accountRefusal(config, scopeOf(config).accountId);
        if (refusal) throw new Error(refusal);
        this.config = config;
        const response = new proto.ConfigureResponse();
        response.setAcceptsecrets(true);
        response.setAcceptresources(true);
        response.setSupportspreview(true);
        return response;
    }

    check(request: any): unknown {
        const news = fromStruct(request.getNews());
        const response = new proto.CheckResponse();
        response.setInputs(request.getNews());
        response.setFailuresList(
            policyFailures(resourceOf(request).type, news).map(({ property, reason }) => {
                const failure = new proto.CheckFailure();
                failure.setProperty(property);
                failure.setReason(reason);
                return failure;
            }),
        );
        return response;
    }

    diff(request: any): unknown {
        const oldInputs = request.getOldInputs() ? fromStruct(request.getOldInputs()) : undefined;
        const news = fromStruct(request.getNews());
        const change = changeOf(resourceOf(request).type, fromStruct(request.getOlds()), oldInputs, news, request.getIgnorechangesList());
        const response = new proto.DiffResponse();
        response.setChanges(change.changed.length > 0 ? DIFF.DIFF_SOME : DIFF.DIFF_NONE);
        response.setDiffsList(change.changed);
        response.setReplacesList(change.replaces);
        response.setStablesList(change.stables);
        response.setDeletebeforereplace(change.deleteBeforeReplace);
        return response;
    }

    create(request: any): unknown {
        const { type, name } = resourceOf(request);
        const { id, outputs } = created(this.scope, type, name, fromStruct(request.getProperties()), request.getPreview());
        const response = new proto.CreateResponse();
        response.setId(id);
        response.setProperties(toStruct(outputs));
        return response;
    }

    /**
     * Nothing changes outside Pulumi here, so the resource is as the engine holds it. A resource the
     * engine holds no state for (a `get` or an import) cannot be looked up: no ID means "not found".
     */
    read(request: any): unknown {
        const response = new proto.ReadResponse();
        const properties = request.getProperties();
        response.setId(properties ? request.getId() : "");
        if (properties) response.setProperties(properties);
        if (request.getInputs()) response.setInputs(request.getInputs());
        return response;
    }

    update(request: any): unknown {
        const oldInputs = request.getOldInputs() ? fromStruct(request.getOldInputs()) : undefined;
        const response = new proto.UpdateResponse();
        response.setProperties(toStruct(updated(fromStruct(request.getOlds()), oldInputs, fromStruct(request.getNews()))));
        return response;
    }

    delete(): unknown {
        return new Empty();
    }

    invoke(request: any): unknown {
        const response = new proto.InvokeResponse();
        response.setReturn(toStruct(awsInvoke(this.scope, request.getTok()) as Props));
        return response;
    }

    /** Attach (a provider the engine did not start) and Cancel need nothing undone here. */
    attach(): unknown {
        return new Empty();
    }

    cancel(): unknown {
        return new Empty();
    }
}

/** A handler as grpc-js calls it: a thrown error is the call's error (code UNKNOWN, as a Go provider's plain error). */
function unary(handler: Handler): grpc.handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
        try {
            callback(null, handler(call.request));
        } catch (err) {
            callback({ code: grpc.status.UNKNOWN, details: (err as Error).message, name: "Error", message: (err as Error).message });
        }
    };
}

export function providerService(): grpc.UntypedServiceImplementation {
    const provider = new AwsProvider();
    const methods = Object.getOwnPropertyNames(AwsProvider.prototype).filter((m) => m !== "constructor" && m !== "scope");
    return Object.fromEntries(methods.map((m) => [m, unary((request) => (provider as any)[m](request))]));
}

/** Serves the provider on a free loopback port; the engine reads the port from the plugin's first line of output. */
export async function serve(): Promise<number> {
    const server = new grpc.Server();
    server.addService(rpc.ResourceProviderService, providerService());
    return new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
}
