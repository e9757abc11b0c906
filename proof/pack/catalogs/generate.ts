/**
 * Writes docs/policy-pack-catalogs.md: the pack's rules against three public catalogs (Checkov's
 * AWS checks, cdk-nag's AwsSolutions pack, parliament), from catalogs.json (extract.py) and
 * mapping.ts. The scope is computed from the tree: the resource types the program declares
 * (`new aws.<module>.<Type>` in components/, stacks/, lib/) and the types the pack's rules name
 * (policies/, lib/ of the pack). Reports, and exits 1 on, any in-scope check neither covered nor
 * left out, any check left out twice or both covered and left out, and any rule of the mapping
 * the pack does not have.
 *
 *   npx ts-node proof/pack/catalogs/generate.ts           # write the document
 *   npx ts-node proof/pack/catalogs/generate.ts --check   # exit 1 if it is out of date or the mapping incomplete
 */
import * as fs from "fs";
import * as path from "path";
import { CDK_MODULE_RENAMES, CDK_NAG_SUBJECTS, CFN_TO_PULUMI, COVERS, Coverage, LEFT_OUT, OUTSIDE_SCOPE } from "./mapping";

const ROOT = path.join(__dirname, "..", "..", "..");
const PACK = path.join(ROOT, "policypacks", "cross-account-guard");
const DOC = path.join(ROOT, "docs", "policy-pack-catalogs.md");
const MAX = 160;

interface CheckovCheck {
    readonly id: string;
    readonly name: string;
    readonly kind: "resource" | "data" | "provider" | "graph";
    /** The Terraform types the check judges (`data.` for data sources, `provider.aws` for the provider block). */
    readonly resources: readonly string[];
    /** Graph checks: every type their definition names, joined ones included. */
    readonly mentions?: readonly string[];
}
interface CdkNagRule {
    readonly id: string;
    readonly info: string;
    readonly level: string | null;
    readonly cfn: readonly string[];
}
interface ParliamentFinding {
    readonly id: string;
    readonly title: string;
    readonly description: string | null;
    readonly severity: string;
    readonly origin: "core" | "community";
}
interface Catalogs {
    readonly checkov: { readonly commit: string; readonly checks: readonly CheckovCheck[] };
    readonly cdkNag: { readonly commit: string; readonly rules: readonly CdkNagRule[] };
    readonly parliament: { readonly commit: string; readonly findings: readonly ParliamentFinding[] };
}
type CatalogName = "checkov" | "cdkNag" | "parliament";

const catalogs: Catalogs = JSON.parse(fs.readFileSync(path.join(__dirname, "catalogs.json"), "utf8"));

const tsFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
    });
const read = (file: string) => fs.readFileSync(file, "utf8");

// ---- the pack's rules, in the order policies/index.ts's allPolicies lists them

interface PackRules {
    readonly names: readonly string[];
    readonly notListed: readonly string[];
}

