/**
 * Secret configuration values (`secure:` in a stack file, `pulumi config set --secret`).
 *
 * The Pulumi CLI decrypts them and hands the program plain text, marking the top-level key secret;
 * the program must keep such a value secret itself, so every value that may be sensitive is
 * parsed into a {@link ConfigSecret}: resource inputs get it as a Pulumi secret (state and previews
 * show `[secret]`), and printing or serialising the object shows `[secret]`, never the value.
 *
 * Offline (the plan, the tests, scripts reading the YAML), nothing can decrypt a `secure:` value:
 * it reads as {@link OFFLINE_SECRET}, which the parser accepts for sensitive keys without checking
 * its form, and which AWS would refuse (it is not a valid external ID), so it cannot silently
 * reach a real call. Every secret reads as the same placeholder, so offline two secrets that
 * differ look equal.
 */
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { ConfigError } from "./errors";

/** What a `secure:` value of a stack file reads as when no Pulumi CLI decrypts it. */
export const OFFLINE_SECRET = "[secret: encrypted in the stack file, not decrypted offline]";

/** The settings that may be given as secrets, for messages. */
export const SENSITIVE_SETTINGS =
    "external IDs (rekognition.externalId, rekognition.consumers[].externalId, deployment.externalId, aws:assumeRoles[0].externalId)";

/** A sensitive configuration value; its text is reachable only through the methods below. */
export class ConfigSecret {
    // A private field: not enumerable, so Pulumi's serialisation, JSON and spreads never see it.
    readonly #value: string;

    constructor(
        value: string,
        readonly key: string,
        readonly stackFile: string,
    ) {
        this.#value = value;
    }

    /** False offline, when the stack file holds it encrypted and the value is the placeholder. */
    get decrypted(): boolean {
        return this.#value !== OFFLINE_SECRET;
    }

    /** For resource inputs: a Pulumi secret, so state, previews and outputs show `[secret]`. */
    output(): pulumi.Output<string> {
        return pulumi.secret(this.#value);
    }

    /** The value as configured (the placeholder offline), for the offline access proof. */
    reveal(): string {
        return this.#value;
    }

    /** The value for a call to AWS; refuses the offline placeholder, naming the key and the file. */
    plaintext(): string {
        if (!this.decrypted) {
            throw new ConfigError(this.stackFile, [
                {
                    key: this.key,
                    message: `is encrypted (secure:) and this command reads the stack file without the Pulumi CLI, so it cannot decrypt it; expected the value through the Pulumi CLI (pulumi config get --path), or a plain value`,
                },
            ]);
        }
        return this.#value;
    }

    toString(): string {
        return "[secret]";
    }

    toJSON(): string {
        return "[secret]";
    }

    [inspect.custom](): string {
        return "[secret]";
    }
}

/** The value of an optional secret for a call to AWS (see {@link ConfigSecret.plaintext}). */
export function plaintextOf(secret: ConfigSecret | undefined): string | undefined {
    return secret?.plaintext();
}
