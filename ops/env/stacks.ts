/**
 * `npm run env -- preview|up|destroy|refresh|outputs [stack ...]`: the command over the
 * environment's stacks with the Automation API, in the order of the stacks' references.
 */
import { parseStackConfig } from "../../lib/config/stackConfig";
import { ProjectStacks, bootstrapStackOf, readProjectStacks } from "../../lib/config/projectStacks";
import { askOnTerminal } from "../cli/terminal";
import { readStackConfig } from "../project";
import { AutomationWorkspace } from "../stacks/automation";
import { deploymentRoleProblems, stacksFor } from "../stacks/deploymentRoles";
import { buildGraph, declaredReads } from "../stacks/graph";
import { withEnvironmentLock } from "../stacks/lock";
import { protectedLeft } from "../stacks/preview";
import { orchestrate, orderLine } from "../stacks/runner";
import { Command } from "../stacks/workspace";
import {
    BACKEND_OPTION,
    CONFIRM_OPTION,
    CommandGroup,
    STACK_OPTIONS,
    Values,
    consoleBoard,
    defineCommand,
    environmentLock,
    requireConfirmation,
    workspaceSettings,
} from "./shared";

const OPTIONS = { ...STACK_OPTIONS, ...CONFIRM_OPTION, "include-protected": { type: "boolean" } } as const;
type StackValues = Values<typeof OPTIONS>;

/** What a command does once its stacks are known, before any runs: false stops it (exit 1). */
export type BeforeStacks = (stacks: readonly string[], projectStacks: ProjectStacks, workspace: AutomationWorkspace) => Promise<boolean>;

/**
 * Runs `command` over its stacks (`named`, else its default ones) in the order of what they read,
 * a level at a time; `up`, `destroy` and `bootstrap` (an `up` of the bootstrap stacks) under the
 * environment's lock.
 */
export async function runStacks(
    command: Command | "bootstrap",
    named: readonly string[],
    values: StackValues,
    backendUrl: string,
    before: BeforeStacks,
): Promise<number> {
    const projectStacks = readProjectStacks();
    const stacks = stacksFor(command, named, projectStacks);
    const workspace = new AutomationWorkspace(workspaceSettings(values, backendUrl));
    if (!(await before(stacks, projectStacks, workspace))) return 1;

    const references = declaredReads(stacks.map((s) => parseStackConfig(s, readStackConfig(s), { stacks: projectStacks })));
    const graph = buildGraph(stacks, new Map([...references].map(([s, r]) => [s, r.upstream])));
    // The order the command runs the stacks in: for destroy, dependents first.
    console.log(orderLine(command === "bootstrap" ? "up" : command, graph));

    const board = consoleBoard();
    const run = () =>
        orchestrate({
            command: command === "bootstrap" ? "up" : command,
            graph,
            onPreview: (_stack, lines) => console.log(lines.join("\n")),
            confirm: values.yes ? undefined : askOnTerminal,
            includeProtected: values["include-protected"] === true,
            feedback: new Map([...references].map(([s, r]) => [s, r.feedback])),
            workspace,
            onProgress: board.onProgress,
        });
    // The read-only commands need no lock.
    const result =
        command === "up" || command === "destroy" || command === "bootstrap"
            ? await withEnvironmentLock(environmentLock(backendUrl, stacks), `${command} ${stacks.join(" ")}`, run)
            : await run();
    if (command === "outputs") {
        for (const o of result.outcomes) console.log(`\n${o.stack}: ${JSON.stringify(o.result?.outputs ?? o.error, null, 2)}`);
    }
    if (command === "destroy") {
        for (const o of result.outcomes)
            if (o.status === "succeeded") protectedLeft(o.stack, o.preview ?? {}).forEach((l) => console.log(l));
    }
    console.log(`\n${board.summary(result)}`);
    return result.ok ? 0 : 1;
}

/** The stacks' deployment roles not bootstrapped (ops/stacks/deploymentRoles.ts), read from the backend. */
export function missingDeploymentRoles(
    stacks: readonly string[],
    projectStacks: ProjectStacks,
    workspace: AutomationWorkspace,
): Promise<string[]> {
    return deploymentRoleProblems(
        stacks.map((s) => parseStackConfig(s, readStackConfig(s), { stacks: projectStacks })),
        (account) => bootstrapStackOf(projectStacks, account),
        (stack) => workspace.deployedOutputs(stack),
    );
}

/** Refuses to run stacks whose deployment roles were not bootstrapped, before any stack ran. */
function deploymentRolesReady(command: Command): BeforeStacks {
    return async (stacks, projectStacks, workspace) => {
        const problems = await missingDeploymentRoles(stacks, projectStacks, workspace);
        if (problems.length > 0)
            console.error(
                `${command} stopped before any stack ran: deployment roles missing\n${problems.map((p) => `  - ${p}`).join("\n")}`,
            );
        return problems.length === 0;
    };
}

const stacksCommand = (name: Command, options: Partial<typeof OPTIONS>, help: string) =>
    defineCommand<typeof OPTIONS>({
        name,
        options,
        help,
        check: (_stacks, values, terminal) => {
            if (name === "up" || name === "destroy") requireConfirmation(name, values, terminal);
        },
        run: (named, values, backendUrl) =>
            runStacks(name, named, values, backendUrl, name === "outputs" ? async () => true : deploymentRolesReady(name)),
    });

export const STACK_COMMANDS: CommandGroup = {
    commands: [
        stacksCommand("preview", STACK_OPTIONS, `  preview   preview every stack, with the policy pack`),
        stacksCommand(
            "up",
            { ...STACK_OPTIONS, ...CONFIRM_OPTION },
            `  up        deploy in dependency order (independent stacks in parallel), a level of stacks at a
            time: preview each with the policy pack, show the changes (replacements and
            deletions of protected or data-holding resources called out), refuse a stack with a
            mandatory violation, ask, then update; then re-apply stacks with feedback references
            until nothing changes (only with endpoint pinning: by default research runs once)`,
        ),
        stacksCommand(
            "destroy",
            OPTIONS,
            `  destroy   destroy in reverse dependency order, previewed and confirmed the same way; protected
            resources (model buckets, keys) and what they depend on are left and listed, unless
            --include-protected`,
        ),
        stacksCommand("refresh", STACK_OPTIONS, `  refresh   refresh every stack in dependency order`),
        stacksCommand("outputs", BACKEND_OPTION, `  outputs   print every stack's outputs`),
    ],
    notes: `Stacks default to every Pulumi.<stack>.yaml but the bootstrap stacks (bootstrap runs those). The
order comes from the stacks each stack file says its program reads (a hosting stack's
researchStack; research's pinned consumer stacks), parsed, not run. A stack whose upstream stack
failed is not run.`,
    optionHelp: `  --include-protected     destroy: also delete protected resources, after removing their protection`,
};
