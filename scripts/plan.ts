/**
 * `npm run plan`: the offline plan of an environment. Runs every stack under Pulumi's mock runtime
 * with a simulated AWS (no credentials, CLI or network), checks them with the policy pack over the
 * engine's protocol, proves the required and forbidden access paths, and writes a report.
 * Exits 1 on any mandatory violation, broken required path, open forbidden path or failed stack.
 */
import * as path from "path";
import { plan } from "../sim/plan";
import { writeReport } from "../sim/report";
import { EXAMPLE_CONFIG_PATH } from "../sim/policyEngine";
import { PROJECT_DIR, listStacks, readStackConfig } from "../sim/stackFiles";
import { planPromotion, promotionTable } from "../sim/promotionPlan";
import { parseStackConfig } from "../lib/config/stackConfig";
import { referencedStack } from "../lib/orchestrate/graph";

const HELP = `Usage: npm run plan -- [options] [stack ...]

Runs the stacks (default: every Pulumi.<stack>.yaml) offline and writes a report.

Options:
  --promote <stack> --to <version ARN>
                          also show a Rekognition model promotion step by step: which versions
                          the stack's access role can call and which one its parameter names
  --out <dir>             report folder (default: reports/plan)
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --help                  this text`;

function option(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help")) {
        console.log(HELP);
        return 0;
    }
    const values = new Set(["--out", "--policy-config", "--promote", "--to"].map((o) => option(argv, o)));
    const named = argv.filter((a) => !a.startsWith("--") && !values.has(a));
    const stacks = named.length > 0 ? named : listStacks();
    const result = await plan({ stacks, policyConfigPath: option(argv, "--policy-config"), log: (m) => console.log(`  ${m}`) });

    console.log("\nstack        account        status    resources  mandatory  advisory");
    for (const s of result.stacks) {
        const mandatory = s.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
        const resources = Object.values(s.resourceCounts).reduce((a, b) => a + b, 0);
        console.log(`${s.stack.padEnd(13)}${(s.accountId ?? "").padEnd(15)}${s.status.padEnd(10)}${String(resources).padStart(9)}${String(mandatory).padStart(11)}${String(s.diagnostics.length - mandatory).padStart(10)}`);
    }
    const holding = result.access.filter((a) => a.holds).length;
    console.log(`\naccess paths: ${holding} of ${result.access.length} hold (${result.access.filter((a) => a.path.expect === "allowed").length} required, ${result.access.filter((a) => a.path.expect === "denied").length} forbidden)`);
    const files = writeReport(result, path.resolve(option(argv, "--out") ?? path.join(PROJECT_DIR, "reports", "plan")));
    console.log(`report: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}; ${Math.round(result.timingsMs.total)} ms`);
    const problems = [...result.problems];
    const promoted = option(argv, "--promote");
    if (promoted) {
        const to = option(argv, "--to");
        if (!to) throw new Error("--promote needs --to <version ARN>");
        const config = parseStackConfig(promoted, readStackConfig(promoted));
        if (config.program !== "hosting") throw new Error(`${promoted} is not a hosting stack`);
        const view = await planPromotion(stacks, { stack: promoted, researchStack: referencedStack(config.researchStack), to, stopOld: true });
        console.log(`\npromotion of ${promoted} to ${to} (offline):`);
        console.log(promotionTable(view.snapshots));
        for (const line of view.log.filter((l) => !l.startsWith("step "))) console.log(`  ${line}`);
        problems.push(...view.snapshots.flatMap((s) => s.problems.map((p) => `promotion, after ${s.after}: ${p}`)));
    }
    if (problems.length > 0) {
        console.log(`\nFAIL: ${problems.length} problem(s)`);
        for (const p of problems) console.log(`  - ${p}`);
        return 1;
    }
    console.log("\nPASS");
    return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(2);
});
