/**
 * `index.html`: the plan's report as one self-contained page (inline CSS, JavaScript and SVG; no
 * network), from the same model as `plan.md`: a view per architecture (accounts, VPCs, subnets,
 * endpoints, roles and resources, the required paths numbered; the forbidden paths and the SCP
 * panel behind toggles; a path's deciding statements on selection), and the policy pack's
 * findings and the access matrix as tables filtered by architecture, account and outcome.
 */
import * as fs from "fs";
import * as path from "path";
import { PathResult } from "../../access/prove";
import { accessGraph } from "../graph";
import { ReportInput, accountsOf, decidedBy, inventoryOf, programWords, scpsOf } from "../model";
import { architectureName, architecturesOf, shortName } from "../names";
import { StatementFinder } from "./statements";
import { VIEWS, View, viewOf } from "./views";
import { layoutView } from "./layout";
import { escapeHtml } from "./text";

export const HTML_FILE = "index.html";

const STRING_FIELDS = [
    "arch",
    "why",
    "principal",
    "principalArn",
    "action",
    "resource",
    "resourceArn",
    "through",
    "decidedBy",
    "result",
    "problem",
];

const asset = (name: string) => fs.readFileSync(path.join(__dirname, name), "utf8");

/** A finding's architecture, from the components its resource belongs to; "*" where it belongs to none. */
function findingArchitecture(urn: string): string {
    if (/bedrock|Cmi|ArtifactShare/i.test(urn)) return "bedrock-cmi";
    if (/rekognition|ModelConsumer|ssm\//i.test(urn)) return "rekognition-shared";
    if (/sagemaker|ecr\//i.test(urn)) return "sagemaker";
    return "*";
}

/** Where a request goes through, as the matrix says it. */
function through(r: PathResult): string {
    const source = r.path.context["aws:SourceVpce"];
    if (r.path.endpointId) return `own endpoint ${r.path.endpointId}`;
    if (typeof source === "string") return `another account's endpoint ${source}`;
    return "";
}

interface PageData {
    readonly views: readonly { code: string; architecture: string; title: string }[];
    readonly links: Record<string, { view: string; title: string; step?: number; kind: string; forbidden: boolean; paths: number[] }>;
    /** Every string the paths name once, and the fields of a path that hold an index into them. */
    readonly strings: readonly string[];
    readonly stringFields: readonly string[];
    readonly paths: readonly Record<string, unknown>[];
    readonly statements: readonly { policy: string; effect: string; text: string }[];
    readonly findings: readonly Record<string, unknown>[];
}

/** JSON inside a script element: nothing in it can end the element. */
const scriptJson = (value: unknown) =>
    JSON.stringify(value)
        .replace(/</g, "\\u003c")
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");

export interface HtmlReport {
    readonly html: string;
    readonly views: readonly View[];
}

export function htmlReport(input: ReportInput): HtmlReport {
    const graph = accessGraph(input);
    const inventory = inventoryOf(input);
    const accounts = accountsOf(input);
    const scps = scpsOf(input);
    const finder = new StatementFinder(inventory);
    const stackOfAccount = new Map(accounts.map((a) => [a.accountId, a.stack]));
    const scpsOf_ = new Map(accounts.map((a) => [a.stack, scps.filter((s) => s.targets.includes(a.accountId)).map((s) => s.name)]));
    const views = VIEWS.map((spec) => viewOf(input, graph, inventory, spec)).filter((v) => v.links.length > 0);

    // Statements deduplicated by text, paths by index; each drawn link lists its paths.
    const statements: { policy: string; effect: string; text: string }[] = [];
    const statementIndex = new Map<string, number>();
    const pathIndex = new Map<PathResult, number>();
    input.access.forEach((r, i) => pathIndex.set(r, i));
    const links: PageData["links"] = {};
    const linkOfPath = new Map<number, string>();
    for (const view of views) {
        const label = new Map(view.nodes.map((n) => [n.id, n.label]));
        for (const link of view.links) {
            const paths = link.results.map((r) => pathIndex.get(r)!);
            paths.forEach((p) => linkOfPath.set(p, link.id));
            links[link.id] = {
                view: view.code,
                title: `${label.get(link.from)} → ${label.get(link.to)}${link.via ? ` via ${label.get(link.via)}` : ""}`,
                ...(link.step !== undefined ? { step: link.step } : {}),
                kind: !link.holds ? "broken" : link.expect === "allowed" ? "required" : "forbidden",
                forbidden: link.expect === "denied",
                paths,
            };
        }
    }
    const accountsOfPath = (r: PathResult) =>
        [
            ...new Set([
                r.path.stack,
                stackOfAccount.get(/^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(r.path.principal)?.[1] ?? ""),
                stackOfAccount.get(r.path.resourceAccount),
            ]),
        ].filter((s): s is string => !!s);
    // Strings repeat across paths (principals, resources, reasons): each is kept once, paths hold their indexes.
    const strings: string[] = [];
    const stringIndex = new Map<string, number>();
    const intern = (text: string) => {
        if (!stringIndex.has(text)) {
            stringIndex.set(text, strings.length);
            strings.push(text);
        }
        return stringIndex.get(text)!;
    };
    const paths = input.access.map((r, i) => ({
        id: r.path.id,
        arch: intern(r.path.architecture),
        accounts: accountsOfPath(r),
        expect: r.path.expect,
        holds: r.holds,
        why: intern(r.path.why),
        principal: intern(shortName(r.path.principal, input.keyAliases)),
        principalArn: intern(r.path.principal),
        action: intern(r.path.action),
        resource: intern(shortName(r.path.resource, input.keyAliases)),
        resourceArn: intern(r.path.resource),
        through: intern(through(r)),
        decidedBy: intern(decidedBy(r, inventory)),
        result: intern(r.decision.result),
        ...(r.problem ? { problem: intern(r.problem) } : {}),
        ...(linkOfPath.has(i) ? { link: linkOfPath.get(i) } : {}),
        statements: finder.decidingStatements(r).map((s) => {
            const key = JSON.stringify(s);
            if (!statementIndex.has(key)) {
                statementIndex.set(key, statements.length);
                statements.push(s);
            }
            return statementIndex.get(key)!;
        }),
    }));
    const findings = input.stacks.flatMap((s) =>
        s.diagnostics.map((d) => ({
            stack: s.stack,
            account: s.accountId ?? "",
            level: d.enforcementLevel,
            policy: d.policyName,
            resource: d.urn.split("::").pop() || "the stack",
            message: d.message.split("\n").pop() ?? "",
            arch: findingArchitecture(d.urn),
        })),
    );
    const data: PageData = {
        views: views.map(({ code, architecture, title }) => ({ code, architecture, title })),
        links,
        strings,
        stringFields: STRING_FIELDS,
        paths,
        statements,
        findings,
    };

    const pass = input.problems.length === 0;
    const required = input.access.filter((r) => r.path.expect === "allowed");
    const forbidden = input.access.filter((r) => r.path.expect === "denied");
    const planned = input.stacks.filter((s) => s.status === "planned").length;
    const allFindings = input.stacks.flatMap((s) => s.diagnostics);
    const drawings = views.map((view) => ({
        view,
        required: layoutView(view, { forbidden: false, scpsOf: scpsOf_ }),
        all: layoutView(view, { forbidden: true, scpsOf: scpsOf_ }),
    }));

    const viewSection = ({ view, required: req, all }: (typeof drawings)[number], i: number) => {
        const label = new Map(view.nodes.map((n) => [n.id, n.label]));
        const item = (l: View["links"][number]) =>
            `<li class="${!l.holds ? "broken" : l.expect === "allowed" ? "required" : "forbidden"}" data-link="${l.id}" tabindex="0">` +
            `${l.step !== undefined ? `<span class="num">${l.step}</span>` : `<span class="num x">✕</span>`}` +
            `<span class="what"><b>${escapeHtml(label.get(l.from) ?? "")}</b> → <b>${escapeHtml(label.get(l.to) ?? "")}</b>${l.via ? ` <i>via ${escapeHtml(label.get(l.via) ?? "")}</i>` : ""}<br>${escapeHtml(l.actions)}</span></li>`;
        const reqLinks = view.links.filter((l) => l.expect === "allowed");
        const forbLinks = view.links.filter((l) => l.expect === "denied");
        return {
            diagram: [
                `<div class="view" data-view="${view.code}"${i === 0 ? "" : " hidden"}>`,
                `<div class="drawing required-only">${req.svg}</div>`,
                `<div class="drawing with-forbidden">${all.svg}</div>`,
                "</div>",
            ].join("\n"),
            list: [
                `<div class="view-list" data-view="${view.code}"${i === 0 ? "" : " hidden"}>`,
                `<h3>${escapeHtml(view.title)}: ${reqLinks.length} required link${reqLinks.length === 1 ? "" : "s"}</h3>`,
                `<ol class="steps">${reqLinks.map(item).join("")}</ol>`,
                `<div class="forbidden-list"><h3>${forbLinks.length} forbidden link${forbLinks.length === 1 ? "" : "s"} (refused, as they must be)</h3><ul class="steps">${forbLinks.map(item).join("")}</ul></div>`,
                "</div>",
            ].join("\n"),
        };
    };
    const sections = drawings.map(viewSection);

    const org = accounts.find((a) => a.program === "organization");
    const guardrails = input.access.filter((r) => r.path.architecture === "guardrails");
    const scpPanel = [
        `<section class="panel scp-panel" id="scp-panel" aria-label="Service control policies">`,
        `<h2>Organizations guardrails${org ? `: ${escapeHtml(org.stack)} · ${escapeHtml(org.accountId)} (${escapeHtml(programWords(org.program))})` : ""}</h2>`,
        scps.length === 0
            ? "<p>No service control policy is declared: no Organizations stack is planned.</p>"
            : `<div class="scp-cards">${scps
                  .map(
                      (s) =>
                          `<div class="scp-card"><h3>${escapeHtml(s.name)}</h3><p>${escapeHtml(s.description)}</p>` +
                          `<p class="governs">attached to: ${s.targets.map((t) => escapeHtml(stackOfAccount.has(t) ? `${stackOfAccount.get(t)} (${t})` : t)).join(", ") || "nothing"}</p>` +
                          `<ul>${s.statements.map((st) => `<li><code>${escapeHtml(st.sid)}</code>: deny ${escapeHtml(st.actions.join(", "))}${st.condition ? ` where ${escapeHtml(st.condition)}` : ""}</li>`).join("")}</ul></div>`,
                  )
                  .join("")}</div>`,
        guardrails.length > 0
            ? `<h3>What the SCPs refuse, proven (${guardrails.length} paths)</h3><ul class="guardrail-paths">${guardrails
                  .map(
                      (r) =>
                          `<li class="${!r.holds ? "broken" : r.path.expect === "allowed" ? "required" : "forbidden"}" data-path="${pathIndex.get(r)}" tabindex="0"><code>${escapeHtml(r.path.id)}</code> ${escapeHtml(r.path.why)}: <b>${r.decision.allowed ? "allowed" : "refused"}</b>${r.holds ? "" : " (BROKEN)"}</li>`,
                  )
                  .join("")}</ul>`
            : "",
        "</section>",
    ].join("\n");

    const archOptions = architecturesOf(input.access.map((r) => r.path.architecture));
    const option = (value: string, text: string) => `<option value="${escapeHtml(value)}">${escapeHtml(text)}</option>`;
    const legend = [
        `<div class="legend" aria-label="Legend">`,
        `<span class="lg"><svg width="34" height="10"><path d="M1,5 H31" class="lg-required"/><path d="M27,1 L33,5 L27,9 z" class="lg-required-head"/></svg>required path: allowed, as it must be</span>`,
        `<span class="lg"><svg width="34" height="10"><path d="M1,5 H31" class="lg-forbidden"/><path d="M31,0 V10" class="lg-forbidden"/></svg>forbidden path: refused, as it must be</span>`,
        `<span class="lg"><svg width="34" height="10"><path d="M1,5 H31" class="lg-broken"/></svg>broken: the plan fails</span>`,
        `<span class="lg-sep"></span>`,
        ...[
            ["role", "role"],
            ["bucket", "resource"],
            ["endpoint", "VPC endpoint"],
            ["service", "AWS service"],
        ].map(
            ([k, t]) =>
                `<span class="lg"><svg width="16" height="12"><rect class="lg-node k-${k}" x="1" y="1" width="14" height="10" rx="3"/></svg>${t}</span>`,
        ),
        `<span class="lg"><svg width="16" height="12"><rect class="lg-node standin" x="1" y="1" width="14" height="10" rx="3"/></svg>stand-in (the proof's)</span>`,
        "</div>",
    ].join("");

    const html = [
        "<!DOCTYPE html>",
        `<html lang="en">`,
        "<head>",
        `<meta charset="utf-8">`,
        `<meta name="viewport" content="width=device-width, initial-scale=1">`,
        `<title>Offline plan: ${pass ? "PASS" : "FAIL"}</title>`,
        `<style>\n${asset("page.css")}\n</style>`,
        "</head>",
        `<body class="${pass ? "pass" : "fail"}">`,
        `<header class="panel top">`,
        `<h1>Offline plan: <span class="verdict">${pass ? "PASS" : "FAIL"}</span></h1>`,
        `<p class="counts">${planned} of ${input.stacks.length} stacks planned · ${required.filter((r) => r.holds).length} of ${required.length} required paths allowed · ${forbidden.filter((r) => r.holds).length} of ${forbidden.length} forbidden paths refused · ${allFindings.length} policy pack finding${allFindings.length === 1 ? "" : "s"}${pass ? "" : ` · <b>${input.problems.length} problem${input.problems.length === 1 ? "" : "s"}</b>`}</p>`,
        "</header>",
        ...(pass
            ? []
            : [
                  `<section class="panel problems"><h2>Problems</h2><ul>${input.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul></section>`,
              ]),
        `<nav class="panel toolbar" aria-label="Views">`,
        `<div class="tabs" role="tablist">${views.map((v, i) => `<button role="tab" data-tab="${v.code}" aria-selected="${i === 0}">${escapeHtml(v.title)}</button>`).join("")}</div>`,
        `<label class="toggle"><input type="checkbox" id="toggle-forbidden"> forbidden paths</label>`,
        `<label class="toggle"><input type="checkbox" id="toggle-scp"> SCP panel</label>`,
        `<a class="jump" href="#tables">tables ↓</a>`,
        legend,
        "</nav>",
        `<main class="workspace">`,
        `<section class="panel diagram-panel" aria-label="Architecture view">`,
        ...sections.map((s) => s.diagram),
        "</section>",
        `<aside class="panel side-panel" aria-label="Paths and details">`,
        `<div class="lists">${sections.map((s) => s.list).join("\n")}</div>`,
        `<div class="details" id="details"><p class="hint">Select a path (an edge, a number or a line above) to see the policy statements that decide it.</p></div>`,
        "</aside>",
        "</main>",
        scpPanel,
        `<section class="panel tables" id="tables" aria-label="Findings and access matrix">`,
        `<div class="filters">`,
        `<label>architecture <select id="f-arch">${option("", "all")}${archOptions.map((a) => option(a, architectureName(a))).join("")}</select></label>`,
        `<label>account <select id="f-account">${option("", "all")}${accounts.map((a) => option(a.stack, `${a.stack} · ${a.accountId}`)).join("")}</select></label>`,
        `<label>outcome <select id="f-outcome">${option("", "all")}${option("holds", "holds")}${option("broken", "BROKEN")}${option("allowed", "required (allowed)")}${option("denied", "forbidden (refused)")}${option("mandatory", "mandatory finding")}${option("advisory", "advisory finding")}</select></label>`,
        `<label>text <input id="f-text" type="search" placeholder="path, principal, action…"></label>`,
        `<span class="count" id="f-count"></span>`,
        "</div>",
        `<h2>Policy pack findings</h2>`,
        `<table id="findings"><thead><tr><th>stack</th><th>level</th><th>policy</th><th>resource</th><th>finding</th></tr></thead><tbody></tbody></table>`,
        `<p class="empty" id="findings-empty" hidden>No finding matches.</p>`,
        `<h2>Access matrix</h2>`,
        `<table id="matrix"><thead><tr><th>path</th><th>why</th><th>principal</th><th>action</th><th>resource</th><th>through</th><th>decided by</th><th>verdict</th></tr></thead><tbody></tbody></table>`,
        "</section>",
        `<script type="application/json" id="plan-data">${scriptJson(data)}</script>`,
        `<script>\n${asset("page.js")}\n</script>`,
        "</body>",
        "</html>",
        "",
    ].join("\n");
    return { html, views };
}
