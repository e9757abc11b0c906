/**
 * The VPC endpoints a hosting stack's requests go through: its own, and other accounts' endpoints
 * its principals' credentials could be used through, which the fenced resources must refuse.
 */
import type { ResearchConfig } from "../../lib/config/stackConfig";
import { HostingStack, isHosting } from "../../lib/contracts";
import type { ParsedStack } from "./accessPath";
import { EndpointOnPath, OUTSIDER_ACCOUNT, OUTSIDER_ENDPOINT } from "./network";

/** The hosting stack's VPC endpoint for a service (`s3` or an interface endpoint's name), owned by its account. */
export function endpointOf(stack: HostingStack, service: string, research: ResearchConfig): EndpointOnPath | undefined {
    const out = stack.exports;
    const id = service === "s3" ? out.s3EndpointId : out.interfaceEndpointIds[service];
    // The environment's accounts are members of the organization the perimeter names.
    return id ? { id, ownerAccount: stack.config.accountId, organizationId: research.perimeter.organizationId } : undefined;
}

/**
 * Endpoints of other accounts a principal's credentials could be used through: the next hosting
 * stack's (one stands for all, as every perimeter names the principal's own account or endpoint)
 * and an outsider's, each with the words a path's reason uses.
 */
export function foreignEndpoints(
    parsed: readonly ParsedStack[],
    self: HostingStack,
    service: string,
    research: ResearchConfig,
): { label: string; endpoint: EndpointOnPath }[] {
    const hosting = parsed.filter(isHosting);
    const next = hosting.length > 1 ? hosting[(hosting.indexOf(self) + 1) % hosting.length] : undefined;
    const other = next && endpointOf(next, service, research);
    return [
        ...(other ? [{ label: `an endpoint of ${next!.config.stack} (${next!.config.accountId})`, endpoint: other }] : []),
        { label: `an outside account's endpoint (${OUTSIDER_ACCOUNT})`, endpoint: OUTSIDER_ENDPOINT },
    ];
}
