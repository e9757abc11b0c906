/**
 * One deployment identity: bootstrap stacks run apart, with each account's administrator
 * credentials, once; every other stack deploys through the deployment role its account's bootstrap
 * stack created. Before anything is previewed, each such stack's role is checked to exist in the
 * backend (its bootstrap stack deployed, exporting that role), so a missing bootstrap is one clear
 * message instead of an AccessDenied from the provider of every stack.
 */
import { UsageError } from "../cli/errors";
import { BOOTSTRAP_PROGRAM } from "../../lib/config/deploymentConfig";
import { ProjectStacks } from "../../lib/config/projectStacks";
import { StackConfig } from "../../lib/config/stackConfig";
import { parseBootstrapExports } from "../../lib/contracts/bootstrap";
import { ExportsError } from "../../lib/contracts/check";

const runsBootstrap = (stacks: ProjectStacks, stack: string) => stacks.get(stack)?.program === BOOTSTRAP_PROGRAM;

/**
 * The stacks a command runs: `bootstrap` runs bootstrap stacks only (all by default); `up`,
 * `destroy`, `preview` and `refresh` run the other stacks (all by default) and refuse a named
 * bootstrap stack, which the CI identity cannot deploy; `outputs` reads any.
 */
export function stacksFor(command: string, named: readonly string[], stacks: ProjectStacks): string[] {
    const all = [...stacks.keys()];
    if (command === "bootstrap") {
        const wrong = named.filter((s) => !runsBootstrap(stacks, s));
        if (wrong.length > 0)
            throw new UsageError(
                `bootstrap runs bootstrap stacks only; ${wrong.join(", ")} ${wrong.length > 1 ? "are" : "is"} not (bootstrap stacks: ${all.filter((s) => runsBootstrap(stacks, s)).join(", ") || "none"})`,
            );
        return named.length > 0 ? [...named] : all.filter((s) => runsBootstrap(stacks, s));
    }
    if (command === "outputs") return named.length > 0 ? [...named] : all;
    const bootstraps = named.filter((s) => runsBootstrap(stacks, s));
    if (bootstraps.length > 0)
        throw new UsageError(
            `${bootstraps.join(", ")} ${bootstraps.length > 1 ? "are bootstrap stacks" : "is a bootstrap stack"}: it creates the deployment role and runs with the account's administrator credentials, apart from the others: npm run env -- bootstrap ${bootstraps.join(" ")}`,
        );
    return named.length > 0 ? [...named] : all.filter((s) => !runsBootstrap(stacks, s));
}

/**
 * Problems with the deployment roles the stacks assume: for each stack with `aws:assumeRoles`, its
 * account's bootstrap stack must have been deployed and export that role. `outputsOf` resolves a
 * stack's outputs, or undefined for a stack never created in the backend.
 */
export async function deploymentRoleProblems(
    configs: readonly StackConfig[],
    bootstrapOf: (accountId: string) => string | undefined,
    outputsOf: (stack: string) => Promise<Readonly<Record<string, unknown>> | undefined>,
): Promise<string[]> {
    const problems: string[] = [];
    const seen = new Map<string, Promise<Readonly<Record<string, unknown>> | undefined>>();
    for (const config of configs) {
        const role = config.assumeRole?.roleArn;
        if (!role) continue;
        const bootstrap = bootstrapOf(config.accountId);
        if (!bootstrap) {
            problems.push(`${config.stack} deploys through ${role}, but no bootstrap stack deploys into account ${config.accountId}`);
            continue;
        }
        if (!seen.has(bootstrap)) seen.set(bootstrap, outputsOf(bootstrap));
        const outputs = await seen.get(bootstrap)!;
        const bootstrapNow = `run it once with account ${config.accountId}'s administrator credentials: npm run env -- bootstrap ${bootstrap}`;
        if (!outputs || Object.keys(outputs).length === 0) {
            problems.push(
                `${config.stack} deploys through ${role}, which ${bootstrap} creates, and ${bootstrap} has not been deployed; ${bootstrapNow}`,
            );
            continue;
        }
        try {
            const exported = parseBootstrapExports(bootstrap, outputs).deploymentRoleArn;
            if (exported !== role)
                problems.push(
                    `${config.stack} deploys through ${role}, but ${bootstrap} exports ${exported}; fix aws:assumeRoles in ${config.stackFile}`,
                );
        } catch (err) {
            if (!(err instanceof ExportsError)) throw err;
            problems.push(`${config.stack} deploys through ${role}: ${err.message}`);
        }
    }
    return problems;
}
