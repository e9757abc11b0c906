/**
 * `npm run policy -- peers`: the pack side by side with two peers on the pack's own threat-model
 * cases (proof/pack/cases): our pack through judge(), parliament on the cases' IAM documents, and
 * @pulumi/awsguard on their resources. Installs each peer on first use (parliament.ts,
 * awsguard.ts), prints one table and the scores, writes reports/peers.md. The comparison informs,
 * it does not gate: it exits 0 when every tool ran, 1 when one could not.
 */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../../../ops/cli/errors";
import { PROJECT_DIR } from "../../../ops/project";
import { readPolicyConfig } from "../policyEngine";
import { CASES } from "../cases";
import { Finding, caseConfig, judge } from "../cases/judge";
import { PackCase } from "../cases/types";
import { installAwsguard, projectAwsTypes, runAwsguard } from "./awsguard";
import { compareRows } from "./compare";
import { iamDocuments } from "./documents";
import { installParliament, runParliament } from "./parliament";
import { PeersReport, Timing, renderMarkdown, renderText } from "./render";

export const REPORT_PATH = path.join(PROJECT_DIR, "reports", "peers.md");

export interface PeersOptions {
    /** A module exporting `CASES` (or a default list) to compare on instead of the pack's own cases. */
    readonly casesModule?: string;
    /** The pack's policy config for judge() (default: the environment's, policy-config.example.json). */
    readonly policyConfig?: string;
    readonly reportPath?: string;
}

function loadCases(module?: string): readonly PackCase[] {
    if (!module) return CASES;
    const loaded = require(path.resolve(module)) as { CASES?: readonly PackCase[]; default?: readonly PackCase[] };
    const cases = loaded.CASES ?? loaded.default;
    if (!Array.isArray(cases)) throw new Error(`${module} exports no CASES`);
    return cases;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

/** `npm run policy -- peers [cases-module]`, dispatched from proof/pack/command.ts with the positionals after `peers`. */
export function peersCommand(args: readonly string[], policyConfig?: string): Promise<number> {
    if (args.length > 1) throw new UsageError(`peers takes one cases module at most; see npm run policy -- --help`);
    return peers({ casesModule: args[0], policyConfig });
}

export async function peers(options: PeersOptions = {}): Promise<number> {
    const started = Date.now();
    const timings: Timing[] = [];
    const timed = <T>(step: string, run: () => T): T => {
        const t = Date.now();
        const result = run();
        timings.push({ step, seconds: seconds(t) });
        return result;
    };

    const cases = loadCases(options.casesModule);
    if (cases.length === 0) {
        console.log("no threat-model cases yet (proof/pack/cases): nothing to compare");
        return 0;
    }
    const documents = timed("documents", () => cases.flatMap((c) => iamDocuments(c)));
    console.log(`${cases.length} cases, ${documents.length} IAM documents`);

    const base = readPolicyConfig(options.policyConfig);
    const pack = timed(
        "our pack",
        () => new Map<string, Finding[]>(cases.map((c) => [c.id, judge(c.resources, caseConfig(c, base), c.stack ?? "dev")])),
    );

    const parliamentInstall = installParliament();
    timings.push({
        step: parliamentInstall.installed ? "parliament install" : "parliament install (up to date)",
        seconds: parliamentInstall.seconds,
    });
    const parliament = runParliament(documents);
    timings.push({ step: "parliament", seconds: parliament.seconds });

    const awsguardInstall = installAwsguard();
    timings.push({
        step: awsguardInstall.installed ? "awsguard install" : "awsguard install (up to date)",
        seconds: awsguardInstall.seconds,
    });
    const awsguard = runAwsguard(cases);
    timings.push({ step: "awsguard", seconds: awsguard.seconds });

    const rows = compareRows(cases, documents, {
        pack,
        parliament: parliament.results,
        awsguard: new Map(Object.entries(awsguard.results)),
    });
    timings.push({ step: "total", seconds: seconds(started) });
    const report: PeersReport = {
        generated: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        rows,
        versions: { parliament: parliament.version, awsguard: awsguard.version.replace(/^v/, "") },
        caseTypes: [...new Set(cases.flatMap((c) => c.resources.map((r) => r.type)))].sort(),
        awsguardPolicies: awsguard.policies,
        projectTypes: projectAwsTypes(),
        timings,
    };
    console.log(`\n${renderText(report)}`);
    const out = options.reportPath ?? REPORT_PATH;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, renderMarkdown(report));
    console.log(`\nwritten to ${path.relative(PROJECT_DIR, out)}`);
    return 0;
}
