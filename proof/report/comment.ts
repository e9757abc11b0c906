/**
 * `summary.md`: the plan for a pull-request comment, rendered from the plan as data
 * (proof/report/snapshot.ts), as `plan.md` is from the plan's result: PASS or FAIL first, then the
 * key figures, then, given a previous plan, what changed (proof/report/diff.ts), then the stacks
 * and the policy pack's findings. Never longer than {@link SUMMARY_CAP} characters (GitHub refuses
 * a comment over 65,536): each list shows its first items, then the earlier (more important)
 * lists the rest as room allows; each cut says how many items it left out and where they are.
 */
import { PlanDiff, diffPlans, hasChanges } from "./diff";
import { KeyFigures, PlanSnapshot, SnapshotFinding, SnapshotPath, SnapshotResource } from "./snapshot";
import { architectureName } from "./names";
import { cell } from "./summary";

export const SUMMARY_FILE = "summary.md";
/** Under GitHub's 65,536 characters per comment, with room for what a workflow adds around it. */
export const SUMMARY_CAP = 60_000;
/** How many items of each list are shown before any list gets more. */
const FIRST_SHOWN = 10;
/** No one line may take the room of many: a longer item is cut, saying so. */
const MAX_ITEM = 1_000;

/** A part of the summary: lines always shown, then items shown as room allows, then lines after. */
export interface Block {
    readonly head: readonly string[];
    readonly items?: readonly string[];
    /** What the items are, plural ("paths opened"), for the line that says how many were left out. */
    readonly what?: string;
    readonly tail?: readonly string[];
}

export interface SummaryOptions {
    /** The previous plan to show the changes since. */
    readonly base?: PlanSnapshot;
    /** How the summary names the base (default: "the base plan"). */
    readonly baseLabel?: string;
    readonly cap?: number;
}

const leftOutLine = (n: number, what: string) =>
    `_… ${n.toLocaleString("en-US")} more ${what} left out to keep this summary under ${SUMMARY_CAP.toLocaleString("en-US")} characters: every one is in \`plan.md\` and \`plan.json\` beside it._`;

const clip = (line: string) =>
    line.length <= MAX_ITEM
        ? line
        : `${line.slice(0, MAX_ITEM)}… (${(line.length - MAX_ITEM).toLocaleString("en-US")} characters left out)`;

function render(blocks: readonly Block[], shown: readonly number[]): string {
    return blocks
        .flatMap((b, i) => {
            const items = b.items ?? [];
            const left = items.length - shown[i];
            return [
                ...b.head,
                ...items.slice(0, shown[i]),
                ...(left > 0 ? ["", leftOutLine(left, b.what ?? "lines")] : []),
                ...(b.tail ?? []),
            ];
        })
        .join("\n");
}

/**
 * The blocks as one text of at most `cap` characters: every block's head and tail, and as many of
 * its items as fit, earlier blocks first. Should the heads and tails alone not fit, the text is cut
 * at a line, saying how much was left out.
 */
export function fitBlocks(input: readonly Block[], cap: number): string {
    const blocks = input.map((b) => ({ ...b, items: b.items?.map(clip) }));
    const all = blocks.map((b) => b.items?.length ?? 0);
    const full = render(blocks, all);
    if (full.length <= cap) return full;
    const length = (lines: readonly string[]) => lines.reduce((sum, l) => sum + l.length + 1, 0);
    // What is shown whatever happens, and room for every block's left-out line.
    const fixed = blocks.reduce(
        (sum, b) =>
            sum +
            length(b.head) +
            length(b.tail ?? []) +
            (b.items?.length ? length(["", leftOutLine(b.items.length, b.what ?? "lines")]) : 0),
        0,
    );
    let room = cap - fixed;
    const shown = blocks.map(() => 0);
    /** Shows items of each block, in order, up to `upTo` each; false once one did not fit. */
    const fill = (upTo: number) =>
        blocks.every((b, i) => {
            const items = b.items ?? [];
            while (shown[i] < Math.min(items.length, upTo)) {
                const cost = items[shown[i]].length + 1;
                if (cost > room) return false;
                room -= cost;
                shown[i]++;
            }
            return true;
        });
    // First a few of every list, so none is left out whole for an earlier long one; then the rest
    // in order, earlier blocks first, until one is cut.
    if (fill(FIRST_SHOWN)) fill(Infinity);
    const text = render(blocks, shown);
    if (text.length <= cap) return text;
    const note = (n: number) =>
        `\n\n_… truncated: ${n.toLocaleString("en-US")} more characters left out to keep this summary under ${SUMMARY_CAP.toLocaleString("en-US")} characters; \`plan.md\` beside it has everything._`;
    const cut = text.lastIndexOf("\n", cap - note(text.length).length);
    const kept = text.slice(0, Math.max(cut, 0));
    return `${kept}${note(text.length - kept.length)}`;
}

const n = (value: number) => value.toLocaleString("en-US");

