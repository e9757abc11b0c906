/**
 * The one way the architectures write their paths: a builder bound to an architecture and the stack
 * whose deployment needs (or must not grant) the access, the ids the paths get once listed, and the
 * stand-ins and request context they share.
 */
import { HostingStack, isHosting } from "../../lib/contracts";
import { arn } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path, Where } from "./accessPath";

/** A request over TLS: the bucket and key policies deny any other. */
export const TLS: Record<string, string> = { "aws:SecureTransport": "true" };

/** Stands for any other role of an account, with administrator rights: the proof's, never deployed. */
export function otherRoleOf(partition: string, accountId: string): string {
    return arn.role(partition, accountId, "platform-administrator");
}

/** What a path says besides whether it is required: why, who, with which policies, does what, on what, where. */
type PathFields = [why: string, principal: string, identity: AccessPath["identity"], action: string, resource: string, where: Where];

/** The paths of one architecture for one stack: `allowed(...)` for a path it requires, `denied(...)` for one it forbids. */
export function pathsOf(architecture: string, stack: string) {
    const path = (expect: AccessPath["expect"], ...[why, principal, identity, action, resource, where]: PathFields): Path => ({
        architecture,
        stack,
        expect,
        why,
        principal,
        identity,
        action,
        resource,
        ...where,
    });
    return {
        path,
        allowed: (...fields: PathFields) => path("allowed", ...fields),
        denied: (...fields: PathFields) => path("denied", ...fields),
    };
}

/** Ids `<stack>-<code>-<n>`: each stack's paths numbered in the order they are listed, `digits` wide. */
export function numbered(paths: readonly Path[], code: string, digits: number): AccessPath[] {
    const counts = new Map<string, number>();
    return paths.map((p) => {
        const n = (counts.get(p.stack) ?? 0) + 1;
        counts.set(p.stack, n);
        return { ...p, id: `${p.stack}-${code}-${String(n).padStart(digits, "0")}` };
    });
}

/**
 * An architecture's paths for each hosting stack it applies to: the stack's setting (undefined for a
 * stack it does not apply to) through each path group in order, numbered per stack two digits wide.
 */
export function hostingPaths<Setting>(
    parsed: readonly ParsedStack[],
    code: string,
    settingOf: (self: HostingStack) => Setting | undefined,
    groups: readonly ((setting: Setting) => Path[])[],
): AccessPath[] {
    return numbered(
        parsed.filter(isHosting).flatMap((self) => {
            const setting = settingOf(self);
            return setting === undefined ? [] : groups.flatMap((group) => group(setting));
        }),
        code,
        2,
    );
}