function packRules(): PackRules {
    const dir = path.join(PACK, "policies");
    const ruleOf = new Map<string, string>();
    const arrays = new Map<string, string[]>();
    const inFiles: string[] = [];
    const elements = (text: string) =>
        text
            .split(",")
            .map((x) => x.trim().replace(/^\.\.\./, ""))
            .filter(Boolean);
    for (const file of tsFiles(dir).filter((f) => path.basename(f) !== "index.ts")) {
        const src = read(file);
        for (const m of src.matchAll(/export const (\w+) = \w+(?:<[^(]*>)?\(\s*\{\s*name:\s*"([a-z0-9-]+)"/g)) ruleOf.set(m[1], m[2]);
        for (const m of src.matchAll(/export const (\w+)\s*=\s*\[([^\]]*)\]/g)) arrays.set(m[1], elements(m[2]));
        inFiles.push(...[...src.matchAll(/\bname:\s*"([a-z0-9-]+)"/g)].map((m) => m[1]));
    }
    const resolve = (id: string): string[] => arrays.get(id)?.flatMap(resolve) ?? (ruleOf.has(id) ? [ruleOf.get(id)!] : []);
    const listed = elements(/allPolicies\s*=\s*\[([^\]]*)\]/.exec(read(path.join(dir, "index.ts")))?.[1] ?? "").flatMap(resolve);
    return { names: [...new Set([...listed, ...inFiles])], notListed: inFiles.filter((n) => !listed.includes(n)) };
}

// ---- scope

const TOKEN = /["'`](aws:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+)["'`]/g;

/** Pulumi types the pack's rules name (policies/ and lib/ of the pack). */
function judgedTypes(): Set<string> {
    const files = [...tsFiles(path.join(PACK, "policies")), ...tsFiles(path.join(PACK, "lib"))];
    return new Set(files.flatMap((f) => [...read(f).matchAll(TOKEN)].map((m) => m[1])));
}

/** Pulumi types the program declares: `new aws.<module>.<Type>(` in its sources. */
function declaredTypes(): Set<string> {
    const files = ["components", "stacks", "lib"].flatMap((d) => tsFiles(path.join(ROOT, d))).concat(path.join(ROOT, "index.ts"));
    const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
    return new Set(
        files.flatMap((f) =>
            [...read(f).matchAll(/new aws\.([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)\(/g)].map((m) => `aws:${m[1]}/${lowerFirst(m[2])}:${m[2]}`),
        ),
    );
}

const snake = (s: string) =>
    s
        .replace(/V2$/, "")
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
        .toLowerCase();
const terraformTypes = new Set(catalogs.checkov.checks.flatMap((c) => [...c.resources, ...(c.mentions ?? [])]));
/** The Terraform name of a Pulumi type where a Checkov check names it: aws_<module>_<type>, aws_<type> (EC2 networking), or aws_<module>. */
function terraformOf(token: string): string | undefined {
    const [, module, type] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(token) ?? [];
    if (!module) return undefined;
    const m = module.toLowerCase();
    return [`aws_${m}_${snake(type)}`, `aws_${snake(type)}`, `aws_${m}`].find((t) => terraformTypes.has(t));
}
/** The Pulumi types of a CloudFormation class cdk-nag tests. */
function pulumiOf(cfn: string): readonly string[] {
    if (CFN_TO_PULUMI[cfn]) return CFN_TO_PULUMI[cfn];
    const m = /^aws-([a-z0-9]+)\.Cfn(\w+)$/.exec(cfn);
    if (!m) return [];
    return [`aws:${CDK_MODULE_RENAMES[m[1]] ?? m[1]}/${m[2].charAt(0).toLowerCase()}${m[2].slice(1)}:${m[2]}`];
}

// ---- the document

interface Entry {
    readonly catalog: CatalogName;
    readonly title: string;
}

export interface Counts {
    readonly all: number;
    readonly full: number;
    readonly partly: number;
    readonly leftOut: number;
    readonly notYet: number;
}

export interface Generated {
    readonly text: string;
    readonly counts: Readonly<Record<CatalogName, Counts>>;
    readonly problems: readonly string[];
}

export function generate(): Generated {
    const { names: rules, notListed } = packRules();
    const judged = judgedTypes();
    const declared = declaredTypes();
    const providerJudged = tsFiles(path.join(PACK, "policies")).some((f) => read(f).includes('"pulumi:providers:aws"'));
    const tokens = [...new Set([...declared, ...judged])].sort();
    const tokenScope = new Set(tokens);
    const terraformScope = new Set([
        ...tokens.map(terraformOf).filter((t): t is string => t !== undefined),
        "data.aws_iam_policy_document",
        ...(providerJudged ? ["provider.aws"] : []),
    ]);

    // A rule that reads every resource type (secrets-no-plaintext) brings the checks it covers into scope, not their types.
    const inScope = new Map<string, Entry>([
        ...catalogs.checkov.checks
            .filter((c) => c.resources.some((r) => terraformScope.has(r)) || COVERS[c.id])
            .map((c): [string, Entry] => [c.id, { catalog: "checkov", title: c.name }]),
        ...catalogs.cdkNag.rules
            .filter((r) => (CDK_NAG_SUBJECTS[r.id] ?? r.cfn).some((c) => pulumiOf(c).some((t) => tokenScope.has(t))) || COVERS[r.id])
            .map((r): [string, Entry] => [r.id, { catalog: "cdkNag", title: r.info }]),
        ...catalogs.parliament.findings.map((f): [string, Entry] => [
            f.id,
            { catalog: "parliament", title: f.title.replace(/[.\s]+$/, "") + (f.description ? `: ${f.description}` : "") },
        ]),
    ]);
    const everyId = new Set([
        ...catalogs.checkov.checks.map((c) => c.id),
        ...catalogs.cdkNag.rules.map((r) => r.id),
        ...catalogs.parliament.findings.map((f) => f.id),
    ]);

    // ---- consistency
    const problems: string[] = notListed.map((n) => `rule ${n} is not in allPolicies (policies/index.ts)`);
    const ruleSet = new Set(rules);
    for (const [id, list] of Object.entries(COVERS)) {
        if (!everyId.has(id)) problems.push(`COVERS: ${id} is in no catalog`);
        for (const c of list) if (!ruleSet.has(c.rule)) problems.push(`COVERS: ${id} names ${c.rule}, not a rule of the pack`);
    }
    const leftGroup = new Map<string, string>();
    for (const g of LEFT_OUT)
        for (const id of Object.keys(g.ids)) {
            if (leftGroup.has(id)) problems.push(`LEFT_OUT: ${id} is in two groups`);
            if (COVERS[id]) problems.push(`LEFT_OUT: ${id} is also covered`);
            if (!everyId.has(id)) problems.push(`LEFT_OUT: ${id} is in no catalog`);
            else if (!inScope.has(id)) problems.push(`LEFT_OUT: ${id} is out of scope (its types are neither declared nor judged)`);
            leftGroup.set(id, g.group);
        }
    for (const id of Object.keys(OUTSIDE_SCOPE)) {
        if (!everyId.has(id)) problems.push(`OUTSIDE_SCOPE: ${id} is in no catalog`);
        else if (inScope.has(id)) problems.push(`OUTSIDE_SCOPE: ${id} is in scope now: cover it or leave it out`);
    }
    const unmapped = [...inScope.keys()].filter((id) => !COVERS[id] && !leftGroup.has(id));
    for (const id of unmapped) problems.push(`unmapped: ${id} ${inScope.get(id)!.title}`);
    const silent = rules.filter((r) => !Object.values(COVERS).some((l) => l.some((c) => c.rule === r)));

    // ---- rendering helpers
    const code = (s: string) => "`" + s + "`";
    const rank = (x: string) => (/^CKV_/.test(x) ? 0 : /^CKV2_/.test(x) ? 1 : /^AwsSolutions-/.test(x) ? 2 : 3);
    const num = (x: string) => Number(/(\d+)$/.exec(x)?.[1] ?? 0);
    const stem = (x: string) => x.replace(/\d+$/, "");
    const sortIds = (ids: Iterable<string>) =>
        [...ids].sort((a, b) => rank(a) - rank(b) || stem(a).localeCompare(stem(b)) || num(a) - num(b) || a.localeCompare(b));
    /** Text wrapped at MAX characters; list items continue with a two-space indent. */
    const wrap = (text: string) => {
        const indent = text.startsWith("- ") ? "  " : "";
        const lines: string[] = [];
        let line = "";
        for (const word of text.split(" ")) {
            if (line && (line + " " + word).length > MAX) {
                lines.push(line);
                line = indent + word;
            } else line = line ? line + " " + word : word;
        }
        return [...lines, line].join("\n");
    };
    /** A catalog title without its final period, cut at n characters. */
    const short = (s: string, n = 90) => {
        const t = s.replace(/[.\s]+$/, "");
        return t.length > n ? t.slice(0, n - 1).trimEnd() + "…" : t;
    };
    /** Table rows whose cells are lists, continued on further rows so that no line exceeds MAX characters. */
    const tableRows = (lead: string, lists: string[][]) => {
        const rows: string[] = [];
        const queues = lists.map((l) => [...l]);
        // Each column gets the width it needs up to an even share; what the short ones leave goes to the long ones.
        const available = MAX - lead.length - 4 - 3 * lists.length;
        const needs = lists.map((l) => l.join(", ").length + 1);
        const widths = needs.map((n) => Math.min(n, Math.floor(available / lists.length)));
        let spare = available - widths.reduce((a, b) => a + b, 0);
        for (let i = 0; i < widths.length; i++) {
            const extra = Math.min(spare, needs[i] - widths[i]);
            widths[i] += extra;
            spare -= extra;
        }
        let first = lead;
        while (rows.length === 0 || queues.some((q) => q.length > 0)) {
            const cells = queues.map((q, i) => {
                const taken: string[] = [];
                while (q.length > 0 && [...taken, q[0]].join(", ").length + 1 <= widths[i]) taken.push(q.shift()!);
                if (taken.length === 0 && q.length > 0) taken.push(q.shift()!);
                return taken.join(", ") + (q.length > 0 ? "," : "");
            });
            rows.push(`| ${first} | ${cells.join(" | ")} |`);
            first = "";
        }
        return rows;
    };
    const C = catalogs.checkov.commit,
        K = catalogs.cdkNag.commit,
        P = catalogs.parliament.commit;
    const blob = (repo: string, commit: string, p: string) => `https://github.com/${repo}/blob/${commit}/${p}`;
    const tree = (repo: string, commit: string, p: string) => `https://github.com/${repo}/tree/${commit}/${p}`;

    const out: string[] = [];
    const push = (...lines: string[]) => out.push(...lines);

    push(
        "# Policy pack against the public catalogs",
        "",
        wrap(
            "Which checks of three public catalogs that encode this threat model the [policy pack](policy-pack.md) covers, and which it " +
                "leaves out and why, for the resource types these stacks declare and the pack judges. Generated by " +
                "`proof/pack/catalogs/generate.ts` from the catalogs at the commits below (`catalogs.json`, extracted by `extract.py` " +
                "next to it) and the mapping in `mapping.ts`; regenerate when a rule changes, `--check` says whether this file is current. " +
                "What the pack, parliament and Pulumi's awsguard report on the same threat-model cases: [policy pack peers](policy-pack-peers.md).",
        ),
        "",
        "Sources, each read with git at one commit:",
        "",
        `- Checkov, commit ${code(C)}: the AWS checks in [resource/aws][ck-resource], [graph_checks/aws][ck-graph],`,
        "  [data/aws][ck-data] and [provider/aws][ck-provider] (id, name, supported resource types).",
        `- cdk-nag, commit ${code(K)}: the AwsSolutions pack, [src/packs/aws-solutions.ts][nag-pack] (id, info, level),`,
        "  and for each rule the CloudFormation classes its file under [src/rules][nag-rules] tests.",
        `- parliament, commit ${code(P)}: the findings of [parliament/config.yaml][parl-config] and of the`,
        "  community auditors (their [config_override.yaml and modules][parl-community]).",
        "",
        `[ck-resource]: ${tree("bridgecrewio/checkov", C, "checkov/terraform/checks/resource/aws")}`,
        `[ck-graph]: ${tree("bridgecrewio/checkov", C, "checkov/terraform/checks/graph_checks/aws")}`,
        `[ck-data]: ${tree("bridgecrewio/checkov", C, "checkov/terraform/checks/data/aws")}`,
        `[ck-provider]: ${tree("bridgecrewio/checkov", C, "checkov/terraform/checks/provider/aws")}`,
        `[nag-pack]: ${blob("cdklabs/cdk-nag", K, "src/packs/aws-solutions.ts")}`,
        `[nag-rules]: ${tree("cdklabs/cdk-nag", K, "src/rules")}`,
        `[parl-config]: ${blob("duo-labs/parliament", P, "parliament/config.yaml")}`,
        `[parl-community]: ${tree("duo-labs/parliament", P, "parliament/community_auditors")}`,
        "",
        "## Scope",
        "",
        wrap(
            `A catalog check is in scope when it judges one of these resource types: every type the program declares (${declared.size}) ` +
                `and every type a rule of the pack names (${judged.size}), ${tokens.length} in all. Checkov's Terraform names follow ` +
                "mechanically (`aws:s3/bucketPolicy:BucketPolicy` is `aws_s3_bucket_policy`; EC2 networking drops the module: " +
                "`aws:ec2/vpc:Vpc` is `aws_vpc`); a graph check counts by the type it filters on, not the types it joins. cdk-nag judges " +
                "CloudFormation resources, where one `AWS::S3::Bucket` holds what Pulumi splits into a bucket and its settings resources. " +
                "Checkov's checks of `aws_iam_policy_document` are in scope: the document it renders is what the pack reads in every " +
                "policy input. Every parliament finding is in scope: each judges any policy document. Rules that read every resource " +
                "type (`secrets-no-plaintext`, `policy-no-allow-with-not`, `data-perimeter-accounts`) bring into scope the checks they " +
                "cover, not every check of every type.",
        ),
        "",
        "| Pulumi type | Terraform (where a Checkov check names it) | Declared | Judged |",
        "| --- | --- | --- | --- |",
        ...tokens.map((t) => {
            const tf = terraformOf(t);
            return `| ${code(t)} | ${tf ? code(tf) : "—"} | ${declared.has(t) ? "yes" : ""} | ${judged.has(t) ? "yes" : ""} |`;
        }),
        ...(providerJudged ? ["| `pulumi:providers:aws` | the `aws` provider block |  | yes |"] : []),
        "",
    );

    // (a) rules -> checks
    push(
        "## Rules and the catalog checks they cover",
        "",
        wrap(
            "Each rule of the pack, in the pack's order, and the in-scope checks it covers; `(p)` marks a check the rule covers only " +
                "in part (what it leaves is listed below the table). cdk-nag IDs drop their `AwsSolutions-` prefix.",
        ),
        "",
        "| Rule | Checkov | cdk-nag AwsSolutions | parliament |",
        "| --- | --- | --- | --- |",
    );
    const catalogOf = (id: string): CatalogName => (/^CKV/.test(id) ? "checkov" : /^AwsSolutions-/.test(id) ? "cdkNag" : "parliament");
    for (const rule of rules) {
        const mine = (catalog: CatalogName) =>
            sortIds(Object.keys(COVERS).filter((id) => catalogOf(id) === catalog && COVERS[id].some((c) => c.rule === rule))).map(
                (id) => id.replace("AwsSolutions-", "") + (COVERS[id].find((c) => c.rule === rule)!.extent === "partly" ? " (p)" : ""),
            );
        const lists = [mine("checkov"), mine("cdkNag"), mine("parliament")];
        if (lists.every((l) => l.length === 0)) lists[0] = ["—"];
        push(...tableRows(code(rule), lists));
    }
    push("");
    const partial = sortIds(Object.keys(COVERS).filter((id) => COVERS[id].some((c) => c.extent === "partly")));
    push("What the partial coverage leaves:", "");
    for (const id of partial) {
        const parts = COVERS[id].filter((c: Coverage) => c.extent === "partly");
        const leaves = [...new Set(parts.map((c) => c.leaves).filter((x) => x && x !== "as above"))].join("; ");
        push(wrap(`- ${code(id)} (${parts.map((c) => code(c.rule)).join(", ")}): ${leaves}.`));
    }
    push("");
    if (silent.length > 0) push(wrap(`Rules no catalog check matches (the pack's own threat model): ${silent.map(code).join(", ")}.`), "");

    // (b) left out, then not covered yet
    /** A list item: the check, its title and the note; a title cut short ends with its ellipsis, not a period. */
    const listed = (id: string, title: string, note: string) => {
        const t = short(title);
        return wrap(`- ${code(id)} ${t}${note ? ` — ${note}.` : t.endsWith("…") ? "" : "."}`);
    };
    const item = (id: string, note: string) => listed(id, inScope.get(id)?.title ?? id, note);
    push(
        "## Catalog checks left out, and why",
        "",
        wrap("In-scope checks no rule covers, by design, grouped by the reason. Titles are the catalogs' own, shortened."),
        "",
    );
    const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1) + ".";
    for (const g of LEFT_OUT.filter((x) => !x.notYet)) {
        const ids = sortIds(Object.keys(g.ids).filter((id) => inScope.has(id)));
        if (ids.length === 0) continue;
        push(`### ${g.group}`, "", wrap(sentence(g.why)), "", ...ids.map((id) => item(id, g.ids[id])), "");
    }
    for (const g of LEFT_OUT.filter((x) => x.notYet)) {
        const ids = sortIds(Object.keys(g.ids).filter((id) => inScope.has(id)));
        push(`## ${g.group}`, "", wrap(sentence(g.why)), "", ...ids.map((id) => item(id, g.ids[id])), "");
    }
    const titleOf = new Map([
        ...catalogs.checkov.checks.map((c): [string, string] => [c.id, c.name]),
        ...catalogs.cdkNag.rules.map((r): [string, string] => [r.id, r.info]),
    ]);
    push(
        "## Outside the scope",
        "",
        wrap(
            "Checks of types these stacks neither declare nor have a rule for, which a regulated ML platform would expect next to them " +
                "(account-wide detection, other compute): candidates for the pack or for the organization's own baseline, not counted below.",
        ),
        "",
        ...sortIds(Object.keys(OUTSIDE_SCOPE)).map((id) => listed(id, titleOf.get(id) ?? id, OUTSIDE_SCOPE[id])),
        "",
    );
    if (unmapped.length > 0)
        push(
            "## Not mapped yet",
            "",
            wrap("In scope, but neither covered nor left out in mapping.ts yet:"),
            "",
            ...sortIds(unmapped).map((id) => item(id, "")),
            "",
        );

    // (c) counts
    const notYet = new Set(LEFT_OUT.filter((g) => g.notYet).flatMap((g) => Object.keys(g.ids)));
    const count = (catalog: CatalogName): Counts => {
        const ids = [...inScope].filter(([, e]) => e.catalog === catalog).map(([id]) => id);
        return {
            all: ids.length,
            full: ids.filter((id) => COVERS[id]?.some((c) => c.extent === "full")).length,
            partly: ids.filter((id) => COVERS[id] && !COVERS[id].some((c) => c.extent === "full")).length,
            leftOut: ids.filter((id) => !COVERS[id] && !notYet.has(id) && leftGroup.has(id)).length,
            notYet: ids.filter((id) => !COVERS[id] && (notYet.has(id) || !leftGroup.has(id))).length,
        };
    };
    const counts = { checkov: count("checkov"), cdkNag: count("cdkNag"), parliament: count("parliament") };
    const sizes = {
        checkov: catalogs.checkov.checks.length,
        cdkNag: catalogs.cdkNag.rules.length,
        parliament: catalogs.parliament.findings.length,
    };
    const label: Record<CatalogName, string> = { checkov: "Checkov", cdkNag: "cdk-nag AwsSolutions", parliament: "parliament" };
    push(
        "## Counts",
        "",
        "| Catalog | Checks in catalog | In scope | Covered fully | Covered partly | Left out by design | Not covered yet |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...(Object.keys(counts) as CatalogName[]).map((k) => {
            const c = counts[k];
            return `| ${label[k]} | ${sizes[k]} | ${c.all} | ${c.full} | ${c.partly} | ${c.leftOut} | ${c.notYet} |`;
        }),
        "",
        wrap(
            `Checkov's ${sizes.checkov} are its AWS resource, graph, data and provider checks at the commit above. A check covered in part ` +
                "by one rule and fully by another counts as covered fully." +
                (unmapped.length > 0 ? " Checks not mapped yet count as not covered yet." : ""),
        ),
    );

    const text = out.join("\n") + "\n";
    for (const line of text.split("\n")) if (line.length > MAX) problems.push(`line over ${MAX} characters: ${line.slice(0, 60)}…`);
    return { text, counts, problems };
}

if (require.main === module) {
    const { text, counts, problems } = generate();
    const check = process.argv.includes("--check");
    const current = fs.existsSync(DOC) ? read(DOC) : "";
    if (!check) fs.writeFileSync(DOC, text);
    for (const [name, c] of Object.entries(counts))
        console.log(`${name}: ${c.all} in scope, ${c.full} covered, ${c.partly} in part, ${c.leftOut} left out, ${c.notYet} not yet`);
    for (const p of problems) console.error(p);
    if (check && current !== text) console.error(`${path.relative(ROOT, DOC)} is out of date: run proof/pack/catalogs/generate.ts`);
    process.exit(problems.length > 0 || (check && current !== text) ? 1 : 0);
}
