/**
 * The report's summary, what a reader looks at first: per account what it declares and which SCPs
 * guard it; per architecture what is shared with whom, through which endpoint, held by which
 * policy, and what is refused; the organization's SCPs; which model versions each Rekognition
 * consumer can call, and a promotion step by step when one was planned; which package each
 * SageMaker target serves and may serve.
 */
import type { PromotionSnapshot } from "../plan/promotionPlan";
import { PathResult } from "../access/prove";
import { AccessGraph, GraphNode } from "./graph";
import { ReportInput, decidedBy, inventoryOf, packageViews, programWords, scpsOf, versionViews } from "./model";
import { COUNTED_ONLY, architectureName, architecturesOf, mergedActions, packageLabel, versionLabel } from "./names";
import { APPROVE_COMMAND } from "../../ops/release/registryGate";
import { table } from "./tables";
import { deploymentRoles } from "./deployment";

/** A promotion planned offline (`npm run plan -- --promote <stack> --to <version>`). */
export interface PromotionView {
    readonly stack: string;
    readonly to: string;
    readonly snapshots: readonly PromotionSnapshot[];
    readonly log: readonly string[];
}

export { cell, table } from "./tables";

/** The resources of each kind a stack declares, named where a reader knows them by name. */
function declares(input: ReportInput, stack: string): string {
    const resources = input.env.runs.get(stack)?.resources ?? [];
    const named = (type: string, what: string, name: (r: (typeof resources)[number]) => string) => {
        const of = resources.filter((r) => r.type === type);
        return of.length === 0 ? [] : [`${what} ${of.map((r) => `\`${name(r)}\``).join(", ")}`];
    };
    const counted = (type: string, what: string) => {
        const n = resources.filter((r) => r.type === type).length;
        return n === 0 ? [] : [`${n} ${what}${n === 1 ? "" : "s"}`];
    };
    return (
        [
            ...named("aws:organizations/policy:Policy", "SCPs", (r) => r.inputs.name ?? r.name),
            ...named("aws:s3/bucket:Bucket", "buckets", (r) => r.state.bucket ?? r.state.id),
            ...named("aws:rekognition/project:Project", "Rekognition project", (r) => r.inputs.name ?? r.name),
            ...named(
                "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
                "model package group",
                (r) => r.inputs.modelPackageGroupName ?? r.name,
            ),
            ...named("aws:ecr/repositoryPolicy:RepositoryPolicy", "policy of ECR repository", (r) => r.inputs.repository),
            ...counted("aws:iam/role:Role", "role"),
            ...counted("aws:kms/key:Key", "KMS key"),
            ...counted("aws:ec2/vpcEndpoint:VpcEndpoint", "VPC endpoint"),
        ].join("; ") || "nothing (not planned)"
    );
}

function accountsTable(input: ReportInput, graph: AccessGraph): string[] {
    const scps = scpsOf(input);
    return table(
        ["account", "stack", "role", "declares", "guarded by (SCP)"],
        graph.accounts.map((a) => [
            `\`${a.accountId}\``,
            a.stack,
            programWords(a.program),
            declares(input, a.stack),
            scps
                .filter((s) => s.targets.includes(a.accountId))
                .map((s) => s.name)
                .join(", ") || "—",
        ]),
    );
}

const place = (node: GraphNode | undefined) => (node ? `${node.label}${node.cluster ? ` (${node.cluster})` : ""}` : "?");

/** A decision in the words of the path's own stack ("its key policy"), so dev's and prod's fold into one line. */
const asOwn = (words: string, stack: string) =>
    words.replace(new RegExp(`(^|[ (;+])${stack.replace(/[^A-Za-z0-9]/g, "\\$&")} (?=[a-zA-Z])`, "g"), "$1its ");

/** Policies named once each, however many paths they decide. */
const union = (decisions: readonly string[]) => [...new Set(decisions.flatMap((d) => d.split(/ \+ |; /)))].join(" + ");

