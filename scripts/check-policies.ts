/**
 * `npm run policy`: runs the project's stacks under Pulumi's mock runtime with their own stack
 * files and checks them with the policy pack over the engine's analyzer protocol, as
 * `pulumi preview --policy-pack policypacks/cross-account-guard` would. Exits 1 on any mandatory
 * violation.
 *
 * Usage: npm run policy -- [--config <policy-config.json>] [stack ...]
 */
import { PolicyPackProcess, readPolicyConfig, EXAMPLE_CONFIG_PATH } from "../sim/policyEngine";
import { analyzedResources } from "../sim/analyzedResources";
import { runEnvironment } from "../sim/runEnvironment";
import { listStacks } from "../sim/stackFiles";

async function main(argv: string[]): Promise<number> {
    const configIndex = argv.indexOf("--config");
    const configPath = configIndex >= 0 ? argv[configIndex + 1] : EXAMPLE_CONFIG_PATH;
    const named = argv.filter((a, i) => !a.startsWith("--") && (configIndex < 0 || i !== configIndex + 1));
    const stacks = named.length > 0 ? named : listStacks();
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
            console.log(`\n${stack}: ${run.resources.length} resources, ${mandatory.length} mandatory, ${diagnostics.length - mandatory.length} advisory`);
            for (const d of diagnostics) {
                console.log(`  [${d.enforcementLevel}] ${d.policyName} ${d.urn.split("::").pop() ?? ""}\n      ${d.message.split("\n").pop()}`);
            }
        }
    } finally {
        pack.stop();
    }
    return mandatoryCount > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(2);
});
