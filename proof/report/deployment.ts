/**
 * The report's deployment identity: which role deploys each account, who may assume it, which
 * stacks go through it, and whether it can create everything those stacks declare (the proof's
 * `deployment-scope` paths), read from the plan's runs of the bootstrap stacks.
 */
import { ReportInput } from "./model";
import { table } from "./tables";
import { parseBootstrapExports } from "../../lib/contracts/bootstrap";

const PROGRAM = "cross-account-models:program";
const name = (arn: string) => arn.split("/").pop()!;

/**
 * The deployment roles, for the summary's Deployment identity section (below its heading, above
 * the paths to the roles); nothing without a planned bootstrap stack.
 */
export function deploymentRoles(input: ReportInput): string[] {
    const runs = [...input.env.runs.values()];
    const bootstraps = runs.filter((r) => r.config[PROGRAM] === "bootstrap" && Object.keys(r.outputs).length > 0);
    if (bootstraps.length === 0) return [];
    const rows = bootstraps.map((run) => {
        const exported = parseBootstrapExports(run.stack, run.outputs);
        const operators: string[] = JSON.parse(run.config["cross-account-models:deployment"] ?? "{}").operatorArns ?? [];
        const scope = input.access.filter((r) => r.path.architecture === "deployment-scope" && exported.deploys.includes(r.path.stack));
        return [
            run.accountId,
            `${name(exported.deploymentRoleArn)} (${run.stack})`,
            [...exported.ciRoleArns.map(name), ...operators.map((o) => `${name(o)} (MFA)`)].join(", "),
            exported.deploys.join(", ") || "nothing yet",
            `${scope.filter((r) => r.holds).length} of ${scope.length}`,
        ];
    });
    const own = runs.filter((r) => r.config[PROGRAM] !== "bootstrap" && r.config["aws:assumeRoles"] === undefined).map((r) => r.stack);
    return [
        "One CI identity deploys every account: each stack's AWS provider assumes its account's deployment role (`aws:assumeRoles`), which a bootstrap stack created once with that account's administrator credentials. A role may manage only what its stacks declare: the last column counts the requests that create each declared resource which the proof allowed.",
        "",
        ...table(["account", "deployment role", "assumed by", "deploys", "creates what they declare"], rows),
        "",
        ...(own.length > 0 ? [`Deploying with their own credentials (no \`aws:assumeRoles\`): ${own.join(", ")}.`, ""] : []),
    ];
}
