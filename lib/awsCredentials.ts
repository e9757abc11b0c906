/**
 * The credentials of calls this project makes to AWS outside the AWS provider (the import job's
 * Bedrock calls, the rollout's registry reads and approvals): the same identity the stack's
 * provider uses. With `aws:assumeRoles` that is the account's deployment role, assumed with the
 * caller's credentials (`aws:profile`, else the SDK's default chain: the CI identity); else the
 * profile, else the default chain.
 */
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";

/** What every SDK client takes as `credentials`. */
export type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;

/** Who a stack acts as: its profile and the role its provider assumes, as the stack file says. */
export interface StackIdentity {
    readonly region: string;
    readonly profile?: string;
    readonly assumeRole?: { readonly roleArn: string; readonly sessionName: string; readonly externalId?: string };
}

/** For tests: the STS client's request handler, so AssumeRole runs through the SDK without a network. */
export type StsOverrides = Pick<NonNullable<Parameters<typeof fromTemporaryCredentials>[0]["clientConfig"]>, "requestHandler">;

/**
 * An SDK credential provider for the stack's identity, or undefined for the SDK's default chain.
 * The assumed role's credentials are refreshed before they expire (fromTemporaryCredentials), so a
 * four-hour import job outlives a one-hour session.
 */
export function credentialsOf(identity: StackIdentity, sts: StsOverrides = {}): CredentialProvider | undefined {
    const caller = identity.profile ? fromIni({ profile: identity.profile }) : undefined;
    const role = identity.assumeRole;
    if (!role) return caller;
    return fromTemporaryCredentials({
        params: {
            RoleArn: role.roleArn,
            RoleSessionName: role.sessionName,
            ...(role.externalId ? { ExternalId: role.externalId } : {}),
        },
        ...(caller ? { masterCredentials: caller } : {}),
        clientConfig: { region: identity.region, ...sts },
    });
}
