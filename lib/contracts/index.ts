/**
 * The contracts between the stacks: what each program exports, typed for its producer
 * (`Exported<...>`, the program's return type) and checked at run time for its readers, whose
 * values come from another stack.
 */
import type { BootstrapConfig, HostingConfig, OrganizationConfig, ResearchConfig, StackConfig } from "../config/stackConfig";
import { BootstrapExports, parseBootstrapExports } from "./bootstrap";
import { HostingExports, parseHostingExports } from "./hosting";
import { OrganizationExports, parseOrganizationExports } from "./organization";
import { ResearchExports, parseResearchExports } from "./research";

export type { Exported } from "./exported";
export type { BootstrapExports, HostingExports, OrganizationExports, ResearchExports };

/** A stack's parsed configuration with its outputs checked against its program's contract. */
export type ResearchStack = { readonly config: ResearchConfig; readonly exports: ResearchExports };
export type HostingStack = { readonly config: HostingConfig; readonly exports: HostingExports };
export type OrganizationStack = { readonly config: OrganizationConfig; readonly exports: OrganizationExports };
export type BootstrapStack = { readonly config: BootstrapConfig; readonly exports: BootstrapExports };
export type ContractedStack = ResearchStack | HostingStack | OrganizationStack | BootstrapStack;

export const isResearch = (s: ContractedStack): s is ResearchStack => s.config.program === "research";
export const isHosting = (s: ContractedStack): s is HostingStack => s.config.program === "hosting";
export const isBootstrap = (s: ContractedStack): s is BootstrapStack => s.config.program === "bootstrap";

/** A stack's outputs checked against the contract of the program its configuration runs. */
export function contractedStack(config: StackConfig, outputs: Readonly<Record<string, unknown>>): ContractedStack {
    switch (config.program) {
        case "research":
            return { config, exports: parseResearchExports(config.stack, outputs) };
        case "hosting":
            return { config, exports: parseHostingExports(config.stack, outputs) };
        case "organization":
            return { config, exports: parseOrganizationExports(config.stack, outputs) };
        case "bootstrap":
            return { config, exports: parseBootstrapExports(config.stack, outputs) };
    }
}
