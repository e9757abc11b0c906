/**
 * What each role of a stack may do: its inline policies, its RolePolicy resources, the customer
 * managed policies of the stack attached to it, and the AWS managed policies it names. Joined by
 * property dependency (the engine knows it even when a name is unknown during preview), else by
 * the role's name or ARN.
 */
import { PolicyResource } from "@pulumi/policy";
import { Statement, statementsOf } from "./policy";
import { wildcardRegex } from "./actions";

export interface RolePermissions {
    readonly role: PolicyResource;
    /** Allow and Deny statements of every policy document attached to the role, with where each came from. */
    readonly statements: readonly { readonly from: string; readonly statement: Statement }[];
    /** ARNs of managed policies attached to it that the stack does not declare (AWS managed, or another stack's). */
    readonly managedPolicyArns: readonly string[];
}

const ROLE = "aws:iam/role:Role";

/** A role's name in AWS (its `name` input), else its resource name. */
export const roleNameOf = (role: PolicyResource) => String((role.props as { name?: unknown }).name ?? role.name);

/** Whether a role is one of `patterns` (`*`/`?` wildcards, matched against its resource name and its AWS name). */
export const isNamedRole = (role: PolicyResource, patterns: readonly string[]) =>
    patterns.some((p) => wildcardRegex(p, "").test(role.name) || wildcardRegex(p, "").test(roleNameOf(role)));
const props = (r: PolicyResource) => r.props as Readonly<Record<string, unknown>>;

/** Whether `property` of `resource` points at `target`: by dependency, else by the target's name, ID or ARN. */
function pointsAt(resource: PolicyResource, property: string, target: PolicyResource): boolean {
    const dependencies = resource.propertyDependencies?.[property];
    if (dependencies && dependencies.length > 0) return dependencies.some((d) => d.urn === target.urn);
    const value = props(resource)[property];
    const names = [props(target).name, props(target).arn, props(target).id].filter((v) => v !== undefined);
    return value !== undefined && names.includes(value);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

export function rolePermissions(resources: readonly PolicyResource[]): RolePermissions[] {
    const policies = resources.filter((r) => r.type === "aws:iam/policy:Policy");
    const attachments = resources.filter((r) =>
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"].includes(r.type),
    );
    return resources
        .filter((r) => r.type === ROLE)
        .map((role) => {
            const statements: { from: string; statement: Statement }[] = [];
            const add = (from: string, document: unknown) =>
                statementsOf(document).forEach((statement) => statements.push({ from, statement }));
            list(props(role).inlinePolicies).forEach((p, i) =>
                add(`inline policy ${(p as { name?: string })?.name ?? i}`, (p as { policy?: unknown })?.policy),
            );
            for (const rp of resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && pointsAt(r, "role", role)))
                add(rp.name, props(rp).policy);
            const managed: string[] = list(props(role).managedPolicyArns).map(String);
            for (const a of attachments.filter((a) => pointsAt(a, "role", role) || list(props(a).roles).includes(props(role).name))) {
                const policy = policies.find((p) => pointsAt(a, "policyArn", p));
                if (policy) add(policy.name, props(policy).policy);
                else if (props(a).policyArn !== undefined) managed.push(String(props(a).policyArn));
            }
            // RolePolicyAttachmentsExclusive names the role and every managed policy it keeps.
            for (const x of resources.filter((r) => r.type === "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"))
                if (pointsAt(x, "roleName", role)) managed.push(...list(props(x).policyArns).map(String));
            return { role, statements, managedPolicyArns: managed };
        });
}
