/**
 * The access diagram as Graphviz DOT, one panel per architecture so each tells one story: accounts
 * as clusters (the organization with its SCPs, each attached to the accounts it governs), the
 * proof's outsiders in a cluster of their own, required paths as solid green edges, forbidden
 * paths as dashed red edges ending in a bar, and a legend. An edge merges every path with the same
 * tail, head and expectation, so the picture stays legible however many paths the proof checks;
 * its tooltip lists those paths.
 */
import { AccessGraph, GraphLink, GraphNode, NodeKind, OUTSIDE, accessGraph } from "./graph";
import { Account, ReportInput, Scp, programWords, scpsOf } from "./model";
import { ARCHITECTURES, NOT_DRAWN, architectureName, architecturesOf, mergedActions } from "./names";

/** Colours and strokes, shared by the edges and the legend so they cannot disagree. */
export const EDGE_STYLE = {
    required: { color: "#2e7d32", style: "solid", arrowhead: "normal", penwidth: "1.8" },
    forbidden: { color: "#c62828", style: "dashed", arrowhead: "tee", penwidth: "0.9" },
    broken: { color: "#ff6f00", style: "bold", arrowhead: "normal", penwidth: "3" },
    scp: { color: "#6a1b9a", style: "dotted", arrowhead: "empty", penwidth: "1.4" },
} as const;
type EdgeStyle = (typeof EDGE_STYLE)[keyof typeof EDGE_STYLE];

const RESOURCE = 'style=filled, fillcolor="#fff2cc"';
const NODE_STYLE: Readonly<Record<NodeKind | "scp", string>> = {
    role: 'shape=box, style="rounded,filled", fillcolor="#dbe9f7"',
    service: 'shape=ellipse, style=filled, fillcolor="#eeeeee"',
    bucket: `shape=cylinder, ${RESOURCE}`,
    key: 'shape=box, style=filled, fillcolor="#fce5cd"',
    project: `shape=folder, ${RESOURCE}`,
    registry: `shape=folder, ${RESOURCE}`,
    repository: `shape=folder, ${RESOURCE}`,
    parameter: `shape=note, ${RESOURCE}`,
    model: `shape=folder, ${RESOURCE}`,
    endpoint: 'shape=hexagon, style=filled, fillcolor="#e2f0d9"',
    other: `shape=box, ${RESOURCE}`,
    scp: 'shape=note, style=filled, fillcolor="#e1d5f0", color="#6a1b9a"',
};
const STAND_IN = 'shape=box, style="dashed,rounded", color="#777777", fontcolor="#555555"';

const html = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const quoted = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
const attrs = (pairs: Record<string, string | undefined>) =>
    Object.entries(pairs)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
const edgeAttrs = (style: EdgeStyle, more: Record<string, string | undefined>) =>
    attrs({
        ...more,
        color: quoted(style.color),
        fontcolor: quoted(style.color),
        style: style.style,
        arrowhead: style.arrowhead,
        penwidth: style.penwidth,
    });
const safe = (text: string) => text.replace(/[^A-Za-z0-9]/g, "_");

/** An HTML label: the name in bold (italic for a stand-in), what it is underneath in small grey lines. */
function nodeLabel(name: string, detail: string | readonly string[], standIn = false): string {
    const title = standIn ? `<I>${html(name)}</I>` : `<B>${html(name)}</B>`;
    const lines = ([] as string[]).concat(detail).map((line) => `<BR/><FONT POINT-SIZE="8" COLOR="#555555">${html(line)}</FONT>`);
    return `<${title}${lines.join("")}>`;
}

/** Items joined into lines of about `width` characters. */
function wrap(items: readonly string[], width = 36): string {
    const lines: string[] = [];
    for (const item of items) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + item.length + 2 <= width) lines[last] += `, ${item}`;
        else lines.push(item);
    }
    return lines.join("\n");
}

/** The edge of links sharing tail, head and expectation: what it allows or refuses, and through what. */
function edgeLine(prefix: string, group: readonly GraphLink[]): string {
    const { from, to, expect } = group[0];
    const results = group.flatMap((l) => l.results);
    const holds = results.every((r) => r.holds);
    const style = !holds ? EDGE_STYLE.broken : expect === "allowed" ? EDGE_STYLE.required : EDGE_STYLE.forbidden;
    // A refused edge names only the actions; what each was limited to is in the tooltip and the matrix.
    const actions = group.flatMap((l) => (expect === "denied" && holds ? l.actions.map((a) => a.split(" ")[0]) : l.actions));
    const via = [...new Set(group.flatMap((l) => l.via))];
    const on = [...new Set(group.flatMap((l) => l.on))];
    const lines = [
        `${!holds ? "BROKEN " : expect === "denied" ? "✕ " : ""}${wrap(
            mergedActions(actions)
                .split("; ")
                .flatMap((service) => service.split(", ")),
        )}`,
        ...(on.length > 0 ? [`with ${on.join(", ")} credentials`] : []),
        ...(via.length > 0 ? [`via ${via.join(", ")}`] : []),
    ];
    const tooltip = results.map((r) => `${r.path.id}: ${r.path.why}${r.holds ? "" : " (DOES NOT HOLD)"}`).join("\n");
    return `${prefix}${from} -> ${prefix}${to} [${edgeAttrs(style, { label: quoted(lines.join("\n")), tooltip: quoted(tooltip) })}]`;
}

