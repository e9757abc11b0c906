/**
 * `npm run policy`: runs the project's stacks under Pulumi's mock runtime with their own stack
 * files and checks them with the policy pack over the engine's analyzer protocol, as
 * `pulumi preview --policy-pack policypacks/cross-account-guard` would. Exits 1 on any mandatory
 * violation, and on any stack that failed or was not run: a stack that was not checked does not pass.
 */
import * as path from "path";
import { PolicyPackProcess, readPolicyConfig } from "./policyEngine";
import { EXAMPLE_CONFIG_PATH, PROJECT_DIR, listStacks } from "../../ops/project";
import { analyzedResources } from "./analyzedResources";
import { runEnvironment } from "../runtime/runEnvironment";
import { StackRun } from "../runtime/runStack";
import { ParsedArgs, requireKnownStacks } from "../../ops/cli/args";

export const SPEC = {
    usage: "npm run policy --",
    help: `Usage: npm run policy -- [--policy-config <file>] [stack ...]
       npm run policy -- peers [--policy-config <file>]

Runs every stack under Pulumi's mock runtime (stacks read each other's exports) and checks the
named ones (default: all) with the policy pack over the engine's analyzer protocol. \`peers\`
compares the pack with parliament and @pulumi/awsguard on its threat-model cases
(docs/policy-pack-peers.md).

Options:
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --debug                 show stack traces
  --help                  this text

Exit codes: 0 every stack ran and no mandatory violation, 1 a mandatory violation, a stack that
failed or was not run (or an error), 2 a usage error (unknown flag or stack).`,
    options: { "policy-config": { type: "string" } },
} as const;

export async function main(
    { values, positionals }: ParsedArgs<typeof SPEC.options>,
    /** Where the stack files are: the project's own, but for a test's copy of them. */
    projectDir = PROJECT_DIR,
): Promise<number> {
    if (positionals[0] === "peers") return (await import("./peers/command")).peersCommand(positionals.slice(1), values["policy-config"]);
    const configPath = values["policy-config"] ?? EXAMPLE_CONFIG_PATH;
    const all = listStacks(projectDir);
    requireKnownStacks(positionals, all);
    const stacks = positionals.length > 0 ? positionals : all;
    // The whole environment runs, since stacks read each other's exports; the named ones are reported.
    const { runs, failures, skipped } = await runEnvironment(all, {}, { projectDir });
    for (const [stack, err] of failures) console.error(`${stack} failed: ${err.message}`);
    for (const [stack, reason] of skipped) console.error(`${stack} skipped: ${reason}`);
    const checked = [...runs].filter(([s]) => stacks.includes(s) && !failures.has(s));
    const mandatoryCount = checked.length > 0 ? await check(checked, configPath) : 0;
    const notChecked = failures.size + skipped.size;
    if (notChecked > 0) console.error(`\n${notChecked} stack(s) failed or were not run: not checked, so the policy check fails`);
    return mandatoryCount > 0 || notChecked > 0 ? 1 : 0;
}

/** Checks the runs with the pack, printing each stack's findings; resolves with the number of mandatory violations. */
async function check(checked: readonly (readonly [string, StackRun])[], configPath: string): Promise<number> {
    const pack = await PolicyPackProcess.start();
    let mandatoryCount = 0;
    try {
        await pack.configure(readPolicyConfig(configPath));
        console.log(`policy pack cross-account-guard, config ${configPath}`);
        for (const [stack, run] of checked) {
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
    return mandatoryCount;
}
