import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { toJson } from "../lib/policies/document";
import { DeploymentTrustArgs, deploymentPermissions, deploymentTrustPolicy } from "../lib/policies/deployment";
import { DeploymentScope } from "../lib/deployment/scope";
import { arn, deploymentRoleName, workloadBoundaryName } from "../lib/naming";
import { workloadBoundary } from "../lib/policies/boundary";

export interface DeploymentRoleArgs {
    /** What the account's stacks declare: the role may manage that and nothing else. */
    readonly scope: DeploymentScope;
    readonly ciRoleArns: readonly string[];
    readonly operatorArns: readonly string[];
    /** Required of every caller when set; kept secret in state and previews. */
    readonly externalId?: pulumi.Input<string>;
    readonly maxSessionHours: number;
    readonly tags?: Record<string, string>;
}

/**
 * An account's deployment role (the bootstrap program): the one identity every other stack of the
 * account deploys through, assumed by the CI roles of the account that runs deployments (and by
 * operators with MFA). Its permissions are the resources the account's stacks declare, by name,
 * in the account and Region; it cannot assume roles, pass roles it does not manage, or read the
 * data its buckets and keys hold, and every role it writes carries the workload boundary, created
 * here beside it. Protected: deleting it would lock every deployment out.
 */
export class DeploymentRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;
    /** The boundary every role the deployment role writes must carry. */
    public readonly workloadBoundaryArn: pulumi.Output<string>;

    constructor(name: string, args: DeploymentRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cross-account-models:deployment:DeploymentRole", name, {}, opts);
        const { partition, accountId } = args.scope;
        const trust = (externalId?: string): DeploymentTrustArgs => ({
            partition,
            ciRoleArns: args.ciRoleArns,
            operatorArns: args.operatorArns,
            externalId,
        });
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: deploymentRoleName(accountId),
                description: `Deploys the ${args.scope.stacks.join(", ") || "(no)"} stacks of cross-account-models; assumed by the CI roles`,
                // A secret external ID keeps the whole trust policy secret in state and previews.
                assumeRolePolicy: args.externalId
                    ? pulumi.output(args.externalId).apply((id) => toJson(deploymentTrustPolicy(trust(id))))
                    : toJson(deploymentTrustPolicy(trust())),
                maxSessionDuration: args.maxSessionHours * 3600,
                tags: args.tags,
            },
            { parent: this, protect: true },
        );
        // Not in the role's scope: the deployment role cannot edit the boundary it is held to.
        const boundary = new aws.iam.Policy(
            `${name}-workload-boundary`,
            {
                name: workloadBoundaryName(accountId),
                description: "Permissions boundary of every role the cross-account-models stacks create in this account",
                policy: toJson(workloadBoundary(partition, accountId)),
                tags: args.tags,
            },
            { parent: this, protect: true },
        );
        new aws.iam.RolePolicy(
            `${name}-permissions`,
            { role: this.role.name, name: "DeployTheAccountsStacks", policy: toJson(deploymentPermissions(args.scope)) },
            { parent: this, protect: true },
        );
        // The ARN is known before the role exists, so other stacks' configuration can name it.
        this.arn = this.role.arn.apply(() => arn.role(partition, accountId, deploymentRoleName(accountId)));
        this.workloadBoundaryArn = boundary.arn.apply(() => args.scope.permissionsBoundaryArn);
        this.registerOutputs({ arn: this.arn, workloadBoundaryArn: this.workloadBoundaryArn });
    }
}
