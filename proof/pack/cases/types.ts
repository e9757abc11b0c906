/**
 * Threat-model cases for the policy pack: resources as the engine sends them to the analyzer,
 * each judged insecure (a named rule must report it) or acceptable (no rule may report anything).
 * Written from the three architectures' threat model (docs/policy-pack.md, "Threat model"), not
 * from the rules' wording; the rule tests, the mutation check and the peer comparison
 * (`npm run policy -- peers`) all read them.
 */

/** The threat classes of issue 21 and the questions of the threat model. */
export type ThreatClass =
    | "hollow-condition" // conditions that look restrictive and are not
    | "not-element" // Allow with NotPrincipal, NotAction, NotResource
    | "consumer-write" // consumers read shared artifacts, only research writes
    | "grant-resource" // access granted outside policy documents (KMS grants, ACLs, permissions, shares)
    | "open-grant" // resource policies open to everyone or to accounts outside the environment
    | "plaintext-secret" // tokens, passwords, keys in String parameters, environment variables, tags
    | "ml-internet-path" // ML resources with a direct internet path
    | "open-egress" // security-group egress to the internet
    | "data-perimeter" // accounts outside the environment in any field
    | "admin-power" // administrative power outside administrator roles
    | "federated-trust" // web-identity and SAML trusts, IAM users with keys or passwords
    | "evidence" // logs, trails, immutable images, scanning
    | "guardrail" // SCPs that do nothing
    | "service-trust" // confused deputy on service trusts
    | "encryption"; // keys and encryption settings

/** A resource as the analyzer receives it (AnalyzeRequest): inputs, property dependencies by name, provider inputs. */
export interface CaseResource {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    /** Property name → names of resources of the same case it depends on. */
    readonly deps?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: { readonly props: Record<string, unknown> };
}

export interface PackCase {
    /** Unique, kebab-case: `<class>-<what>`. */
    readonly id: string;
    readonly threat: ThreatClass;
    readonly verdict: "insecure" | "acceptable";
    /** For insecure cases: the rule that must report it. */
    readonly rule?: string;
    /** One sentence: why this is insecure (or why it is acceptable although it looks risky). */
    readonly why: string;
    /** The stack the resources belong to (the URN's stack); `dev` unless said. */
    readonly stack?: string;
    readonly resources: readonly CaseResource[];
    /** Per-rule configuration merged over the environment's (ENVIRONMENT_CONFIG). */
    readonly config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The environment the cases live in: research, dev and prod (as the shipped stacks). */
export const RESEARCH = "111122223333";
export const DEV = "777788889999";
export const PROD = "444455556666";
/** An account outside the environment. */
export const OUTSIDER = "999988887777";
export const ORG_ID = "o-a1b2c3d4e5";

/** A provider pinned to one account, as the engine sends the default provider's inputs. */
export const providerIn = (account: string) => ({ props: { region: "us-east-1", allowedAccountIds: JSON.stringify([account]) } });

/** A policy document as the program passes it: a JSON string. */
export const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
