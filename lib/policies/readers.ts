/**
 * Roles of other accounts named in the research account's bucket and key policies, grouped so the
 * policies stay within their size limits as hosting accounts are added (a bucket policy may hold
 * 20 KB, a key policy 32 KB).
 *
 * Roles this project names after their own account (`BedrockCMIExecutionRole-<account>`) are
 * granted together: one statement lists the accounts' roots as principals and matches
 * `aws:PrincipalArn` against the role name with `${aws:PrincipalAccount}` in place of the account
 * ID, the form AWS documents for per-account roles in shared bucket policies. A role ARN names its
 * account, so the statement admits exactly each listed account's own role: no account gets another
 * account's role name, and no other role of a listed account matches. Roles with other names get a
 * statement of their own, restricted with their full ARN.
 */
import { Conditions, Principal, Statement, onlyRole } from "./document";
import { NOT_BY_AWS_SERVICES, PRINCIPAL_ACCOUNT, Perimeter, mergeConditions, outsidePerimeter } from "./perimeter";
import { arn } from "../naming";

export interface CrossAccountRole {
    readonly accountId: string;
    readonly roleName: string;
    /** Names the statements of a role that is not granted with others (default: the account ID). */
    readonly label?: string;
}

export interface RoleGroup<R extends CrossAccountRole> {
    readonly roles: readonly R[];
    /** The accounts' roots: valid before the roles exist, and unchanged when a role is recreated. */
    readonly principal: Principal;
    /** Restricts the grant to the group's roles. */
    readonly condition: Conditions;
    /** Unique among the groups, for statement IDs. */
    readonly label: string;
    /** The role-name pattern the group's condition matches, for roles named after their account. */
    readonly pattern?: string;
}

/** The role name with its own account ID replaced by the principal-account variable, if it contains it. */
export function namePattern(role: CrossAccountRole): string | undefined {
    return role.roleName.includes(role.accountId) ? role.roleName.split(role.accountId).join(PRINCIPAL_ACCOUNT) : undefined;
}

/**
 * Groups roles that get the same grant (`sameGrant` gives equal keys) and follow the same naming
 * pattern; every other role forms a group of its own.
 */
export function groupRoles<R extends CrossAccountRole>(
    partition: string,
    roles: readonly R[],
    sameGrant: (role: R) => string,
): RoleGroup<R>[] {
    const groups = new Map<string, R[]>();
    for (const role of roles) {
        const pattern = namePattern(role);
        const key = `${sameGrant(role)}|${pattern ?? `${role.accountId}/${role.roleName}`}`;
        groups.set(key, [...(groups.get(key) ?? []), role]);
    }
    const used = new Map<string, number>();
    return [...groups.values()].map((members) => {
        const [first] = members;
        const pattern = namePattern(first);
        const accounts = [...new Set(members.map((r) => r.accountId))].sort();
        // The kind of role, and its account when the group has one (as a role pinned to its endpoints does).
        const base = pattern
            ? pattern
                  .split(PRINCIPAL_ACCOUNT)
                  .join("")
                  .replace(/[^A-Za-z0-9]/g, "") + (accounts.length === 1 ? accounts[0] : "")
            : (first.label ?? first.accountId);
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const roots = accounts.map((a) => arn.accountRoot(partition, a));
        return {
            roles: members,
            principal: { AWS: roots.length === 1 ? roots[0] : roots },
            condition: pattern
                ? { StringLike: { "aws:PrincipalArn": `arn:${partition}:iam::${PRINCIPAL_ACCOUNT}:role/${pattern}` } }
                : onlyRole(arn.role(partition, first.accountId, first.roleName)),
            label: seen === 0 ? base : `${base}${seen + 1}`,
            pattern,
        };
    });
}

/**
 * Denies each role everything in `actions` outside its perimeter (`perimeterOf`; roles without one
 * are not fenced), one statement per group of roles with the same perimeter. With
 * `exceptAwsServices`, requests AWS services make for the role (S3 decrypting with the key) pass.
 */
export function perimeterDenies<R extends CrossAccountRole>(
    partition: string,
    roles: readonly R[],
    perimeterOf: (role: R) => Perimeter | undefined,
    actions: string[],
    resources: string | string[],
    exceptAwsServices = false,
): Statement[] {
    const key = (r: R) => JSON.stringify(perimeterOf(r) ?? null);
    const fenced = roles.filter((r) => perimeterOf(r));
    return groupRoles(partition, fenced, key).map((group) => ({
        Sid: `DenyOutsideVpcEndpoint${group.label}`,
        Effect: "Deny",
        // When every role named this way has this perimeter, the role-name condition alone picks
        // them out: "*" keeps the statement from growing with the accounts (a Deny admits no one).
        Principal:
            group.pattern && roles.every((r) => namePattern(r) !== group.pattern || key(r) === key(group.roles[0])) ? "*" : group.principal,
        Action: actions,
        Resource: resources,
        Condition: mergeConditions(
            group.condition,
            exceptAwsServices ? NOT_BY_AWS_SERVICES : {},
            outsidePerimeter(perimeterOf(group.roles[0])!, actions),
        ),
    }));
}
