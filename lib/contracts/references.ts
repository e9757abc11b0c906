/**
 * Which other stacks a program reads, from its parsed configuration alone: the stack graph as the
 * stack files declare it, known without running any program. The programs read exactly these
 * (hosting: `readUpstream(config.researchStack)` in stacks/hosting.ts; research:
 * `readConsumerFeedback` in stacks/researchPerimeter.ts); test/contracts.test.ts runs every shipped
 * stack under mocks and checks that the references it registers are the ones declared here.
 */
import type { ResearchConfig, StackConfig } from "../config/stackConfig";
import { referencedStack } from "../naming";
import { isPinned } from "../config/perimeterConfig";

export interface StackReads {
    /** Stacks that must be deployed first: their exports are read before anything is declared. */
    readonly upstream: readonly string[];
    /**
     * Stacks read back after they are deployed (`feedback:<stack>` references): values only the
     * downstream stack knows; the orchestrator re-applies the reader until nothing changes.
     */
    readonly feedback: readonly string[];
}

/**
 * The consumer stacks research must read endpoint IDs back from: only stacks pinned to their
 * endpoint IDs (`perimeter`) whose access some perimeter restricts. By default (perimeter by
 * endpoint owner) there are none, and research references no other stack.
 */
export function pinnedFeedbackStacks(config: ResearchConfig): string[] {
    const restricted = [
        ...config.consumers.filter((c) => c.requireVpcEndpoint || config.vpcEndpointOnly).map((c) => c.stack),
        ...(config.rekognition?.consumers ?? []).filter((c) => c.requireVpcEndpoint).map((c) => c.stack),
        ...(config.sagemaker?.targets ?? []).map((t) => t.stack),
    ];
    return [...new Set(restricted)].filter((stack) => isPinned(config.perimeter, stack));
}

/** The stacks a stack's program reads (short stack names), by its configuration. */
export function stacksRead(config: StackConfig): StackReads {
    switch (config.program) {
        case "hosting":
            return { upstream: [referencedStack(config.researchStack)], feedback: [] };
        case "research":
            return { upstream: [], feedback: pinnedFeedbackStacks(config).map(referencedStack) };
        case "organization":
        case "bootstrap":
            return { upstream: [], feedback: [] };
    }
}
