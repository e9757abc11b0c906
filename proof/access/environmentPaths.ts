/**
 * The access paths an environment's architectures require and forbid, as data: who may do what on
 * which resource, through which network path, and who must not. Derived from the stacks'
 * configuration and exports, so adding a hosting account adds its paths.
 */
import { parseStackConfig } from "../../lib/config/stackConfig";
import { contractedStack } from "../../lib/contracts";
import type { AccessPath, ParsedStack, StackFacts } from "./accessPath";
import { bedrockImportPaths } from "./bedrockImportPaths";
import { deploymentPaths } from "./deploymentPaths";
import { guardrailPaths } from "./guardrailPaths";
import type { DeclaredStack } from "./inventory";
import { rekognitionPaths } from "./rekognitionPaths";
import { sagemakerPaths } from "./sagemakerPaths";

/** Each stack's configuration parsed and its exports checked, once. */
export function parseStacks(stacks: readonly StackFacts[]): ParsedStack[] {
    return stacks.map((facts) => contractedStack(parseStackConfig(facts.stack, facts.config), facts.outputs));
}

/**
 * Every architecture's paths for an environment, each stack's configuration parsed once; with the
 * stacks' declared resources, also the deployment identity's (deploymentPaths.ts).
 */
export function environmentPaths(stacks: readonly StackFacts[], declared: readonly DeclaredStack[] = []): AccessPath[] {
    const parsed = parseStacks(stacks);
    return [
        ...bedrockImportPaths(parsed),
        ...rekognitionPaths(parsed),
        ...sagemakerPaths(parsed),
        ...guardrailPaths(parsed),
        ...deploymentPaths(parsed, declared),
    ];
}
