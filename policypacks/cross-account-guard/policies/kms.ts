/** KMS rules: rotation, an explicit key policy without open grants, a safe deletion window. */
import { PolicyResource } from "@pulumi/policy";
import { allowedAccountsConfig, resourceRule, stackRule } from "../lib/rule";
import { ofTypes } from "../lib/resources";
import { Statement } from "../lib/iam/policy";
import { openGrants } from "../lib/iam/openGrants";
import { keyUseIn } from "../lib/iam/dataAccess";
import { OWN_ACCOUNT_SOURCES, ownAccountOf } from "../lib/accounts";

const KEY = ["aws:kms/key:Key"] as const;
export const keyRotation = resourceRule(
    {
        name: "kms-key-rotation",
        description: "Symmetric customer managed keys rotate their key material automatically.",
        category: "encryption",
        severity: "high",
        remediation: "Set enableKeyRotation: true (and optionally rotationPeriodInDays) on the aws.kms.Key.",
    },
    KEY,
    (key, report) => {
        const spec = key.props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && key.props.enableKeyRotation !== true) report("Key rotation is not enabled.");
    },
);

export const keyExplicitPolicy = resourceRule(
    {
        name: "kms-explicit-key-policy",
        description: "Every key has an explicit key policy rather than the default that delegates everything to IAM.",
        category: "encryption",
        severity: "high",
        remediation: "Set policy on the aws.kms.Key: administration by the account, and a statement per principal that uses the key.",
    },
    KEY,
    (key, report) => {
        if (!("policy" in key.props) || key.props.policy === "") report("The key has no explicit key policy.");
    },
);

export const keyPolicyNoOpenGrants = resourceRule(
    {
        name: "kms-policy-no-open-grants",
        description:
            "Key policies allow neither \"*\", nor accounts outside the allowed list (with or without a condition), nor another account's whole root the use of the key unless a condition restricts the principal; the key's own account root (AWS's default delegation to IAM) is not a cross-account grant.",
        category: "public-access",
        severity: "critical",
        remediation:
            'Grant named accounts (listed in allowedAccountIds) with an aws:PrincipalArn condition, or restrict "*" with kms:CallerAccount / aws:SourceAccount.',
        config: allowedAccountsConfig("key policies"),
    },
    KEY,
    (key, report, config) => {
        // The key's own root with kms:* is AWS's default key policy: it makes IAM policies of that account effective.
        // Without the key's account, grants to allowed accounts' roots wait for kms-key-owner-delegation.
        const options = { grantsData: usesKey, ownAccount: ownAccountOf(key, config.stackAccounts), deferAllowedRoots: true };
        for (const problem of openGrants(key.props.policy, config.allowedAccountIds, options)) report(problem);
    },
);

const usesKey = (s: Statement) => keyUseIn(s.actions).length > 0;

/** The one account the stack's resources say they live in (ARNs, providers, the pack config), if they agree. */
function stackAccount(resources: readonly PolicyResource[], stackAccounts: Readonly<Record<string, string>>): string | undefined {
    const accounts = new Set(resources.map((r) => ownAccountOf(r, stackAccounts)).filter((a): a is string => !!a));
    return accounts.size === 1 ? [...accounts][0] : undefined;
}

export const keyOwnerDelegation = stackRule(
    {
        name: "kms-key-owner-delegation",
        description:
            "For keys whose own account the key alone does not say, grants of key use to an allowed account's whole root are judged with the account the rest of the stack lives in: the owner's root is AWS's default delegation to IAM, another account's root needs a condition naming the roles.",
        category: "public-access",
        severity: "high",
        remediation:
            "Set allowedAccountIds (one account) on the provider or stackAccounts in the pack config so the key's account is known; restrict another account's root with an aws:PrincipalArn condition.",
        config: allowedAccountsConfig("key policies"),
    },
    (resources, report, config) => {
        const keys = ofTypes(resources, KEY).filter((k) => !ownAccountOf(k, config.stackAccounts));
        const own = stackAccount(resources, config.stackAccounts);
        for (const key of keys) {
            for (const problem of openGrants(key.props.policy, config.allowedAccountIds, { grantsData: usesKey, ownAccount: own })) {
                if (!/grants data access to every principal/.test(problem)) continue;
                const unknown = own
                    ? ""
                    : `; the key's account is unknown (${OWN_ACCOUNT_SOURCES}, nor does any other resource of the stack say it): if that root is the key's own account, this is AWS's default key policy, not an open grant`;
                report(`Key ${key.name}: ${problem}${unknown}`, key.urn);
            }
        }
    },
);

export const keyDeletionWindow = resourceRule(
    {
        name: "kms-deletion-window",
        description: "Keys scheduled for deletion wait at least the configured number of days, so a mistaken deletion can be cancelled.",
        category: "resilience",
        severity: "medium",
        remediation: "Set deletionWindowInDays on the aws.kms.Key to at least the configured minimum (AWS allows 7-30; 30 is the default).",
        config: { minimumDays: { schema: { type: "integer", minimum: 7, maximum: 30 }, default: 30 } },
    },
    KEY,
    (key, report, config) => {
        const days = key.props.deletionWindowInDays ?? 30;
        if (days < config.minimumDays) report(`Deletion window of ${days} days is below the minimum of ${config.minimumDays}.`);
    },
);

export const kmsPolicies = [keyRotation, keyExplicitPolicy, keyPolicyNoOpenGrants, keyOwnerDelegation, keyDeletionWindow];
