/**
 * The network part of a request's context, as AWS fills it in: what a request through a VPC
 * endpoint carries, so the proof decides endpoint-only policies of both forms (by endpoint ID and
 * by endpoint owner) the way AWS does.
 */
import { VPCE_OWNER_KEY_SERVICES } from "../../lib/policies/perimeter";

/** A VPC endpoint a request goes through. */
export interface EndpointOnPath {
    readonly id: string;
    /** The account that owns the endpoint (its VPC's account). */
    readonly ownerAccount: string;
    /** The owner's organization, when it is in one. */
    readonly organizationId?: string;
}

/** An account no stack declares, standing for everyone outside the environment. */
export const OUTSIDER_ACCOUNT = "999999999999";

/** An endpoint of the outsider's own VPC: stolen credentials used from another network. */
export const OUTSIDER_ENDPOINT: EndpointOnPath = { id: "vpce-0999999999999999a", ownerAccount: OUTSIDER_ACCOUNT };

/**
 * Context keys of a request through `endpoint` to `service` (an IAM prefix): `aws:SourceVpce`
 * always; `aws:VpceAccount` and `aws:VpceOrgID` only for services that evaluate them (IAM User
 * Guide, global condition keys: "included in the request context when a request is made through a
 * VPC endpoint"; VpceOrgID only when "the VPC endpoint owner account is a member of an AWS
 * organization").
 */
export function throughEndpoint(endpoint: EndpointOnPath, service: string): Record<string, string> {
    if (!VPCE_OWNER_KEY_SERVICES.includes(service)) return { "aws:SourceVpce": endpoint.id };
    return {
        "aws:SourceVpce": endpoint.id,
        "aws:VpceAccount": endpoint.ownerAccount,
        ...(endpoint.organizationId ? { "aws:VpceOrgID": endpoint.organizationId } : {}),
    };
}
