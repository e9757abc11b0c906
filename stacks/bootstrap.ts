import { DeploymentRole } from "../components/deploymentRole";
import { BootstrapConfig, StackConfig, parseStackConfig } from "../lib/config/stackConfig";
import { ProjectStacks, readProjectStacks } from "../lib/config/projectStacks";
import { readStackFile } from "../lib/config/stackFile";
import { deploymentScope } from "../lib/deployment/scope";
import { stackTags } from "../lib/naming";
import type { Exported } from "../lib/contracts/exported";
import type { BootstrapExports } from "../lib/contracts/bootstrap";

/**
 * The configuration of every other stack of the project, parsed as its own program parses it: the
 * deployment role manages what the stacks of its account declare (and a hosting stack's scope
 * names its research stack's registry).
 */
export function projectConfigs(stacks: ProjectStacks = readProjectStacks(), read = readStackFile): StackConfig[] {
    return [...stacks.keys()].filter((s) => stacks.get(s)?.program !== "bootstrap").map((s) => parseStackConfig(s, read(s), { stacks }));
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
