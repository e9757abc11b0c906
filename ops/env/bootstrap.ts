/**
 * `npm run env -- bootstrap [stack ...]`: deploys the bootstrap stacks, each account's deployment
 * role, with each account's administrator credentials.
 */
import { readProjectStacks } from "../../lib/config/projectStacks";
import { AutomationWorkspace } from "../stacks/automation";
import { stacksFor } from "../stacks/deploymentRoles";
import {
    BACKEND_OPTION,
    CONFIRM_OPTION,
    CommandGroup,
    STACK_OPTIONS,
    defineCommand,
    requireConfirmation,
    workspaceSettings,
} from "./shared";
import { missingDeploymentRoles, runStacks } from "./stacks";

export const BOOTSTRAP_COMMANDS: CommandGroup = {
    commands: [
        defineCommand({
            name: "bootstrap",
            options: { ...STACK_OPTIONS, ...CONFIRM_OPTION },
            help: `  bootstrap [stack ...]
            deploy the bootstrap stacks (all, or those named): each account's deployment role,
            which every other stack deploys through (aws:assumeRoles). The one step that needs
            each account's administrator credentials (aws:profile of Pulumi.bootstrap-<x>.yaml,
            or AWS_PROFILE), once per account and again when a program starts managing new kinds
            of resources; previewed, gated and confirmed like up`,
            check: (_stacks, values, terminal) => requireConfirmation("bootstrap", values, terminal),
            // No deployment role to check: bootstrap creates them.
            run: (named, values, backendUrl) =>
                runStacks("bootstrap", named, values, backendUrl, async (stacks) => {
                    console.log(
                        `bootstrap: ${stacks.join(", ")}, each with its account's administrator credentials (aws:profile, else AWS_PROFILE)`,
                    );
                    return true;
                }),
        }),
        defineCommand({
            name: "check-bootstrap",
            options: BACKEND_OPTION,
            help: `  check-bootstrap [stack ...]
            check, without running or creating any stack, that the deployment role each stack
            (default: every stack up runs) assumes was bootstrapped: its account's bootstrap stack
            deployed in the backend, exporting that role (up, preview, refresh and destroy check
            the same first). Exit 1 naming each bootstrap to run; for a pipeline, before up`,
            run: async (named, _values, backendUrl) => {
                const projectStacks = readProjectStacks();
                const stacks = stacksFor("up", named, projectStacks);
                const problems = await missingDeploymentRoles(
                    stacks,
                    projectStacks,
                    new AutomationWorkspace(workspaceSettings({}, backendUrl)),
                );
                if (problems.length > 0) {
                    console.error(`deployment roles missing:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
                    return 1;
                }
                console.log(`bootstrapped: the backend holds every deployment role ${stacks.join(", ")} deploy through`);
                return 0;
            },
        }),
    ],
};
