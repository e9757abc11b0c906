/**
 * `npm run plan`: the offline plan of an environment. Runs every stack under Pulumi's mock runtime
 * with a simulated AWS (no credentials, CLI or network), checks them with the policy pack over the
 * engine's protocol, proves the required and forbidden access paths, and writes a report.
 * Exits 1 on any mandatory violation, broken required path, open forbidden path or failed stack.
 */
import * as path from "path";
import { PlanResult, plan } from "./plan";
import { PromotionView, writeReport } from "../report";
import { EXAMPLE_CONFIG_PATH, PROJECT_DIR, listStacks, readStackConfig } from "../../ops/project";
import { planPromotion, promotionTable } from "./promotionPlan";
import { packageViews } from "../report/model";
import { packageLabel } from "../report/names";
import { parseStackConfig } from "../../lib/config/stackConfig";
import { encryptedKeys } from "../../lib/config/stackFile";
import { OFFLINE_SECRET } from "../../lib/config/secret";
import { withUpstream } from "../../ops/stacks/graph";
import { referencedStack } from "../../lib/naming";
import { ParsedArgs, requireKnownStacks } from "../../ops/cli/args";
import { UsageError } from "../../ops/cli/errors";
import { declaredReferences } from "../runtime/runEnvironment";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { PlanSnapshot, readSnapshot } from "../report/snapshot";
import { PlanCache } from "../cache/planCache";

export const SPEC = {
    usage: "npm run plan --",
    help: `Usage: npm run plan -- [options] [stack ...]

Runs the stacks (default: every Pulumi.<stack>.yaml) offline and writes a report: plan.md
(summary, policy pack findings, access matrix), access.svg (the access diagram), plan.json (the
plan as data) and summary.md (for a pull-request comment, at most 60,000 characters: PASS or
FAIL, the key figures and, with --base, what changed) and index.html (one self-contained page: a
view per architecture, the findings and the access matrix as filtered tables). Named stacks bring
in the stacks they read through StackReferences (plan -- dev also runs research).

Options:
  --promote <stack> --to <version ARN>
                          also show a Rekognition model promotion step by step: which versions
                          the stack's access role can call and which one its parameter names
                          (printed and written to plan.md)
  --out <dir>             report folder (default: reports/plan)
  --base <dir>            a previous run's report folder (its plan.json): summary.md then says
                          what changed since (paths opened or closed, findings new or gone,
                          resources added, replaced or removed)
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --no-cache              run every stack, analysis and access check afresh, keeping nothing
                          (by default results are reused from and kept in .cache/plan/, by a
                          hash of everything that decides them)
  --debug                 show stack traces
  --help                  this text

Exit codes: 0 pass, 1 a problem found (or an error), 2 a usage error (unknown flag or stack).`,
    options: {
        promote: { type: "string" },
        to: { type: "string" },
        out: { type: "string" },
        base: { type: "string" },
        "policy-config": { type: "string" },
        "no-cache": { type: "boolean" },
    },
} as const;

/** The stacks to plan: those named with their upstream stacks, or every stack. */
export async function planStacks(named: readonly string[]): Promise<string[]> {
    const known = listStacks();
    requireKnownStacks(named, known);
    if (named.length === 0) return known;
    return withUpstream(named, async (stack) => declaredReferences(stack, readStackConfig(stack), readProjectStacks()).upstream);
}

/** What the plan took from its cache and what it made afresh. */
export function cacheLine(cache: PlanCache): string {
    const part = (kind: keyof PlanCache["stats"], what: string) => {
        const { hits, misses } = cache.stats[kind];
        return `${hits} of ${hits + misses} ${what}`;
    };
    return `cache (${path.relative(process.cwd(), cache.dir) || "."}): reused ${part("runs", "stack runs")}, ${part("analyses", "pack analyses")}, ${part("decisions", "access decisions")}; --no-cache for none`;
}

/** The SageMaker packages each hosting stack serves, against those research grants. */
function printPackages(result: PlanResult, width: number): void {
    const packages = packageViews(result);
    if (packages.length > 0) {
        const callers = [...new Set(packages.map((v) => v.checkedAs))].join(", ");
        console.log(`\nSageMaker packages (registry approval not read offline; rollout checks it as ${callers}):`);
        for (const v of packages) {
            const serves = v.serves
                ? `${packageLabel(v.serves)}${v.granted.includes(v.serves) ? "" : " (NOT granted)"}`
                : "— (not planned)";
            console.log(
                `  ${v.stack.padEnd(width)}serves ${serves}; research grants ${v.granted.map(packageLabel).join(", ") || "nothing"}`,
            );
        }
    }
}