function nodeLine(prefix: string, node: GraphNode): string {
    return `${prefix}${node.id} [${attrs({ label: nodeLabel(node.label, node.detail, node.standIn), tooltip: quoted(node.ref) })}, ${node.standIn ? STAND_IN : NODE_STYLE[node.kind]}]`;
}

/**
 * The SCP nodes of the organization's cluster, their edges to the clusters of the accounts they
 * govern, and those accounts' stacks (drawn even when no path of the panel touches them).
 */
function scpParts(prefix: string, scps: readonly Scp[], stackOf: ReadonlyMap<string, string>) {
    const nodes: string[] = [];
    const edges: string[] = [];
    const governed = new Set<string>();
    scps.forEach((scp, i) => {
        const id = `${prefix}scp${i + 1}`;
        const tooltip = [
            ...(scp.description ? [scp.description] : []),
            ...scp.statements.map((s) => `${s.sid}: deny ${s.actions.join(", ")}${s.condition ? ` where ${s.condition}` : ""}`),
        ].join("\n");
        nodes.push(
            `${id} [${attrs({ label: nodeLabel(scp.name, ["service control policy", ...scp.statements.map((s) => s.sid)]), tooltip: quoted(tooltip) })}, ${NODE_STYLE.scp}]`,
        );
        for (const target of scp.targets) {
            const stack = stackOf.get(target);
            if (stack) {
                governed.add(stack);
                edges.push(
                    `${id} -> ${prefix}${safe(stack)}_anchor [${edgeAttrs(EDGE_STYLE.scp, { lhead: `cluster_${prefix}${safe(stack)}`, label: quoted("governs") })}]`,
                );
            } else {
                // An OU or an account outside the environment: named, not drawn as a cluster.
                nodes.push(`${id}_${safe(target)} [${attrs({ label: nodeLabel(target, "attached target") })}, shape=box, style=dashed]`);
                edges.push(`${id} -> ${id}_${safe(target)} [${edgeAttrs(EDGE_STYLE.scp, { label: quoted("governs") })}]`);
            }
        }
    });
    return { nodes, edges, governed };
}

/** Groups links by what an edge shows: tail, head, expectation and whether every path holds. */
function edgeGroups(links: readonly GraphLink[]): GraphLink[][] {
    const groups = new Map<string, GraphLink[]>();
    for (const link of links) {
        const key = `${link.from}|${link.to}|${link.expect}|${link.results.every((r) => r.holds)}`;
        groups.set(key, [...(groups.get(key) ?? []), link]);
    }
    return [...groups.values()];
}

/** One architecture's panel: its nodes in their account clusters, its edges, and for the guardrails the SCPs. */
function panel(architecture: string, graph: AccessGraph, scps: readonly Scp[]): string[] {
    const prefix = `${ARCHITECTURES[architecture]?.code ?? safe(architecture)}_`;
    const links = graph.links.filter((l) => l.architecture === architecture);
    const used = new Set(links.flatMap((l) => [l.from, l.to]));
    const nodes = graph.nodes.filter((n) => used.has(n.id));
    const withScps = architecture === "guardrails" && scps.length > 0;
    const parts = withScps
        ? scpParts(prefix, scps, new Map(graph.accounts.map((a) => [a.accountId, a.stack])))
        : { nodes: [], edges: [], governed: new Set<string>() };
    const cluster = (account: Account) => {
        const members = nodes.filter((n) => n.cluster === account.stack);
        const isOrg = account.program === "organization";
        if (members.length === 0 && !(isOrg && withScps) && !parts.governed.has(account.stack)) return [];
        return [
            `    subgraph cluster_${prefix}${safe(account.stack)} {`,
            `      label=${nodeLabel(`${account.stack} · ${account.accountId}`, programWords(account.program))}; style="rounded,filled"; fillcolor="${isOrg ? "#f6f0fb" : "#f7f9fc"}"; color="#7a8ca5";`,
            // An invisible node, so an SCP edge can end at the cluster even when nothing else of the account is drawn.
            `      ${prefix}${safe(account.stack)}_anchor [shape=point, style=invis, width=0.01]`,
            ...(isOrg ? parts.nodes.map((n) => `      ${n}`) : []),
            ...members.map((n) => `      ${nodeLine(prefix, n)}`),
            "    }",
        ];
    };
    const outside = nodes.filter((n) => n.cluster === OUTSIDE);
    const results = links.flatMap((l) => l.results);
    const required = results.filter((r) => r.path.expect === "allowed").length;
    return [
        `  subgraph cluster_${prefix}panel {`,
        `    label=${nodeLabel(architectureName(architecture), `${required} required, ${results.length - required} forbidden paths`)}; labeljust=l; style=rounded; color="#444444"; penwidth=1.5; fontsize=14;`,
        // Declared bottom-up (see accessDot): the outsiders below, the accounts above in their order.
        ...(outside.length > 0
            ? [
                  `    subgraph cluster_${prefix}outside {`,
                  `      label=${nodeLabel("outside", "stand-ins for everyone else")}; style="rounded,dashed"; color="#999999";`,
                  ...outside.map((n) => `      ${nodeLine(prefix, n)}`),
                  "    }",
              ]
            : []),
        ...[...graph.accounts].reverse().flatMap(cluster),
        ...nodes.filter((n) => n.cluster === undefined).map((n) => `    ${nodeLine(prefix, n)}`),
        ...edgeGroups(links).map((group) => `    ${edgeLine(prefix, group)}`),
        ...parts.edges.map((e) => `    ${e}`),
        "  }",
    ];
}

