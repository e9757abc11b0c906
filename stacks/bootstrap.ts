import { DeploymentRole } from "../components/deploymentRole";
import { BootstrapConfig, StackConfig, parseStackConfig } from "../lib/config/stackConfig";
import { ProjectStacks, readProjectStacks } from "../lib/config/projectStacks";
import { PROJECT_DIR, readStackFile } from "../lib/config/stackFile";
import { deploymentScope, scopeStacks } from "../lib/deployment/scope";
import { stackTags } from "../lib/naming";
import type { Exported } from "../lib/contracts/exported";
import type { BootstrapExports } from "../lib/contracts/bootstrap";

/**
 * The configuration of every other stack of the project (in `dir`), parsed as its own program
 * parses it: the deployment role manages what the stacks of its account declare (and a hosting
 * stack's scope names its research stack's registry). See {@link scopeStacks}.
 */
export function projectConfigs(dir = PROJECT_DIR): StackConfig[] {
    const stacks: ProjectStacks = readProjectStacks(dir);
    return scopeStacks(stacks).map((s) => parseStackConfig(s, readStackFile(s, dir), { stacks }));
}

/**
 * A bootstrap stack (one per account, run once with the account's administrator credentials): the
 * deployment role the account's other stacks deploy through, trusted by the CI roles only.
 */
export function bootstrapProgram(config: BootstrapConfig, others: readonly StackConfig[] = projectConfigs()): Exported<BootstrapExports> {
    const scope = deploymentScope(config, others);
    const role = new DeploymentRole("deployment", {
        scope,
        ciRoleArns: config.deployment.ciRoleArns,
        operatorArns: config.deployment.operatorArns,
        externalId: config.deployment.externalId?.output(),
        maxSessionHours: config.deployment.maxSessionHours,
        tags: stackTags(config.stack),
    });
    return {
        accountId: config.accountId,
        region: config.region,
        deploymentRoleArn: role.arn,
        workloadBoundaryArn: role.workloadBoundaryArn,
        ciRoleArns: config.deployment.ciRoleArns,
        deploys: scope.stacks,
    };
}
