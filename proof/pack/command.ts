/**
 * `npm run policy`: runs the project's stacks under Pulumi's mock runtime with their own stack
 * files and checks them with the policy pack over the engine's analyzer protocol, as
 * `pulumi preview --policy-pack policypacks/cross-account-guard` would. Exits 1 on any mandatory
 * violation.
 */
import * as path from "path";
import { PolicyPackProcess, readPolicyConfig } from "./policyEngine";
import { EXAMPLE_CONFIG_PATH, PROJECT_DIR, listStacks } from "../../ops/project";
import { analyzedResources } from "./analyzedResources";
import { runEnvironment } from "../runtime/runEnvironment";
import { ParsedArgs, requireKnownStacks } from "../../ops/cli/args";

export const SPEC = {
    usage: "npm run policy --",
    help: `Usage: npm run policy -- [--policy-config <file>] [stack ...]

Runs every stack under Pulumi's mock runtime (stacks read each other's exports) and checks the
named ones (default: all) with the policy pack over the engine's analyzer protocol.

Options:
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --debug                 show stack traces
  --help                  this text

Exit codes: 0 no mandatory violation, 1 a mandatory violation (or an error), 2 a usage error
(unknown flag or stack).`,
    options: { "policy-config": { type: "string" } },
} as const;

export async function main({ values, positionals }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    const configPath = values["policy-config"] ?? EXAMPLE_CONFIG_PATH;
    requireKnownStacks(positionals, listStacks());
    const stacks = positionals.length > 0 ? positionals : listStacks();
    // The whole environment runs, since stacks read each other's exports; the named ones are reported.
    const { runs, failures } = await runEnvironment(listStacks());
    for (const [stack, err] of failures) console.error(`${stack} failed: ${err.message}`);
    const pack = await PolicyPackProcess.start();
    let mandatoryCount = 0;
    try {
        await pack.configure(readPolicyConfig(configPath));
        console.log(`policy pack cross-account-guard, config ${configPath}`);
        for (const [stack, run] of [...runs].filter(([s]) => stacks.includes(s))) {
            const diagnostics = await pack.analyzeAll(analyzedResources(run));
            const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory");
            mandatoryCount += mandatory.length;
            console.log(
                `\n${stack}: ${run.resources.length} resources, ${mandatory.length} mandatory, ${diagnostics.length - mandatory.length} advisory`,
            );
            for (const d of diagnostics) {
                console.log(
                    `  [${d.enforcementLevel}] ${d.policyName} ${d.urn.split("::").pop() ?? ""}\n      ${d.message.split("\n").pop()}`,
                );
            }
        }
    } finally {
        pack.stop();
    }
    return mandatoryCount > 0 ? 1 : 0;
}
