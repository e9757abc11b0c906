/** Seed 002 policies: the ML account's model access role and the consumer's application role. */
import { PolicyDocument, Statement, onlyRole, policy } from "./document";
import { arn } from "../naming";

/**
 * Trust of the access role: only the consumer's application role (through its account root with
 * an aws:PrincipalArn condition, valid before that role exists), with the external ID if one is set.
 */
export function modelAccessTrustPolicy(partition: string, consumerAccountId: string, appRoleName: string, externalId?: string): PolicyDocument {
    return policy([{
        Sid: "ConsumerApplicationRole",
        Effect: "Allow",
        Principal: { AWS: arn.accountRoot(partition, consumerAccountId) },
        Action: "sts:AssumeRole",
        Condition: {
            ...onlyRole(arn.role(partition, consumerAccountId, appRoleName)),
            ...(externalId ? { StringEquals: { "sts:ExternalId": externalId } } : {}),
        },
    }]);
}

/**
 * What the access role may do: call DetectCustomLabels on the granted versions, nothing else (it
 * cannot start, stop, create or delete projects or versions). With `onlyThroughEndpoints`, calls
 * not made through those VPC endpoints are denied; an empty list denies every call (fail closed).
 */
export function modelAccessPolicy(grantedVersions: readonly string[], onlyThroughEndpoints?: readonly string[]): PolicyDocument | undefined {
    const statements: Statement[] = [];
    if (grantedVersions.length > 0) {
        statements.push({ Sid: "DetectWithGrantedVersions", Effect: "Allow", Action: "rekognition:DetectCustomLabels", Resource: [...grantedVersions] });
    }
    if (grantedVersions.length > 0 && onlyThroughEndpoints) {
        statements.push({
            Sid: "DenyOutsideConsumerVpcEndpoint",
            Effect: "Deny",
            Action: "rekognition:DetectCustomLabels",
            Resource: [...grantedVersions],
            ...(onlyThroughEndpoints.length > 0 ? { Condition: { StringNotEquals: { "aws:sourceVpce": [...onlyThroughEndpoints] } } } : {}),
        });
    }
    return statements.length > 0 ? policy(statements) : undefined;
}

/** The source ARN pattern of the resources a service acts for, per application service principal. */
function sourceArnPattern(partition: string, region: string, accountId: string, service: string): string {
    const prefix = service.split(".")[0] === "ecs-tasks" ? "ecs" : service.split(".")[0];
    return `arn:${partition}:${prefix}:${region}:${accountId}:*`;
}

/** Trust of the consumer's application role: its compute service, for this account's resources only. */
export function appRoleTrustPolicy(partition: string, region: string, accountId: string, service: string): PolicyDocument {
    return policy([{
        Sid: "ApplicationServiceOfThisAccount",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": sourceArnPattern(partition, region, accountId, service) },
        },
    }]);
}

/** What the application role may do: assume the ML account's access role and read the version parameter. */
export function appRolePolicy(accessRoleArn: string, parameterArn: string): PolicyDocument {
    return policy([
        { Sid: "AssumeModelAccessRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: accessRoleArn },
        { Sid: "ReadModelVersionParameter", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameterArn },
    ]);
}
