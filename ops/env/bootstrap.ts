/**
 * `npm run env -- bootstrap [stack ...]`: deploys the bootstrap stacks, each account's deployment
 * role, with each account's administrator credentials.
 */
import { CONFIRM_OPTION, CommandGroup, STACK_OPTIONS, defineCommand, requireConfirmation } from "./shared";
import { runStacks } from "./stacks";

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
    ],
};
