/**
 * `npm run doctor -- <hosting stack>`: checks a deployed hosting stack the way AWS's Custom Model
 * Import troubleshooting does by hand, using the stacks' outputs from the Pulumi backend.
 */
import { AutomationWorkspace } from "../stacks/automation";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { parseHostingExports } from "../../lib/contracts/hosting";
import { parseResearchExports } from "../../lib/contracts/research";
import { referencedStack } from "../../lib/naming";
import { runDoctor } from "./doctor";
import { PROJECT_DIR, listStacks, readStackConfig } from "../project";
import { ParsedArgs, requireKnownStacks } from "../cli/args";
import { UsageError } from "../cli/errors";
import { checkPrerequisites } from "../stacks/prerequisites";
import { commandBackend } from "../stacks/backend";

export const SPEC = {
    usage: "npm run doctor --",
    help: `Usage: npm run doctor -- <hosting stack> [--backend <url>] [--debug]

Assumes the stack's CMI execution role (the role must list your role in
cross-account-models:troubleshooterArns), lists the model prefix, reads config.json, checks
for config.json, tokenizer files and *.safetensors, and describes the artifact and
imported-model keys. Run it with the hosting account's credentials; when the research stack
requires the hosting VPC's S3 endpoint (requireVpcEndpoint), run it from inside that VPC.

--backend <url>: the Pulumi backend holding the stacks (default: $PULUMI_BACKEND_URL, else the
backend \`pulumi login\` chose, else the project's file backend, which only this checkout sees).

Exit codes: 0 every check passed, 1 a check failed (or an error), 2 a usage error.`,
    options: { backend: { type: "string" } },
} as const;

export async function main({ values, positionals }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    if (positionals.length !== 1) throw new UsageError(`doctor checks one hosting stack; see ${SPEC.usage} --help`);
    const stack = positionals[0];
    requireKnownStacks([stack], listStacks());
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting") throw new UsageError(`${stack} is a ${config.program} stack; doctor checks hosting stacks`);
    await checkPrerequisites();
    const backendUrl = await commandBackend(values.backend, PROJECT_DIR, (line) => console.log(line));
    const workspace = new AutomationWorkspace({ projectDir: PROJECT_DIR, backendUrl, policyPacks: [], policyPackConfigs: [] });
    const outputs = async (name: string) => (await workspace.run("outputs", name, () => undefined)).outputs;
    const hosting = parseHostingExports(stack, await outputs(stack));
    const researchStack = referencedStack(config.researchStack);
    const research = parseResearchExports(researchStack, await outputs(researchStack));
    const consumer = research.consumers.find((c) => c.accountId === config.accountId);
    const steps = await runDoctor({
        hostingStack: stack,
        region: config.region,
        hostingAccountId: config.accountId,
        cmiRoleArn: hosting.cmiRoleArn,
        importedModelKeyArn: hosting.importedModelKeyArn,
        bucket: research.artifactBucketName,
        prefix: config.modelImport?.modelPrefix ?? consumer?.prefixes[0] ?? "",
        artifactKeyArn: research.artifactKeyArn,
    });
    for (const s of steps) console.log(`${s.ok ? "ok  " : "FAIL"} ${s.step}: ${s.detail}`);
    return steps.every((s) => s.ok) ? 0 : 1;
}
