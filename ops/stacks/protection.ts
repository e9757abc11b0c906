/**
 * What a destroy keeps: each protected resource with everything it depends on (its parent, its
 * provider, its dependencies), as `destroy --exclude-protected` computes it (pulumi/pulumi
 * pkg/cmd/pulumi/operations/destroy.go getProtectedExcludes, over pkg/resource/graph
 * TransitiveDependenciesOf). The orchestrator says what is kept from this; the offline workspace
 * destroys by it; the engine tier checks it against the real engine's state.
 */

export interface StateResource {
    readonly urn: string;
    readonly protect: boolean;
    readonly parent: string;
    readonly dependencies: readonly string[];
    /** The provider reference, `<provider URN>::<provider ID>`, as the engine's state holds it. */
    readonly provider?: string;
}

/** A provider reference's URN (the reference is `<urn>::<id>`). */
const providerUrn = (reference: string) => reference.split("::").slice(0, -1).join("::");

/** URNs a destroy with `--exclude-protected` keeps. */
export function protectedClosure(resources: readonly StateResource[]): Set<string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const kept = new Set<string>();
    const visit = (urn: string) => {
        const resource = byUrn.get(urn);
        if (!resource || kept.has(urn)) return;
        kept.add(urn);
        [resource.parent, resource.provider ? providerUrn(resource.provider) : "", ...resource.dependencies].filter(Boolean).forEach(visit);
    };
    resources.filter((r) => r.protect).forEach((r) => visit(r.urn));
    return kept;
}

/** What a destroy keeps, told apart: the protected resources, and the resources they depend on. */
export function keptOnDestroy(resources: readonly StateResource[]): { protected: string[]; dependencies: string[] } {
    const kept = protectedClosure(resources);
    return {
        protected: resources.filter((r) => r.protect).map((r) => r.urn),
        dependencies: resources.filter((r) => kept.has(r.urn) && !r.protect).map((r) => r.urn),
    };
}

/** A resource as `pulumi stack export` writes it (apitype.ResourceV3), the fields protection reads. */
export interface ExportedResource {
    readonly urn: string;
    readonly protect?: boolean;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    readonly provider?: string;
}

/** Exported resources in the form the closure takes. */
export function fromExport(resources: readonly ExportedResource[]): StateResource[] {
    return resources.map((r) => ({
        urn: r.urn,
        protect: !!r.protect,
        parent: r.parent ?? "",
        dependencies: r.dependencies ?? [],
        provider: r.provider,
    }));
}
