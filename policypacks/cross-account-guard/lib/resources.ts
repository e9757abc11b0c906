/**
 * Joining resources in stack rules. In `@pulumi/aws` v7 a bucket's encryption, public access
 * block, versioning and ownership are separate resources, so the rules find, for each bucket (or
 * VPC), the settings resources that point at it: by property dependency, which the engine knows
 * even when the ID is unknown during preview, else by the value.
 */
import { PolicyResource } from "@pulumi/policy";
import { PropsByType, ResourceType } from "./props";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;

/** A stack's resource of one of the types, with its inputs typed as `PropsByType` lists them for that type. */
export type StackResource<T extends ResourceType> = {
    [K in T]: Omit<PolicyResource, "type" | "props"> & { readonly type: K; readonly props: PropsByType[K] };
}[T];

/** What the joins read of a resource of any type: its URN, its property dependencies and its inputs by name. */
type Joinable = Pick<PolicyResource, "urn" | "propertyDependencies"> & { readonly props: object };

/** Whether the engine's resource is of one of the types; its inputs are then read as `PropsByType` describes them. */
function isOneOf<T extends ResourceType>(resource: PolicyResource, types: readonly T[]): resource is PolicyResource & StackResource<T> {
    return types.some((t) => t === resource.type);
}

/**
 * Settings resources of the given types whose `property` refers to `target`. `targetKey` is the
 * target's own property that such a reference may equal (a bucket's `bucket` name); resources
 * identified only by an ID, like VPCs, are joined by dependency alone.
 */
export function settingsFor<T extends ResourceType>(
    target: Joinable,
    all: readonly PolicyResource[],
    types: readonly T[],
    property: string,
    targetKey?: string,
): StackResource<T>[] {
    return ofTypes(all, types).filter((r) => refersTo(r, property, target, targetKey));
}

/** An input named at run time (the joined property), read without its type. */
function input(resource: Joinable, property: string): unknown {
    return (resource.props as Readonly<Record<string, unknown>>)[property];
}

function refersTo(resource: Joinable, property: string, target: Joinable, targetKey?: string): boolean {
    const dependencies = resource.propertyDependencies?.[property];
    if (dependencies && dependencies.length > 0) {
        return dependencies.some((d) => d.urn === target.urn);
    }
    if (!targetKey || !(property in resource.props) || !(targetKey in target.props)) return false;
    return input(resource, property) === input(target, targetKey);
}

/** Whether a typed resource is of one of the types, narrowing its inputs to theirs. */
export function isOfType<R extends { readonly type: string }, T extends ResourceType>(
    resource: R,
    types: readonly T[],
): resource is Extract<R, { readonly type: T }> {
    return types.some((t) => t === resource.type);
}

export function ofTypes<T extends ResourceType>(all: readonly PolicyResource[], types: readonly T[]): StackResource<T>[] {
    return all.filter((r) => isOneOf(r, types));
}