/** One architecture: a row per required edge, then the refused paths folded by reason. */
function architectureSection(input: ReportInput, graph: AccessGraph, architecture: string, decide: (r: PathResult) => string): string[] {
    const node = new Map(graph.nodes.map((n) => [n.id, n]));
    const links = graph.links.filter((l) => l.architecture === architecture);
    const shared = links
        .filter((l) => l.expect === "allowed")
        .map((l) => [
            [...new Set(l.results.map((r) => r.path.stack))].join(", "),
            node.get(l.from)?.label ?? l.from,
            mergedActions(l.actions),
            place(node.get(l.to)),
            l.via.map((v) => (v.endsWith(" endpoint") ? `own ${v}` : v)).join(", ") || "—",
            union(l.results.map(decide)),
        ]);
    const refused = input.access.filter((r) => r.path.architecture === architecture && r.path.expect === "denied");
    const reasons = new Map<string, PathResult[]>();
    for (const r of refused) reasons.set(r.path.why, [...(reasons.get(r.path.why) ?? []), r]);
    const open = refused.filter((r) => !r.holds).length;
    return [
        `### ${architectureName(architecture)}`,
        "",
        ...(shared.length > 0 ? table(["for", "who", "may", "on", "through", "held by"], shared) : ["Nothing is shared."]),
        "",
        `<details><summary>Refused: ${refused.length} forbidden path(s), ${open === 0 ? "each refused" : `**${open} OPEN**`}</summary>`,
        "",
        ...[...reasons].map(
            ([why, rs]) =>
                `- ${rs.some((r) => !r.holds) ? "**OPEN** " : ""}${why} (${[...new Set(rs.map((r) => r.path.stack))].join(", ")}): ${[...new Set(rs.flatMap((r) => asOwn(decide(r), r.path.stack).split("; ")))].join("; ")}`,
        ),
        "",
        "</details>",
        "",
    ];
}

function scpSection(input: ReportInput, graph: AccessGraph): string[] {
    const scps = scpsOf(input);
    if (scps.length === 0) return [];
    const stackOf = new Map(graph.accounts.map((a) => [a.accountId, a.stack]));
    const refusedBy = (scp: string) =>
        input.access.filter(
            (r) => r.path.expect === "denied" && r.decision.denials.some((d) => d.policyType === "scp" && d.policy?.endsWith(` ${scp}`)),
        ).length;
    return [
        "### Service control policies",
        "",
        ...table(
            ["SCP", "stack", "attached to", "denies", "proven by"],
            scps.map((s) => [
                `\`${s.name}\``,
                s.stack,
                s.targets.map((t) => (stackOf.has(t) ? `${stackOf.get(t)} (${t})` : t)).join(", ") || "nothing",
                s.statements.map((st) => `${st.sid}: ${st.actions.join(", ")}${st.condition ? ` where ${st.condition}` : ""}`).join("<br>"),
                `${refusedBy(s.name)} refused path(s)`,
            ]),
        ),
        "",
    ];
}

