/**
 * The LanguageRuntime service (pulumirpc, proto/pulumi/language.proto) forwarded to the real Go host:
 * every method passes its request bytes, its metadata and its deadline to the same method of the
 * Go host, and its answer back as the Go host gave it (the response bytes, or the error with its
 * status code, message and trailers). Messages stay bytes here, so nothing the CLI's protocol has
 * and this @pulumi/pulumi's generated code lacks is lost on the way. A method in `own` is answered
 * here instead (RunPlugin, runPlugin.ts). A method this @pulumi/pulumi does not know answers
 * UNIMPLEMENTED, as the 3.68 host does for every method newer than itself.
 */
import { Readable, Writable } from "stream";
import * as grpc from "@grpc/grpc-js";

const rpc = require("@pulumi/pulumi/proto/language_grpc_pb.js");

/** As rpcutil.MaxRPCMessageSize (sdk/go/common/util/rpcutil): the sizes the CLI and the Go host accept. */
const MAX_MESSAGE = 400 * 1024 * 1024;
export const GRPC_OPTIONS: grpc.ChannelOptions = {
    "grpc.max_receive_message_length": MAX_MESSAGE,
    "grpc.max_send_message_length": MAX_MESSAGE,
};

const bytes = (b: Buffer): Buffer => b;

/** The service with each method's messages left as bytes. */
export const RAW_LANGUAGE_RUNTIME: grpc.ServiceDefinition = Object.fromEntries(
    Object.entries(rpc.LanguageRuntimeService as grpc.ServiceDefinition).map(([name, method]) => [
        name,
        { ...method, requestSerialize: bytes, requestDeserialize: bytes, responseSerialize: bytes, responseDeserialize: bytes },
    ]),
);

/** Headers that belong to one HTTP/2 connection, not to the call: grpc-js sets its own for the forwarded call. */
function forwardedMetadata(incoming: grpc.Metadata): grpc.Metadata {
    const out = new grpc.Metadata();
    for (const [key, values] of Object.entries(incoming.toJSON())) {
        if (key.startsWith(":") || key.startsWith("grpc-") || ["content-type", "te", "user-agent", "host"].includes(key)) continue;
        for (const value of values) out.add(key, value);
    }
    return out;
}

type AnyCall = grpc.ServerUnaryCall<Buffer, Buffer> | grpc.ServerReadableStream<Buffer, Buffer> | grpc.ServerWritableStream<Buffer, Buffer>;

/** The forwarded call's metadata and options: the incoming call's metadata and deadline. */
function upstream(call: AnyCall): [grpc.Metadata, grpc.CallOptions] {
    const deadline = call.getDeadline();
    return [forwardedMetadata(call.metadata), deadline === Infinity ? {} : { deadline }];
}

/** Copies a readable stream of messages into a writable one, keeping pace with it; `done` gets the source's error, if any. */
function pipeMessages(from: Readable, to: Writable & { write(message: Buffer): boolean }, done: (err?: grpc.ServiceError) => void): void {
    let failure: grpc.ServiceError | undefined;
    from.on("data", (message: Buffer) => {
        if (!to.write(message)) {
            from.pause();
            to.once("drain", () => from.resume());
        }
    });
    // grpc-js emits a failed call's error as its status arrives, before the messages already read have
    // all been delivered; the error is passed on after them, when the stream ends.
    from.on("error", (err: grpc.ServiceError) => (failure = err));
    from.on("end", () => done(failure));
}

export type OwnHandlers = Partial<Record<string, grpc.UntypedHandleCall>>;

/** Handlers for every method of the service: `own`'s, or one forwarding to the Go host at `target`. */
export function forwardingService(target: string, own: OwnHandlers): { service: grpc.UntypedServiceImplementation; close(): void } {
    const client = new grpc.Client(target, grpc.credentials.createInsecure(), GRPC_OPTIONS);
    const service: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(RAW_LANGUAGE_RUNTIME)) {
        const path = method.path;
        const handler = own[name];
        if (handler) {
            service[name] = handler;
        } else if (!method.requestStream && !method.responseStream) {
            service[name] = ((call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
                const out = client.makeUnaryRequest(path, bytes, bytes, call.request, ...upstream(call), (err, response) =>
                    err ? callback(err) : callback(null, response),
                );
                call.on("cancelled", () => out.cancel());
            }) as grpc.handleUnaryCall<Buffer, Buffer>;
        } else if (!method.requestStream) {
            service[name] = ((call: grpc.ServerWritableStream<Buffer, Buffer>) => {
                const out = client.makeServerStreamRequest(path, bytes, bytes, call.request, ...upstream(call));
                call.on("cancelled", () => out.cancel());
                pipeMessages(out, call, (err) => (err ? call.emit("error", err) : call.end()));
            }) as grpc.handleServerStreamingCall<Buffer, Buffer>;
        } else if (!method.responseStream) {
            service[name] = ((call: grpc.ServerReadableStream<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
                const out = client.makeClientStreamRequest(path, bytes, bytes, ...upstream(call), (err, response) =>
                    err ? callback(err) : callback(null, response),
                );
                call.on("cancelled", () => out.cancel());
                pipeMessages(call, out, (err) => (err ? out.cancel() : out.end()));
            }) as grpc.handleClientStreamingCall<Buffer, Buffer>;
        } else {
            service[name] = ((call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
                const out = client.makeBidiStreamRequest(path, bytes, bytes, ...upstream(call));
                call.on("cancelled", () => out.cancel());
                pipeMessages(call, out, (err) => (err ? out.cancel() : out.end()));
                pipeMessages(out, call, (err) => (err ? call.emit("error", err) : call.end()));
            }) as grpc.handleBidiStreamingCall<Buffer, Buffer>;
        }
    }
    return { service, close: () => client.close() };
}
