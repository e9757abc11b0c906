/**
 * Long-lived credentials (issue 21): access keys, console passwords, service-specific
 * credentials (CodeCommit, Keyspaces, Bedrock API keys), signing certificates and SSH keys of IAM
 * users. Each works from any network until someone revokes it, outside every role's trust policy
 * and session duration; people sign in through IAM Identity Center or federation, workloads take
 * roles (IAM User Guide, "Security best practices in IAM": require human users to use federation,
 * workloads to use temporary credentials). An IAM user alone holds none of them yet.
 */
import { resourceRule } from "../lib/rule";
import { enumIs, inputOf } from "../lib/values";

const CREDENTIALS = {
    "aws:iam/accessKey:AccessKey": { what: "an access key", user: "user" },
    "aws:iam/userLoginProfile:UserLoginProfile": { what: "a console password", user: "user" },
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": { what: "a service-specific credential", user: "userName" },
    "aws:iam/signingCertificate:SigningCertificate": { what: "a signing certificate", user: "userName" },
    "aws:iam/sshKey:SshKey": { what: "an SSH public key", user: "username" },
} as const;
type CredentialType = keyof typeof CREDENTIALS;

export const noLongLivedCredentials = resourceRule(
    {
        name: "iam-no-long-lived-credentials",
        description:
            "No IAM user credential: access key, console password (login profile), service-specific credential, signing certificate or SSH key. An inactive one is reported too: iam:UpdateAccessKey (or the like) turns it back on.",
        category: "public-access",
        severity: "high",
        remediation:
            "Delete the credential: give people IAM Identity Center or federated access, workloads an IAM role (instance profile, task role, IRSA, IAM Roles Anywhere for workloads outside AWS).",
    },
    Object.keys(CREDENTIALS) as CredentialType[],
    (credential, report) => {
        const { what, user } = CREDENTIALS[credential.type];
        const owner = inputOf(credential.props, user);
        const inactive = enumIs(inputOf(credential.props, "status"), "Inactive") ? " (inactive, but can be activated again)" : "";
        report(`IAM user ${typeof owner === "string" ? owner : "(unknown)"} has ${what}${inactive}: a long-lived credential.`);
    },
);

export const noIamUsers = resourceRule(
    {
        name: "iam-no-users",
        description: "No IAM users: people sign in through IAM Identity Center or a federated identity provider, workloads take roles.",
        category: "least-privilege",
        severity: "low",
        remediation: "Replace the user with an IAM Identity Center permission set (people) or an IAM role (workloads).",
    },
    ["aws:iam/user:User"],
    (user, report) => {
        const name = user.props.name;
        report(`IAM user ${typeof name === "string" ? name : user.name} can hold long-lived credentials; use federation or roles.`);
    },
);

export const credentialPolicies = [noLongLivedCredentials, noIamUsers];