function versionsSection(input: ReportInput, promotion?: PromotionView): string[] {
    const views = versionViews(input);
    if (views.length === 0 && !promotion) return [];
    const versions = [...new Set(views.flatMap((v) => [...v.callable.keys()]))];
    const out = ["### Rekognition model versions", ""];
    if (views.length > 0) {
        out.push(
            "Which versions each consumer's access role can call (through its own endpoint), as proven now, and the version its parameter names:",
            "",
            ...table(
                ["consumer", "parameter names", ...versions.map((v) => `calls \`${versionLabel(v)}\``)],
                views.map((v) => [
                    v.stack,
                    v.active ? `\`${versionLabel(v.active)}\`` : "—",
                    ...versions.map((version) =>
                        v.callable.get(version) === undefined ? "—" : v.callable.get(version) ? "✅ allowed" : "✕ denied",
                    ),
                ]),
            ),
            "",
        );
    }
    if (promotion) {
        const columns = Object.keys(promotion.snapshots[0]?.callable ?? {});
        out.push(
            `#### Promotion of ${promotion.stack} to \`${versionLabel(promotion.to)}\`, planned offline`,
            "",
            ...table(
                ["after", "parameter names", ...columns.map((v) => `calls \`${versionLabel(v)}\``), "problems"],
                promotion.snapshots.map((s) => [
                    s.after,
                    `\`${versionLabel(s.active)}\``,
                    ...columns.map((v) => (s.callable[v] ? "✅ allowed" : "✕ denied")),
                    s.problems.join("; ") || "—",
                ]),
            ),
            "",
            ...promotion.log.filter((l) => !l.startsWith("step ")).map((l) => `- ${l}`),
            "",
        );
    } else if (views.length > 0) {
        out.push("A promotion step by step: `npm run plan -- --promote <consumer stack> --to <version ARN>` adds it here.", "");
    }
    return out;
}

/** Which package each SageMaker target serves and may serve; the registry's approval is said to be unread, not guessed. */
function packagesSection(input: ReportInput): string[] {
    const views = packageViews(input);
    if (views.length === 0) return [];
    const label = (arn: string) => `\`${packageLabel(arn)}\``;
    const callers = [...new Set(views.map((v) => `\`${v.checkedAs}\` (${v.research})`))].join(", ");
    return [
        "### SageMaker model packages",
        "",
        "A target serves a package only when research grants it (listed in `approvedModelPackages` of its stack file: " +
            "the registry policy lets the targets' execution roles describe it, the bucket and key policies let them read its model data) " +
            "and the model registry approves it (`ModelApprovalStatus` Approved). The plan cannot read the registry, so no status is shown: " +
            `\`npm run env -- rollout\` reads it when it starts or resumes, again before production, and before a rollback, as ${callers}; ` +
            `\`${APPROVE_COMMAND} --package <ARN> --approver <name>\` approves one.`,
        "",
        ...table(
            ["target", "serves", "may serve (granted by research)", "its execution role describes it", "registry approval"],
            views.map((v) => [
                v.stack,
                v.serves ? `${label(v.serves)} ${v.granted.includes(v.serves) ? "✅ granted" : "✕ not granted"}` : "— (not planned)",
                v.granted.map(label).join(", ") || "nothing",
                v.describable === undefined ? "—" : v.describable ? "✅ allowed" : "✕ refused",
                "not read offline; checked at rollout time",
            ]),
        ),
        "",
    ];
}

export function summary(input: ReportInput, graph: AccessGraph, diagramFile: string, promotion?: PromotionView): string[] {
    const inventory = inventoryOf(input);
    const decide = (r: PathResult) => decidedBy(r, inventory);
    const architectures = architecturesOf(input.access.map((r) => r.path.architecture))
        // The deployment roles' scope is one count per account (Deployment identity), not a row per resource.
        .filter((a) => a !== "guardrails" && !COUNTED_ONLY.has(a));
    const roles = deploymentRoles(input);
    return [
        "## Summary",
        "",
        `![Accounts, what they share with whom, and what is refused](${diagramFile})`,
        "",
        `Open [${diagramFile}](${diagramFile}) in a browser to zoom; hover an edge for the paths it stands for.`,
        "",
        "### Accounts",
        "",
        ...accountsTable(input, graph),
        "",
        ...architectures.flatMap((a) => {
            const section = architectureSection(input, graph, a, decide);
            // The deployment roles under the heading of the paths that reach them: one section, not two.
            return a === "deployment" ? [...section.slice(0, 2), ...roles, ...section.slice(2)] : section;
        }),
        ...(roles.length > 0 && !architectures.includes("deployment") ? ["### Deployment identity", "", ...roles] : []),
        ...scpSection(input, graph),
        ...versionsSection(input, promotion),
        ...packagesSection(input),
    ];
}
