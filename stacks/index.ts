import { StackConfig } from "../lib/config/stackConfig";
import { hostingProgram } from "./hosting";
import { researchProgram } from "./research";
import { organizationProgram } from "./organization";
import { bootstrapProgram, projectConfigs } from "./bootstrap";
import type { BootstrapExports, Exported, HostingExports, OrganizationExports, ResearchExports } from "../lib/contracts";

/**
 * Runs the program that `cross-account-models:program` selects, returning the stack's exports.
 * `projectDir` holds the stack files a bootstrap stack reads the other stacks' configuration from
 * (the project's own, but for an offline run of a copy).
 */
export async function runProgram(
    config: StackConfig,
    projectDir?: string,
): Promise<Exported<ResearchExports> | Exported<HostingExports> | Exported<OrganizationExports> | Exported<BootstrapExports>> {
    switch (config.program) {
        case "research":
            return researchProgram(config);
        case "hosting":
            return hostingProgram(config);
        case "organization":
            return organizationProgram(config);
        case "bootstrap":
            return bootstrapProgram(config, projectConfigs(projectDir));
    }
}
