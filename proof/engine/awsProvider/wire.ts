/**
 * Property values as the engine puts them on the wire (google.protobuf.Struct), with the special
 * objects a provider that accepts secrets and resources receives: what must be kept, unwrapped or
 * passed through untouched. The signatures are the engine's (sdk/go/common/resource/properties.go,
 * mirrored in sdk/nodejs/runtime/rpc.ts).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export type Props = Record<string, unknown>;

/** The key whose value says which special object a map is. */
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A value not known yet: sent during a preview for outputs of resources not created yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const isObject = (value: unknown): value is Props => typeof value === "object" && value !== null && !Array.isArray(value);

export const isSecret = (value: unknown): value is Props => isObject(value) && value[SIG] === SECRET_SIG;

export function secret(value: unknown): Props {
    return { [SIG]: SECRET_SIG, value };
}

/** Whether a value is, or holds, an unknown. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return isObject(value) && Object.values(value).some(containsUnknown);
}

/**
 * A value as AWS would see it: secrets unwrapped, and resource references as the ID of the
 * resource (its URN when it has none), which is what the engine itself sends a provider that does
 * not accept resources (MarshalPropertyValue, sdk/go/common/resource/plugin/rpc.go). An ID that is
 * "" is not known yet.
 */
export function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (!isObject(value)) return value;
    if (value[SIG] === SECRET_SIG) return plain(value.value);
    if (value[SIG] === RESOURCE_SIG) return value.id === "" ? UNKNOWN : (value.id ?? value.urn);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

export const plainProps = (props: Props): Props => plain(props) as Props;

/** Deep equality of two wire values, as AWS would compare them (a value turned secret is the same value). */
export function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(plain(a))) === JSON.stringify(canonical(plain(b)));
}

function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (!isObject(value)) return value;
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((k) => [k, canonical(value[k])]),
    );
}

export function fromStruct(struct: Struct | undefined): Props {
    return (struct?.toJavaScript() ?? {}) as Props;
}

/** A Struct of the properties; a Struct holds no undefined, so properties without a value are left out. */
export function toStruct(props: Props): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
}

/**
 * The type token and logical name in a URN (urn:pulumi:<stack>::<project>::<qualified
 * type>::<name>; the qualified type is the parents' types and this one's, joined with "$"; the
 * name may itself hold "::"), for engines that do not send them in the request.
 */
export function urnParts(urn: string): { type: string; name: string } {
    const [, , qualifiedType, ...name] = urn.split("::");
    return { type: qualifiedType.split("$").pop()!, name: name.join("::") };
}
