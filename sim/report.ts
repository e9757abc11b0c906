/**
 * The plan's report: Markdown with the stacks, their resources and policy results, the access
 * matrix, and a Mermaid diagram of accounts, roles, buckets, keys and the allowed edges.
 */
import * as path from "path";
import { PlanResult } from "./plan";
import { PathResult } from "../lib/access/prove";
import { writeFileAtomicSync } from "../lib/atomicFile";

/** The short name of an ARN or service principal: a key's alias where the stacks declare one. */
function shortName(id: string, aliases: ReadonlyMap<string, string>): string {
    if (!id.startsWith("arn:")) return id.replace(/\.amazonaws\.com$/, "");
    const [, , service, , , rest] = id.split(":");
    if (service === "s3") return `s3://${rest}`;
    return aliases.get(id) ?? (rest.split("/").slice(1).join("/") || rest);
}

/** Objects are drawn as their bucket. */
const diagramNode = (id: string) => (/^arn:[^:]+:s3:::/.test(id) ? id.split("/")[0] : id);

/** The account an ARN belongs to (S3 ARNs carry none; the path's resource account is used). */
function accountOf(id: string, fallback: string): string {
    return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(id)?.[1] ?? fallback;
}

const nodeId = (id: string) => `n${id.replace(/[^A-Za-z0-9]/g, "_")}`;

/** A Mermaid flowchart: one box per account with something in it, and an edge per allowed required path (actions merged). */
export function accessDiagram(result: PlanResult): string {
    const accounts = new Map<string, string>();
    for (const s of result.stacks) if (s.accountId) accounts.set(s.accountId, s.stack);
    const nodes = new Map<string, { label: string; account?: string }>();
    const edges = new Map<string, Set<string>>();
    const add = (id: string, account?: string) => nodes.set(id, { label: shortName(id, result.keyAliases), account });
    for (const { path: p, decision } of result.access) {
        // Edges the stacks grant to what they declare; the proof's stand-in principals are left out.
        if (p.expect !== "allowed" || !decision.allowed || p.identity === "administrator") continue;
        const target = diagramNode(p.resource);
        add(p.principal, p.principal.startsWith("arn:") ? accountOf(p.principal, p.resourceAccount) : undefined);
        add(target, accountOf(target, p.resourceAccount));
        const key = `${nodeId(p.principal)}|${nodeId(target)}|${p.endpointId ? ` via ${p.endpointId}` : ""}`;
        const actions = edges.get(key) ?? new Set<string>();
        actions.add(p.action);
        edges.set(key, actions);
    }
    const lines = ["flowchart LR"];
    for (const [account, stack] of accounts) {
        const members = [...nodes].filter(([, node]) => node.account === account);
        if (members.length === 0) continue;
        lines.push(`  subgraph acct${account}["${stack} (${account})"]`);
        for (const [id, node] of members) lines.push(`    ${nodeId(id)}["${node.label}"]`);
        lines.push("  end");
    }
    for (const [id, node] of nodes) if (!node.account || !accounts.has(node.account)) lines.push(`  ${nodeId(id)}(["${node.label}"])`);
    for (const [key, actions] of edges) {
        const [from, to, via] = key.split("|");
        lines.push(`  ${from} -->|"${[...actions].join(", ")}${via}"| ${to}`);
    }
    return lines.join("\n");
}

function accessRow(r: PathResult, aliases: ReadonlyMap<string, string>): string {
    const p = r.path;
    const verdict = r.holds ? "holds" : "**BROKEN**";
    return `| ${p.id} | ${p.expect} | ${r.decision.result} | ${verdict} | \`${shortName(p.principal, aliases)}\` | ${p.action} | \`${shortName(p.resource, aliases)}\` | ${p.endpointId ?? ""} | ${p.why} |`;
}

export function markdownReport(result: PlanResult): string {
    const ok = result.problems.length === 0;
    const out: string[] = [
        `# Offline plan: ${ok ? "PASS" : "FAIL"}`,
        "",
        `Stacks run under Pulumi's mock runtime against a simulated AWS, checked by the policy pack over the engine's analyzer protocol, and access proven with an IAM policy simulator. Time: stacks ${Math.round(result.timingsMs.stacks)} ms, policies ${Math.round(result.timingsMs.policies)} ms, access ${Math.round(result.timingsMs.access)} ms, total ${Math.round(result.timingsMs.total)} ms.`,
        "",
    ];
    if (!ok) out.push("## Problems", "", ...result.problems.map((p) => `- ${p}`), "");
    out.push(
        "## Stacks", "",
        "| stack | account | region | status | resources | mandatory | advisory |", "|---|---|---|---|---|---|---|",
        ...result.stacks.map((s) => {
            const mandatory = s.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
            const total = Object.values(s.resourceCounts).reduce((a, b) => a + b, 0);
            return `| ${s.stack} | ${s.accountId ?? ""} | ${s.region ?? ""} | ${s.status} | ${total} | ${mandatory} | ${s.diagnostics.length - mandatory} |`;
        }),
        "",
        `Order (from the StackReferences the programs declare): ${result.env.graph.levels.map((l) => l.join(" + ")).join(" → ")}. Runs, re-applications for feedback references included: ${result.env.sequence.join(" → ")} (${result.env.convergencePasses} re-application pass(es)).`,
        "",
    );
    for (const s of result.stacks) {
        out.push(`### ${s.stack}`, "");
        if (s.reason) out.push(`${s.status}: ${s.reason.replace(/\n/g, " ")}`, "");
        const counts = Object.entries(s.resourceCounts).sort(([a], [b]) => a.localeCompare(b));
        if (counts.length > 0) out.push("| resource type | count |", "|---|---|", ...counts.map(([t, n]) => `| \`${t}\` | ${n} |`), "");
        if (s.diagnostics.length > 0) out.push("Policy results:", "", ...s.diagnostics.map((d) => `- [${d.enforcementLevel}] ${d.policyName}: ${d.message.split("\n").pop()}`), "");
        else if (s.status === "planned") out.push("Policy results: no violations.", "");
    }
    out.push(
        "## Access matrix", "",
        "| path | expected | simulated | verdict | principal | action | resource | through | why |", "|---|---|---|---|---|---|---|---|---|",
        ...result.access.map((r) => accessRow(r, result.keyAliases)),
        "",
        "## Accounts, roles, buckets, keys and allowed edges", "",
        "```mermaid", accessDiagram(result), "```", "",
    );
    return out.join("\n");
}

/** Writes `plan.md` and `access.mmd` into `dir`, returning their paths. */
export function writeReport(result: PlanResult, dir: string): string[] {
    const files = [path.join(dir, "plan.md"), path.join(dir, "access.mmd")];
    writeFileAtomicSync(files[0], markdownReport(result));
    writeFileAtomicSync(files[1], `${accessDiagram(result)}\n`);
    return files;
}
