/**
 * Configuration errors. Every problem names the config key, the stack file that holds it and the
 * form that was expected, so an operator can fix the YAML without reading this code.
 */

/** One problem with one configuration key. */
export interface ConfigIssue {
    /** Fully qualified key, e.g. `cross-account-models:consumers[1].accountId`. */
    readonly key: string;
    /** What is wrong and what form is expected. */
    readonly message: string;
}

/** Thrown before any resource is registered when a stack's configuration is invalid. */
export class ConfigError extends Error {
    constructor(
        readonly stackFile: string,
        readonly issues: readonly ConfigIssue[],
    ) {
        super(`Invalid configuration in ${stackFile}:\n` + issues.map((i) => `  - ${i.key}: ${i.message}`).join("\n"));
        this.name = "ConfigError";
    }
}

/**
 * Collects issues while a configuration is parsed, so one run reports every problem at once
 * instead of making the operator fix them one `pulumi up` at a time.
 */
export class IssueCollector {
    private readonly found: ConfigIssue[] = [];

    constructor(readonly stackFile: string) {}

    add(key: string, message: string): void {
        this.found.push({ key, message });
    }

    get issues(): readonly ConfigIssue[] {
        return this.found;
    }

    /** Throws a {@link ConfigError} with what was collected so far, to stop parsing here. */
    throwNow(): never {
        throw new ConfigError(this.stackFile, this.found);
    }

    /** Throws a {@link ConfigError} if anything was collected. */
    throwIfAny(): void {
        if (this.found.length > 0) {
            throw new ConfigError(this.stackFile, this.found);
        }
    }
}

/** The stack file Pulumi reads a stack's configuration from. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}
