/**
 * The engine's protection rules, for the offline workspace. Deleting a protected resource fails,
 * in a preview too (pulumi/pulumi pkg/resource/deploy/step.go, deleteProtectedError); what
 * `destroy --exclude-protected` keeps is ops/stacks/protection.ts.
 */

/** The engine's error for deleting a protected resource, word for word. */
export function deleteProtectedError(urn: string): Error {
    return new Error(
        `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``,
    );
}