/** A Rekognition model promotion of `stack` to `to`, step by step (offline), printed. */
async function showPromotion(stacks: readonly string[], stack: string, to: string): Promise<PromotionView> {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting") throw new UsageError(`${stack} is not a hosting stack; --promote names a consumer stack`);
    const view = await planPromotion(stacks, {
        stack,
        researchStack: referencedStack(config.researchStack),
        to,
        stopOld: true,
    });
    console.log(`\npromotion of ${stack} to ${to} (offline):`);
    console.log(promotionTable(view.snapshots));
    for (const line of view.log.filter((l) => !l.startsWith("step "))) console.log(`  ${line}`);
    return { stack, to, snapshots: view.snapshots, log: view.log };
}

export async function main({ values, positionals }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    const promoted = values.promote;
    if (promoted !== undefined && values.to === undefined) throw new UsageError("--promote needs --to <version ARN>");
    if (promoted !== undefined) requireKnownStacks([promoted], listStacks());
    // Before minutes of work: a base that cannot be read is a mistake on the command line.
    let base: PlanSnapshot | undefined;
    if (values.base !== undefined) {
        try {
            base = readSnapshot(path.resolve(values.base));
        } catch (err) {
            throw new UsageError(`--base ${values.base}: ${(err as Error).message}`);
        }
    }
    const stacks = await planStacks(promoted !== undefined ? [...positionals, ...(positionals.length > 0 ? [promoted] : [])] : positionals);
    if (positionals.length > 0) console.log(`stacks: ${stacks.join(", ")} (named, with the stacks they reference)`);
    const cache = values["no-cache"] ? undefined : new PlanCache();
    const result = await plan({
        stacks,
        environment: listStacks(),
        policyConfigPath: values["policy-config"],
        cache,
        log: (m) => console.log(`  ${m}`),
    });

    const width = Math.max(13, ...result.stacks.map((s) => s.stack.length + 2));
    console.log(`\n${"stack".padEnd(width)}account        status    resources  mandatory  advisory`);
    for (const s of result.stacks) {
        const mandatory = s.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
        const resources = Object.values(s.resourceCounts).reduce((a, b) => a + b, 0);
        console.log(
            `${s.stack.padEnd(width)}${(s.accountId ?? "").padEnd(15)}${s.status.padEnd(10)}${String(resources).padStart(9)}${String(mandatory).padStart(11)}${String(s.diagnostics.length - mandatory).padStart(10)}`,
        );
    }
    const encrypted = stacks.flatMap((s) => encryptedKeys(readStackConfig(s)).map((k) => `${k} (${s})`));
    if (encrypted.length > 0) {
        console.log(
            `\nsecrets: ${encrypted.join(", ")} hold encrypted values (secure:), read offline as "${OFFLINE_SECRET}": the plan checks where they are set, not that their values match`,
        );
    }
    const holding = result.access.filter((a) => a.holds).length;
    console.log(
        `\naccess paths: ${holding} of ${result.access.length} hold (${result.access.filter((a) => a.path.expect === "allowed").length} required, ${result.access.filter((a) => a.path.expect === "denied").length} forbidden)`,
    );
    printPackages(result, width);
    const problems = [...result.problems];
    let promotion: PromotionView | undefined;
    if (promoted !== undefined) {
        promotion = await showPromotion(stacks, promoted, values.to!);
        problems.push(...promotion.snapshots.flatMap((s) => s.problems.map((p) => `promotion, after ${s.after}: ${p}`)));
    }
    const report = await writeReport(result, path.resolve(values.out ?? path.join(PROJECT_DIR, "reports", "plan")), {
        promotion,
        problems,
        base,
        baseLabel: base && `the base plan (${values.base})`,
    });
    if (cache) console.log(`\n${cacheLine(cache)}`);
    console.log(
        `\nreport: ${report.files.map((f) => path.relative(process.cwd(), f)).join(", ")}; plan ${Math.round(result.timingsMs.total)} ms, diagram rendered in ${Math.round(report.renderMs)} ms`,
    );
    if (problems.length > 0) {
        console.log(`\nFAIL: ${problems.length} problem(s)`);
        for (const p of problems) console.log(`  - ${p}`);
        return 1;
    }
    console.log("\nPASS");
    return 0;
}
