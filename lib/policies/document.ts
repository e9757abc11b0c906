/**
 * Typed IAM policy documents. Every bucket, key, trust and identity policy in this project is built
 * from these types by the modules beside this one and serialised once, with {@link toJson}.
 */

export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[] };
export type Conditions = Record<string, Record<string, string | string[] | boolean>>;

export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: Principal;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Conditions;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Id?: string;
    Statement: Statement[];
}

export function policy(statements: Statement[], id?: string): PolicyDocument {
    return { Version: "2012-10-17", ...(id ? { Id: id } : {}), Statement: statements };
}

/** Serialises a document for a resource input; the one place documents become strings. */
export function toJson(doc: PolicyDocument): string {
    return JSON.stringify(doc);
}

/**
 * Conditions that restrict a grant to the account root to one role. AWS recommends this form for
 * cross-account grants: the policy is valid before the role exists, and it keeps working when the
 * role is recreated (a role principal would be rewritten to the deleted role's unique ID).
 */
export function onlyRole(roleArns: string | string[]): Conditions {
    return { ArnEquals: { "aws:PrincipalArn": roleArns } };
}

/**
 * Role ARNs grouped by their account, for one account-root principal each with an `onlyRole`
 * condition; the accounts in `first` come first, with no roles until some are listed.
 */
export function rolesByAccount(roleArns: readonly string[], first: readonly string[] = []): Map<string, string[]> {
    const accounts = new Map<string, string[]>(first.map((a) => [a, []]));
    for (const roleArn of roleArns) {
        const account = roleArn.split(":")[4];
        accounts.set(account, [...(accounts.get(account) ?? []), roleArn]);
    }
    return accounts;
}

/**
 * A trust policy for an AWS service that may assume a role only on behalf of one account and
 * matching source ARNs: the confused-deputy guard AWS documents for service roles.
 */
export function serviceTrustPolicy(sid: string, service: string, sourceAccount: string, sourceArn: string): PolicyDocument {
    return policy([
        {
            Sid: sid,
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": sourceAccount },
                ArnLike: { "aws:SourceArn": sourceArn },
            },
        },
    ]);
}
