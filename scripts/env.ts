/**
 * `npm run env -- <command> [stack ...]`: runs preview, up, destroy, refresh or outputs over an
 * environment with the Pulumi Automation API, in the order of the stacks' references.
 */
import * as path from "path";
import { AutomationWorkspace, defaultBackendUrl } from "../lib/orchestrate/automation";
import { buildGraph } from "../lib/orchestrate/graph";
import { ProgressBoard } from "../lib/orchestrate/progress";
import { orchestrate } from "../lib/orchestrate/runner";
import { COMMANDS, Command } from "../lib/orchestrate/workspace";
import { discoverReferences } from "../sim/runEnvironment";
import { DEFAULT_PACK_DIR, EXAMPLE_CONFIG_PATH } from "../sim/policyEngine";
import { PROJECT_DIR, listStacks, readStackConfig } from "../sim/stackFiles";

const HELP = `Usage: npm run env -- <command> [stack ...] [options]

Commands:
  preview   preview every stack, with the policy pack
  up        deploy in dependency order (independent stacks in parallel), with the policy pack;
            then re-apply stacks with feedback references until nothing changes
  destroy   destroy in reverse dependency order
  refresh   refresh every stack in dependency order
  outputs   print every stack's outputs

Stacks default to every Pulumi.<stack>.yaml; the order comes from the StackReferences the
programs declare (found offline, under Pulumi's mock runtime). A stack whose upstream stack
failed is not run.

Options:
  --backend <url>         Pulumi backend (default: $PULUMI_BACKEND_URL, else ${defaultBackendUrl(".")})
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --help                  this text

Needs the Pulumi CLI on PATH, credentials for each stack's account (AWS_PROFILE or aws:profile),
and PULUMI_CONFIG_PASSPHRASE for the passphrase secrets provider.`;

function option(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
    const command = argv[0] as Command;
    if (argv.includes("--help") || !COMMANDS.includes(command)) {
        console.log(HELP);
        return argv.includes("--help") ? 0 : 2;
    }
    const values = new Set(["--backend", "--policy-config"].map((o) => option(argv, o)));
    const named = argv.slice(1).filter((a) => !a.startsWith("--") && !values.has(a));
    const stacks = named.length > 0 ? named : listStacks();

    const references = new Map<string, { upstream: readonly string[]; feedback: readonly string[] }>();
    for (const stack of stacks) references.set(stack, await discoverReferences(stack, readStackConfig(stack)));
    const graph = buildGraph(stacks, new Map([...references].map(([s, r]) => [s, r.upstream])));
    console.log(`order: ${graph.levels.map((l) => l.join(" + ")).join(" -> ")}`);

    const board = new ProgressBoard((line) => console.log(line));
    const result = await orchestrate({
        command,
        graph,
        feedback: new Map([...references].map(([s, r]) => [s, r.feedback])),
        workspace: new AutomationWorkspace({
            projectDir: PROJECT_DIR,
            backendUrl: option(argv, "--backend") ?? process.env.PULUMI_BACKEND_URL,
            policyPacks: [DEFAULT_PACK_DIR],
            policyPackConfigs: [option(argv, "--policy-config") ?? EXAMPLE_CONFIG_PATH],
        }),
        onProgress: board.onProgress,
    });
    if (command === "outputs") {
        for (const o of result.outcomes) console.log(`\n${o.stack}: ${JSON.stringify(o.result?.outputs ?? o.error, null, 2)}`);
    }
    console.log(`\n${board.summary(result)}`);
    return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(2);
});