function figuresLine(f: KeyFigures): string {
    return (
        `**${n(f.stacks.planned)} of ${n(f.stacks.total)} stacks planned · ` +
        `${n(f.required.allowed)} of ${n(f.required.total)} required paths allowed · ` +
        `${n(f.forbidden.refused)} of ${n(f.forbidden.total)} forbidden paths refused · ` +
        `${n(f.findings.mandatory)} mandatory and ${n(f.findings.advisory)} advisory policy pack findings · ` +
        `${n(f.resources)} resources declared` +
        `${f.problems > 0 ? ` · ${n(f.problems)} problem(s)` : ""}**`
    );
}

function figuresTable(base: PlanSnapshot, head: PlanSnapshot): string[] {
    const row = (what: string, b: string, h: string) => `| ${what} | ${b} | ${h}${b === h ? "" : " ⬅"} |`;
    const of = (a: number, b: number) => `${n(a)} of ${n(b)}`;
    const [fb, fh] = [base.figures, head.figures];
    return [
        "| | base | this plan |",
        "|---|---|---|",
        row("verdict", base.verdict, head.verdict),
        row("stacks planned", of(fb.stacks.planned, fb.stacks.total), of(fh.stacks.planned, fh.stacks.total)),
        row("required paths allowed", of(fb.required.allowed, fb.required.total), of(fh.required.allowed, fh.required.total)),
        row("forbidden paths refused", of(fb.forbidden.refused, fb.forbidden.total), of(fh.forbidden.refused, fh.forbidden.total)),
        row("mandatory findings", n(fb.findings.mandatory), n(fh.findings.mandatory)),
        row("advisory findings", n(fb.findings.advisory), n(fh.findings.advisory)),
        row("resources declared", n(fb.resources), n(fh.resources)),
    ];
}

const PATH_HEADER = ["| path | architecture | why | who | action | on | must be | now |", "|---|---|---|---|---|---|---|---|"];
const pathRow = (p: SnapshotPath) =>
    `| ${cell(p.id)} | ${cell(architectureName(p.architecture))} | ${cell(p.why)} | \`${cell(p.principalName)}\` | ${cell(p.action)} | \`${cell(p.resourceName)}\` | ${p.expect === "allowed" ? "allowed (required)" : "refused (forbidden)"} | ${p.allowed ? "allowed" : "refused"}${p.holds ? " ✅" : " ❌ **BROKEN**"}: ${cell(p.decidedBy)} |`;

const FINDING_HEADER = ["| stack | level | policy | resource | finding |", "|---|---|---|---|---|"];
const findingRow = (f: SnapshotFinding) =>
    `| ${cell(f.stack)} | ${f.level === "mandatory" ? "**mandatory**" : cell(f.level)} | ${cell(f.policy)} | ${cell(f.urn.split("::").pop() || "the stack")} | ${cell(f.message)} |`;

const RESOURCE_HEADER = ["| stack | resource | type | |", "|---|---|---|---|"];
const resourceRow = (r: SnapshotResource, note: string) =>
    `| ${cell(r.stack)} | ${cell(r.name)} | \`${cell(r.type)}\` | ${cell(`${note}${r.protect ? " (protected)" : ""}`)} |`;
const inputsOf = (inputs: readonly string[]) => inputs.map((i) => `\`${i}\``).join(", ");

/** A section of changes, or nothing when there are none. */
function listBlock(title: string, what: string, header: readonly string[], rows: readonly string[]): Block[] {
    return rows.length === 0 ? [] : [{ head: [`#### ${title} (${n(rows.length)})`, "", ...header], items: rows, what, tail: [""] }];
}

