import * as pulumi from "@pulumi/pulumi";
import { StackConfig, parseStackConfig } from "./stackConfig";
import { ProjectStacks, readProjectStacks } from "./projectStacks";

/**
 * The keys the Pulumi CLI marks secret (PULUMI_CONFIG_SECRET_KEYS). The SDK's `isConfigSecret` is
 * exported at run time but left out of its type declarations, hence the guarded look-up.
 */
function secretKeys(keys: readonly string[]): string[] {
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    return isSecret ? keys.filter((k) => isSecret(k)) : [];
}

/**
 * Reads and validates the current stack's configuration; the program's only use of Pulumi config.
 * `stacks` are the project's stacks that settings may name: by default its stack files; none
 * (`{}`) checks no names.
 */
export function loadStackConfig({ stacks }: { stacks?: ProjectStacks } = { stacks: readProjectStacks() }): StackConfig {
    const raw = pulumi.runtime.allConfig();
    return parseStackConfig(pulumi.getStack(), raw, { stacks, secretKeys: secretKeys(Object.keys(raw)) });
}
