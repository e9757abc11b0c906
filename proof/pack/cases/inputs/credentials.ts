/**
 * Long-lived credentials of IAM users: access keys (active or not), console passwords,
 * service-specific credentials (a Bedrock API key), signing certificates, SSH keys, and a user
 * alone (advisory). Look-alikes: credentials that are not an IAM user's (a server certificate, an
 * EC2 key pair, a Transfer Family user's SSH key), the account's password policy, a credential
 * kept in Secrets Manager.
 */
import { DEV, PackCase } from "../types";
import { DEV_KEY, acceptable, inDev, insecure } from "./build";

const CREDENTIALS = "iam-no-long-lived-credentials";
const bad = (rule: string, id: string, why: string, resources: PackCase["resources"]) =>
    insecure("federated-trust", rule, id, why, resources);
const fine = (id: string, why: string, resources: PackCase["resources"]) => acceptable("federated-trust", id, why, resources);

const user = (name: string) => inDev("aws:iam/user:User", name, { name, path: "/ci/" });
const SSH_PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3Xz0ExampleOnlyPublicKeyMaterial0000 ci@example";

export const credentialCases: readonly PackCase[] = [
    bad(
        CREDENTIALS,
        "federated-trust-long-lived-access-key",
        "A CI user with an access key: a credential that works from anywhere until revoked.",
        [user("ci-deployer"), inDev("aws:iam/accessKey:AccessKey", "ci-deployer-key", { user: "ci-deployer" }, { user: ["ci-deployer"] })],
    ),
    bad(
        CREDENTIALS,
        "federated-trust-long-lived-access-key-inactive",
        "An inactive access key for a user outside the stack: iam:UpdateAccessKey turns it back on.",
        [inDev("aws:iam/accessKey:AccessKey", "legacy-key", { user: "legacy-etl", status: "Inactive" })],
    ),
    bad(CREDENTIALS, "federated-trust-long-lived-console-password", "A login profile gives a user a console password.", [
        inDev("aws:iam/userLoginProfile:UserLoginProfile", "alice-console", { user: "alice", passwordResetRequired: true }),
    ]),
    bad(
        CREDENTIALS,
        "federated-trust-long-lived-bedrock-api-key",
        "A service-specific credential for Bedrock: a long-term Bedrock API key.",
        [
            inDev("aws:iam/serviceSpecificCredential:ServiceSpecificCredential", "bedrock-key", {
                userName: "chatbot",
                serviceName: "bedrock.amazonaws.com",
                credentialAgeDays: 30,
            }),
        ],
    ),
    bad(
        CREDENTIALS,
        "federated-trust-long-lived-signing-certificate",
        "A signing certificate lets a user sign requests to older SOAP APIs indefinitely.",
        [
            inDev("aws:iam/signingCertificate:SigningCertificate", "signing", {
                userName: "legacy-soap",
                certificateBody: "-----BEGIN CERTIFICATE-----\nMIIC2jCCAcKgAwIBAgIJAExample\n-----END CERTIFICATE-----",
            }),
        ],
    ),
    bad(
        CREDENTIALS,
        "federated-trust-long-lived-codecommit-ssh-key",
        "An IAM user's SSH key opens CodeCommit to whoever holds the private half.",
        [inDev("aws:iam/sshKey:SshKey", "git-key", { username: "git-bot", encoding: "SSH", publicKey: SSH_PUBLIC_KEY })],
    ),
    bad(
        "iam-no-users",
        "federated-trust-long-lived-user-alone",
        "An IAM user alone holds no credential yet, but exists to hold one (advisory).",
        [user("data-scientist")],
    ),

    fine(
        "federated-trust-long-lived-server-certificate",
        "A server certificate is a TLS identity for a load balancer, not a user's credential.",
        [
            inDev("aws:iam/serverCertificate:ServerCertificate", "tls", {
                name: "model-api",
                certificateBody: "-----BEGIN CERTIFICATE-----\nMIIC2jCCAcKgAwIBAgIJAExample\n-----END CERTIFICATE-----",
            }),
        ],
    ),
    fine("federated-trust-long-lived-account-password-policy", "The account's password policy tightens passwords; it creates none.", [
        inDev("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "passwords", {
            minimumPasswordLength: 14,
            requireSymbols: true,
            maxPasswordAge: 90,
            passwordReusePrevention: 24,
        }),
    ]),
    fine(
        "federated-trust-long-lived-ec2-key-pair",
        "An EC2 key pair's public half for break-glass instance access: not an IAM credential.",
        [inDev("aws:ec2/keyPair:KeyPair", "break-glass", { keyName: "break-glass", publicKey: SSH_PUBLIC_KEY })],
    ),
    fine("federated-trust-long-lived-transfer-user-key", "A Transfer Family user's SSH key authenticates to the SFTP server, not to AWS.", [
        inDev("aws:transfer/sshKey:SshKey", "partner-sftp", { serverId: "s-0123456789abcdef0", userName: "partner", body: SSH_PUBLIC_KEY }),
    ]),
    fine(
        "federated-trust-long-lived-credential-in-secrets-manager",
        "A third-party credential kept in Secrets Manager with a customer managed key.",
        [
            inDev("aws:secretsmanager/secret:Secret", "vendor", {
                name: "vendor/api-credentials",
                kmsKeyId: DEV_KEY,
                description: `Vendor API access for ${DEV}`,
            }),
        ],
    ),
];
