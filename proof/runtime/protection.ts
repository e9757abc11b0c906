/**
 * The engine's protection rules, for the offline workspace. Deleting a protected resource fails,
 * in a preview too (pulumi/pulumi pkg/resource/deploy/step.go, deleteProtectedError), and
 * `destroy --exclude-protected` leaves each protected resource with everything it depends on:
 * parent, provider and dependencies (pkg/cmd/pulumi/operations/destroy.go getProtectedExcludes,
 * over pkg/resource/graph TransitiveDependenciesOf).
 */

export interface StateResource {
    readonly urn: string;
    readonly protect: boolean;
    readonly parent: string;
    readonly dependencies: readonly string[];
}

/** The engine's error for deleting a protected resource, word for word. */
export function deleteProtectedError(urn: string): Error {
    return new Error(
        `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``,
    );
}

/** URNs a destroy with `--exclude-protected` keeps. */
export function protectedClosure(resources: readonly StateResource[]): Set<string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const kept = new Set<string>();
    const visit = (urn: string) => {
        const resource = byUrn.get(urn);
        if (!resource || kept.has(urn)) return;
        kept.add(urn);
        [resource.parent, ...resource.dependencies].filter(Boolean).forEach(visit);
    };
    resources.filter((r) => r.protect).forEach((r) => visit(r.urn));
    return kept;
}
