/**
 * `npm run doctor -- <hosting stack>`: checks a deployed hosting stack the way the seed's
 * troubleshooting does by hand, using the stacks' outputs from the Pulumi backend.
 */
import { AutomationWorkspace } from "../lib/orchestrate/automation";
import { parseStackConfig, HostingConfig } from "../lib/config/stackConfig";
import { referencedStack } from "../lib/orchestrate/graph";
import { runDoctor } from "../lib/doctor/doctor";
import { PROJECT_DIR, readStackConfig } from "../sim/stackFiles";

const HELP = `Usage: npm run doctor -- <hosting stack> [--backend <url>]

Assumes the stack's CMI execution role (the role must list your role in
cross-account-models:troubleshooterArns), lists the model prefix, reads config.json, checks
for config.json, tokenizer files and *.safetensors, and describes the artifact and
imported-model keys. Run it with the hosting account's credentials; when the research stack
requires the hosting VPC's S3 endpoint (requireVpcEndpoint), run it from inside that VPC.`;

async function main(argv: string[]): Promise<number> {
    const stack = argv.find((a) => !a.startsWith("--"));
    if (!stack || argv.includes("--help")) {
        console.log(HELP);
        return stack ? 0 : 2;
    }
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting") throw new Error(`${stack} is a ${config.program} stack; doctor checks hosting stacks`);
    const backend = argv[argv.indexOf("--backend") + 1];
    const workspace = new AutomationWorkspace({ projectDir: PROJECT_DIR, backendUrl: argv.includes("--backend") ? backend : process.env.PULUMI_BACKEND_URL, policyPacks: [], policyPackConfigs: [] });
    const outputs = async (name: string) => (await workspace.run("outputs", name, () => undefined)).outputs as Record<string, any>;
    const hosting = await outputs(stack);
    const research = await outputs(referencedStack((config as HostingConfig).researchStack));
    const consumer = research.consumers.find((c: { accountId: string }) => c.accountId === config.accountId);
    const steps = await runDoctor({
        hostingStack: stack,
        region: config.region,
        hostingAccountId: config.accountId,
        cmiRoleArn: hosting.cmiRoleArn,
        importedModelKeyArn: hosting.importedModelKeyArn,
        bucket: research.artifactBucketName,
        prefix: (config as HostingConfig).modelImport?.modelPrefix ?? consumer?.prefixes[0] ?? "",
        artifactKeyArn: research.artifactKeyArn,
    });
    for (const s of steps) console.log(`${s.ok ? "ok  " : "FAIL"} ${s.step}: ${s.detail}`);
    return steps.every((s) => s.ok) ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err.message ?? err);
    process.exit(2);
});
