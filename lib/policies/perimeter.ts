/**
 * The network perimeter of the research account's shared data: from which VPC endpoints other
 * accounts' requests must come. Two forms, one place:
 *
 * - by endpoint owner (default): a request must come through a VPC endpoint owned by the
 *   requester's own account (`aws:VpceAccount`, IAM's global key since 2025), optionally also of
 *   an account in the organization (`aws:VpceOrgID`). No endpoint ID is needed, so the research
 *   stack never reads a hosting stack back, and the policy does not grow with endpoints.
 * - by endpoint ID (opt-in, stricter): a request must come through named endpoints
 *   (`aws:SourceVpce`), which only the hosting stacks know; research reads them back.
 *
 * Both keys are absent from requests that use no endpoint, and negated operators match a missing
 * key, so every Deny here also refuses requests from outside any VPC: fail closed.
 */
import { Conditions, Statement } from "./document";

/** How one set of principals must reach the research account's resources. */
export type Perimeter =
    | { readonly kind: "endpoint-owner"; readonly organizationId?: string }
    /** An empty list (the consumer stack is not deployed yet) refuses everything. */
    | { readonly kind: "endpoint-id"; readonly endpointIds: readonly string[] };

/**
 * Services that put `aws:VpceAccount`, `aws:VpceOrgID` and `aws:VpceOrgPaths` in the request
 * context, among those this project restricts (IAM User Guide, "AWS global condition context keys",
 * aws:VpceAccount: "The following services support this key": Amazon S3, AWS KMS, Amazon
 * Rekognition are listed; SageMaker, STS, Systems Manager, Bedrock and CloudWatch Logs are not).
 * AWS: "Always scope the condition key to supported services in your policies."
 */
export const VPCE_OWNER_KEY_SERVICES: readonly string[] = ["s3", "kms", "rekognition"];

/** The policy variable for the requesting principal's account. */
export const PRINCIPAL_ACCOUNT = "${aws:PrincipalAccount}";

/** Merges condition blocks, keys of one operator together (all must match, as in one block). */
export function mergeConditions(...blocks: Conditions[]): Conditions {
    const merged: Conditions = {};
    for (const block of blocks) {
        for (const [operator, keys] of Object.entries(block)) merged[operator] = { ...merged[operator], ...keys };
    }
    return merged;
}

/** Refuses a perimeter by endpoint owner on actions of a service that does not evaluate the keys. */
function assertOwnerKeysSupported(actions: readonly string[]): void {
    const unsupported = actions.filter((a) => !VPCE_OWNER_KEY_SERVICES.includes(a.split(":")[0]));
    if (unsupported.length > 0) {
        throw new Error(
            `aws:VpceAccount is not evaluated for ${unsupported.join(", ")}; only ${VPCE_OWNER_KEY_SERVICES.join(", ")} support it. Pin these actions to endpoint IDs instead.`,
        );
    }
}

/**
 * Conditions matching a request that did not come through the perimeter's endpoints: for the
 * endpoint-owner form, an endpoint of `endpointAccount` (by default the principal's own account: a
 * role of account A reaches the data only from A's VPCs); for the endpoint-ID form, one of the
 * named endpoints.
 */
export function outsidePerimeter(perimeter: Perimeter, actions: readonly string[], endpointAccount = PRINCIPAL_ACCOUNT): Conditions {
    if (perimeter.kind === "endpoint-id") {
        return perimeter.endpointIds.length > 0 ? { StringNotEquals: { "aws:SourceVpce": [...perimeter.endpointIds] } } : {};
    }
    assertOwnerKeysSupported(actions);
    return { StringNotEquals: { "aws:VpceAccount": endpointAccount } };
}

/** Requests AWS services make, directly or on a principal's behalf, which carry no network context of the caller. */
export const NOT_BY_AWS_SERVICES: Conditions = { BoolIfExists: { "aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false" } };

/**
 * Statements refusing every other account's request to a resource of `ownAccountId` that does not
 * come through the perimeter: requests of the owning account, and those AWS services make (the
 * exceptions AWS documents for data perimeters), are not affected. With an organization ID, a
 * second statement refuses endpoints of accounts outside the organization.
 */
export function otherAccountsOutsidePerimeter(
    perimeter: Perimeter,
    ownAccountId: string,
    actions: readonly string[],
    resources: string | string[],
): Statement[] {
    const base = { Effect: "Deny" as const, Principal: "*" as const, Action: [...actions], Resource: resources };
    const otherAccounts: Conditions = { StringNotEquals: { "aws:PrincipalAccount": ownAccountId } };
    // The endpoint-ID form: a missing aws:SourceVpce (no endpoint) must refuse too, hence IfExists.
    const outside =
        perimeter.kind === "endpoint-id"
            ? perimeter.endpointIds.length > 0
                ? { StringNotEqualsIfExists: { "aws:SourceVpce": [...perimeter.endpointIds] } }
                : {}
            : outsidePerimeter(perimeter, actions);
    const statements: Statement[] = [
        {
            Sid: "DenyOtherAccountsOutsideDesignatedEndpoints",
            ...base,
            Condition: mergeConditions(otherAccounts, NOT_BY_AWS_SERVICES, outside),
        },
    ];
    if (perimeter.kind === "endpoint-owner" && perimeter.organizationId) {
        statements.push({
            Sid: "DenyEndpointsOutsideOrganization",
            ...base,
            Condition: mergeConditions(otherAccounts, NOT_BY_AWS_SERVICES, {
                StringNotEquals: { "aws:VpceOrgID": perimeter.organizationId },
            }),
        });
    }
    return statements;
}