/** A panel of sample nodes and edges that explains every style the diagram uses. */
function legend(): string[] {
    const sample = (id: string, name: string, detail: string, style: string, standIn = false) =>
        `    ${id} [label=${nodeLabel(name, detail, standIn)}, ${style}]`;
    const edge = (from: string, to: string, text: string, style: EdgeStyle) =>
        `    ${from} -> ${to} [${edgeAttrs(style, { label: quoted(text) })}]`;
    return [
        "  subgraph cluster_legend {",
        '    label=<<B>Legend</B>>; labeljust=l; style=rounded; color="#999999"; fontsize=12;',
        // Listed bottom-up, as the graph stacks them.
        sample("lg_endpoint", "VPC endpoint", "a request's network path", NODE_STYLE.endpoint),
        sample("lg_scp", "SCP", "service control policy", NODE_STYLE.scp),
        sample("lg_standin", "stand-in", "invented by the proof", STAND_IN, true),
        sample("lg_data", "resource", "bucket, key, project, registry", NODE_STYLE.bucket),
        sample("lg_role", "role", "declared by a stack", NODE_STYLE.role),
        // Each edge between two points of its own, so no row pairs a kind of node with a kind of edge.
        ...["a", "b", "c", "d"].flatMap((id) => [`    lg_${id}1 [shape=point, width=0.05]`, `    lg_${id}2 [shape=point, width=0.05]`]),
        edge("lg_d1", "lg_d2", "BROKEN: does not hold, the plan fails", EDGE_STYLE.broken),
        edge("lg_c1", "lg_c2", "governs the account", EDGE_STYLE.scp),
        edge("lg_b1", "lg_b2", "✕ forbidden: refused, as it must be", EDGE_STYLE.forbidden),
        edge("lg_a1", "lg_a2", "required: allowed, as it must be", EDGE_STYLE.required),
        "  }",
    ];
}

/** The diagram of a plan's result as DOT. */
export function accessDot(input: ReportInput, graph: AccessGraph = accessGraph(input)): string {
    const scps = scpsOf(input);
    const pass = input.problems.length === 0;
    const required = input.access.filter((r) => r.path.expect === "allowed").length;
    const architectures = architecturesOf([...graph.links.map((l) => l.architecture), ...(scps.length > 0 ? ["guardrails"] : [])]).filter(
        (a) => !NOT_DRAWN.has(a),
    );
    return [
        "digraph access {",
        `  graph [${attrs({
            rankdir: "LR",
            compound: "true",
            fontname: "Arial",
            fontsize: "11",
            nodesep: "0.25",
            ranksep: "0.9",
            labelloc: "t",
            labeljust: "l",
            label: nodeLabel(
                `Access proven offline: ${pass ? "PASS" : "FAIL"}`,
                `${input.access.length} paths: ${required} required, ${input.access.length - required} forbidden. Hover an edge for its paths.`,
            ),
        })}]`,
        '  node [fontname="Arial", fontsize=10, margin="0.1,0.04"]',
        '  edge [fontname="Arial", fontsize=8]',
        // Top-level clusters of a left-to-right graph stack upwards: the last declared is drawn on top.
        ...[...architectures].reverse().flatMap((a) => panel(a, graph, scps)),
        ...legend(),
        "}",
        "",
    ].join("\n");
}
