/**
 * The contracts between the stacks: what each program exports, typed for its producer
 * (`Exported<...>`, the program's return type) and checked at run time for its readers, whose
 * values come from another stack.
 */
import type { ProgramKind } from "../config/stackConfig";
import { HostingExports, parseHostingExports } from "./hosting";
import { OrganizationExports, parseOrganizationExports } from "./organization";
import { ResearchExports, parseResearchExports } from "./research";

export type { Exported } from "./exported";
export type { HostingExports } from "./hosting";
export type { OrganizationExports } from "./organization";
export type { ResearchExports } from "./research";

/** A stack's exports, told apart by the program that produced them. */
export type StackExports =
    | { readonly program: "research"; readonly exports: ResearchExports }
    | { readonly program: "hosting"; readonly exports: HostingExports }
    | { readonly program: "organization"; readonly exports: OrganizationExports };

/** A stack's outputs checked against its program's contract. */
export function parseStackExports(program: ProgramKind, stack: string, outputs: Readonly<Record<string, unknown>>): StackExports {
    switch (program) {
        case "research":
            return { program, exports: parseResearchExports(stack, outputs) };
        case "hosting":
            return { program, exports: parseHostingExports(stack, outputs) };
        case "organization":
            return { program, exports: parseOrganizationExports(stack, outputs) };
    }
}
