/** Assertions on configuration errors: the message names the key, the stack file and the expected form. */
import { strict as assert } from "assert";
import { ParseContext, StackConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { ConfigError } from "../../lib/config/errors";
import { RawConfig } from "../../lib/config/reader";
import { StackRunError, runStack } from "../../proof/runtime/runStack";
import { stackReferenceName } from "../../lib/naming";
import { ResearchExports } from "../../lib/contracts/research";

/** Parses a config expected to be invalid and returns the error's text. */
export function configError(stack: string, raw: RawConfig, context?: ParseContext): string {
    let parsed: StackConfig;
    try {
        parsed = parseStackConfig(stack, raw, context);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${(err as Error).stack}`);
        return err.message;
    }
    assert.fail(`configuration of ${stack} was accepted: ${JSON.stringify(parsed)}`);
}

/** The error a function throws, which must be a ConfigError. */
export function thrownConfigError(f: () => unknown): string {
    try {
        f();
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${(err as Error).stack}`);
        return err.message;
    }
    assert.fail("no error was thrown");
}

/** Asserts the message names the key, the stack file and each expected fragment. */
export function assertNames(message: string, stackFile: string, key: string, ...fragments: string[]): void {
    for (const part of [stackFile, key, ...fragments]) {
        assert.ok(message.includes(part), `message lacks "${part}":\n${message}`);
    }
}

/**
 * Runs a stack with a changed config and returns the failure, checking nothing but the stack itself
 * (and StackReferences, which read) was registered. `created` names other stacks of the simulated
 * environment that have no stack file.
 */
export async function failedRun(
    stack: string,
    raw: RawConfig,
    upstream?: Readonly<Record<string, unknown>> | ResearchExports,
    created: readonly string[] = [],
): Promise<string> {
    const stackOutputs = new Map(upstream ? [["organization/cross-account-models/research", { ...upstream }]] : []);
    try {
        await runStack(stack, { config: raw, stackOutputs, createdStacks: new Set(created.map((s) => stackReferenceName(s))) });
    } catch (err) {
        assert.ok(err instanceof StackRunError, `expected a StackRunError, got ${err}`);
        const declared = err.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:pulumi:StackReference");
        assert.deepEqual(
            declared.map((r) => r.type),
            [],
            "resources were registered before the configuration was rejected",
        );
        return err.message;
    }
    assert.fail(`${stack} ran with an invalid configuration`);
}

/**
 * Runs a stack whose configuration is invalid: it must fail with a ConfigError before registering
 * anything at all but the stack itself (no StackReference either).
 */
export async function refusedRun(stack: string, raw: RawConfig): Promise<string> {
    try {
        await runStack(stack, { config: raw });
    } catch (err) {
        assert.ok(err instanceof StackRunError, `expected a StackRunError, got ${err}`);
        assert.ok(err.cause instanceof ConfigError, `expected a ConfigError, got ${err.cause.stack}`);
        assert.deepEqual(
            err.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
            "something was registered before the configuration was rejected",
        );
        return err.message;
    }
    assert.fail(`${stack} ran with an invalid configuration`);
}