function changeBlocks(diff: PlanDiff, label: string): Block[] {
    if (!hasChanges(diff))
        return [
            {
                head: [
                    `### Changes since ${label}`,
                    "",
                    "Nothing changed: the same paths decided the same way, the same findings, stacks and resources.",
                    "",
                ],
            },
        ];
    const counts = [
        ...(diff.problemsNew.length + diff.problemsGone.length > 0
            ? [`${n(diff.problemsNew.length)} problem(s) new, ${n(diff.problemsGone.length)} gone`]
            : []),
        `${n(diff.pathsOpened.length)} path(s) opened, ${n(diff.pathsClosed.length)} closed, ${n(diff.pathsAdded.length)} new, ${n(diff.pathsGone.length)} gone`,
        `${n(diff.findingsNew.length)} finding(s) new, ${n(diff.findingsGone.length)} gone`,
        `${n(diff.resourcesAdded.length)} resource(s) added, ${n(diff.resourcesReplaced.length)} replaced, ${n(diff.resourcesRemoved.length)} removed, ${n(diff.resourcesUpdated.length)} updated`,
    ].join(" · ");
    // Broken paths first within each list: they are what makes the plan fail.
    const brokenFirst = (paths: readonly SnapshotPath[]) => [...paths].sort((a, b) => Number(a.holds) - Number(b.holds));
    return [
        {
            head: [
                `### Changes since ${label}`,
                "",
                counts,
                "",
                ...(diff.verdict.base !== diff.verdict.head
                    ? [`The verdict went from ${diff.verdict.base} to **${diff.verdict.head}**.`, ""]
                    : []),
            ],
        },
        ...listBlock("Paths opened (refused before, allowed now)", "paths opened", PATH_HEADER, brokenFirst(diff.pathsOpened).map(pathRow)),
        ...listBlock("Paths closed (allowed before, refused now)", "paths closed", PATH_HEADER, brokenFirst(diff.pathsClosed).map(pathRow)),
        ...listBlock("Policy pack findings, new", "new findings", FINDING_HEADER, diff.findingsNew.map(findingRow)),
        ...listBlock("Policy pack findings, gone", "findings gone", FINDING_HEADER, diff.findingsGone.map(findingRow)),
        ...listBlock(
            "Stacks whose status changed",
            "stacks",
            ["| stack | base | this plan |", "|---|---|---|"],
            diff.stacksChanged.map(
                ({ stack, base, head }) =>
                    `| ${cell(stack)} | ${base?.status ?? "—"} | ${cell(head ? `${head.status}${head.reason ? `: ${head.reason}` : ""}` : "—")} |`,
            ),
        ),
        ...listBlock(
            "Resources replaced (deleted and created again)",
            "resources replaced",
            RESOURCE_HEADER,
            diff.resourcesReplaced.map((c) => resourceRow(c.resource, `replaced: ${inputsOf(c.inputs)} changed`)),
        ),
        ...listBlock(
            "Resources added",
            "resources added",
            RESOURCE_HEADER,
            diff.resourcesAdded.map((r) => resourceRow(r, "added")),
        ),
        ...listBlock(
            "Resources removed",
            "resources removed",
            RESOURCE_HEADER,
            diff.resourcesRemoved.map((r) => resourceRow(r, "removed")),
        ),
        ...listBlock("New paths", "new paths", PATH_HEADER, brokenFirst(diff.pathsAdded).map(pathRow)),
        ...listBlock("Paths gone", "paths gone", PATH_HEADER, diff.pathsGone.map(pathRow)),
        ...listBlock(
            "Resources updated in place",
            "resources updated",
            RESOURCE_HEADER,
            diff.resourcesUpdated.map((c) => resourceRow(c.resource, `updated: ${inputsOf(c.inputs)}`)),
        ),
        ...listBlock(
            "Problems gone",
            "problems gone",
            [],
            diff.problemsGone.map((p) => `- ${p}`),
        ),
    ];
}

/** The summary of `head`, with the changes since `options.base` when given. */
export function summaryMarkdown(head: PlanSnapshot, options: SummaryOptions = {}): string {
    const label = options.baseLabel ?? "the base plan";
    const pass = head.verdict === "PASS";
    const mandatoryFirst = [...head.findings].sort((a, b) => Number(b.level === "mandatory") - Number(a.level === "mandatory"));
    const blocks: Block[] = [
        {
            head: [
                `## Offline plan: ${pass ? "✅ PASS" : "❌ FAIL"}`,
                "",
                figuresLine(head.figures),
                "",
                ...(options.base ? [...figuresTable(options.base, head), ""] : []),
            ],
        },
        ...(pass
            ? []
            : [
                  {
                      head: [`### Problems (${n(head.problems.length)})`, ""],
                      // The changes count the new ones; the list marks them rather than repeat them.
                      items: head.problems.map((p) => `- ${p}${options.base && !options.base.problems.includes(p) ? " _(new)_" : ""}`),
                      what: "problems",
                      tail: [""],
                  },
              ]),
        ...(options.base
            ? changeBlocks(diffPlans(options.base, head), label)
            : [
                  {
                      head: [
                          "_No base plan given: `npm run plan -- --base <dir>`, with the folder a previous run wrote, adds what changed since (paths opened or closed, findings new or gone, resources added or replaced)._",
                          "",
                      ],
                  },
              ]),
        {
            head: ["### Stacks", "", "| stack | account | status | resources | mandatory | advisory |", "|---|---|---|---|---|---|"],
            items: head.stacks.map(
                (s) =>
                    `| ${cell(s.stack)} | ${s.accountId ?? ""} | ${cell(s.status + (s.reason ? `: ${s.reason}` : ""))} | ${s.resources} | ${s.mandatory} | ${s.advisory} |`,
            ),
            what: "stacks",
            tail: [""],
        },
        head.findings.length === 0
            ? { head: ["### Policy pack findings", "", "No findings on any planned stack.", ""] }
            : {
                  head: ["### Policy pack findings", "", ...FINDING_HEADER],
                  items: mandatoryFirst.map(findingRow),
                  what: "findings",
                  tail: [""],
              },
        {
            head: [
                "Every path, its deciding policy and every stack's resources: `plan.md` beside this file (and `access.svg`, `plan.json`).",
            ],
        },
    ];
    // The file's last newline counts too.
    return `${fitBlocks(blocks, (options.cap ?? SUMMARY_CAP) - 1)}\n`;
}
