/** Rekognition Custom Labels sharing policies: the ML account's model access role and the consumer's application role. */
import { PolicyDocument, Statement, onlyRole, policy } from "./document";
import { Perimeter, outsidePerimeter } from "./perimeter";
import { arn } from "../naming";

/**
 * Trust of the access role: only the consumer's application role (through its account root with
 * an aws:PrincipalArn condition, valid before that role exists), with the external ID if one is set.
 */
export function modelAccessTrustPolicy(
    partition: string,
    consumerAccountId: string,
    appRoleName: string,
    externalId?: string,
): PolicyDocument {
    return policy([
        {
            Sid: "ConsumerApplicationRole",
            Effect: "Allow",
            Principal: { AWS: arn.accountRoot(partition, consumerAccountId) },
            Action: "sts:AssumeRole",
            Condition: {
                ...onlyRole(arn.role(partition, consumerAccountId, appRoleName)),
                ...(externalId ? { StringEquals: { "sts:ExternalId": externalId } } : {}),
            },
        },
    ]);
}

/**
 * What the access role may do: call DetectCustomLabels on the granted versions, nothing else (it
 * cannot start, stop, create or delete projects or versions). With a perimeter, calls that do not
 * come through the consumer's VPC endpoints are denied: by endpoint owner, an endpoint of the
 * consumer account (the role's session is the ML account's, so the account is named, not the
 * principal's); by endpoint ID, the named endpoints, none yet denying every call (fail closed).
 */
export function modelAccessPolicy(
    grantedVersions: readonly string[],
    consumerAccountId: string,
    perimeter?: Perimeter,
): PolicyDocument | undefined {
    if (grantedVersions.length === 0) return undefined;
    const action = "rekognition:DetectCustomLabels";
    const statements: Statement[] = [{ Sid: "DetectWithGrantedVersions", Effect: "Allow", Action: action, Resource: [...grantedVersions] }];
    if (perimeter) {
        const outside = outsidePerimeter(perimeter, [action], consumerAccountId);
        statements.push({
            Sid: "DenyOutsideConsumerVpcEndpoint",
            Effect: "Deny",
            Action: action,
            Resource: [...grantedVersions],
            ...(Object.keys(outside).length > 0 ? { Condition: outside } : {}),
        });
    }
    return policy(statements);
}

/** The source ARN pattern of the resources a service acts for, per application service principal. */
function sourceArnPattern(partition: string, region: string, accountId: string, service: string): string {
    const prefix = service.split(".")[0] === "ecs-tasks" ? "ecs" : service.split(".")[0];
    return `arn:${partition}:${prefix}:${region}:${accountId}:*`;
}

/** Trust of the consumer's application role: its compute service, for this account's resources only. */
export function appRoleTrustPolicy(partition: string, region: string, accountId: string, service: string): PolicyDocument {
    return policy([
        {
            Sid: "ApplicationServiceOfThisAccount",
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": sourceArnPattern(partition, region, accountId, service) },
            },
        },
    ]);
}

/** What the application role may do: assume the ML account's access role and read the version parameter. */
export function appRolePolicy(accessRoleArn: string, parameterArn: string): PolicyDocument {
    return policy([
        { Sid: "AssumeModelAccessRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: accessRoleArn },
        { Sid: "ReadModelVersionParameter", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameterArn },
    ]);
}
