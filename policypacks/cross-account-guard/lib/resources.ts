/**
 * Joining resources in stack rules. In `@pulumi/aws` v7 a bucket's encryption, public access
 * block, versioning and ownership are separate resources, so the rules find, for each bucket (or
 * VPC), the settings resources that point at it: by property dependency, which the engine knows
 * even when the ID is unknown during preview, else by the value.
 */
import { PolicyResource } from "@pulumi/policy";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/**
 * Settings resources of the given types whose `property` refers to `target`. `targetKey` is the
 * target's own property that such a reference may equal (a bucket's `bucket` name); resources
 * identified only by an ID, like VPCs, are joined by dependency alone.
 */
export function settingsFor(target: PolicyResource, all: readonly PolicyResource[], types: readonly string[], property: string, targetKey?: string): PolicyResource[] {
    return all.filter((r) => types.includes(r.type) && refersTo(r, property, target, targetKey));
}

function refersTo(resource: PolicyResource, property: string, target: PolicyResource, targetKey?: string): boolean {
    const dependencies = resource.propertyDependencies?.[property];
    if (dependencies && dependencies.length > 0) {
        return dependencies.some((d) => d.urn === target.urn);
    }
    if (!targetKey || !(property in resource.props) || !(targetKey in target.props)) return false;
    return resource.props[property] === target.props[targetKey];
}

export function ofTypes(all: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    return all.filter((r) => types.includes(r.type));
}
