/**
 * The plan as data (`plan.json`): the verdict, the key figures, every stack, access path, policy
 * pack finding and declared resource, read from the same plan result `plan.md` is rendered from.
 * `summary.md` is rendered from it, and from a previous run's `plan.json` the changes since
 * (`npm run plan -- --base <dir>`; proof/report/diff.ts). Resource inputs are kept as digests, one
 * per input: enough to tell an update from a replacement, and no value of a stack file (secrets
 * included) is copied out.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ReportInput, decidedBy, inventoryOf } from "./model";
import { shortName } from "./names";

/** The format of `plan.json`; a reader refuses another. */
export const PLAN_FORMAT = "cross-account-models/plan/v1";
export const PLAN_JSON = "plan.json";

export interface KeyFigures {
    readonly stacks: { readonly planned: number; readonly total: number };
    readonly required: { readonly allowed: number; readonly total: number };
    readonly forbidden: { readonly refused: number; readonly total: number };
    readonly findings: { readonly mandatory: number; readonly advisory: number };
    readonly resources: number;
    readonly problems: number;
}

export interface SnapshotStack {
    readonly stack: string;
    readonly accountId?: string;
    readonly region?: string;
    readonly status: string;
    readonly reason?: string;
    readonly resources: number;
    readonly mandatory: number;
    readonly advisory: number;
}

export interface SnapshotPath {
    /** Positional: the n-th path of its architecture for its stack; {@link pathKey} tells paths apart across plans. */
    readonly id: string;
    readonly architecture: string;
    readonly stack: string;
    readonly expect: "allowed" | "denied";
    readonly allowed: boolean;
    readonly holds: boolean;
    readonly why: string;
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    /** The principal and resource as the report names them (a role's name, a key's alias). */
    readonly principalName: string;
    readonly resourceName: string;
    readonly endpointId?: string;
    /** The request's context keys, sorted; absent when none. */
    readonly context?: Readonly<Record<string, string | string[]>>;
    /** The policy that decides it, in the report's words. */
    readonly decidedBy: string;
}

export interface SnapshotFinding {
    readonly stack: string;
    readonly level: string;
    readonly policy: string;
    readonly urn: string;
    readonly message: string;
}

export interface SnapshotResource {
    readonly stack: string;
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly protect: boolean;
    /** Each input by name, as a digest of its value. */
    readonly inputs: Readonly<Record<string, string>>;
}

export interface PlanSnapshot {
    readonly format: typeof PLAN_FORMAT;
    readonly verdict: "PASS" | "FAIL";
    readonly problems: readonly string[];
    readonly figures: KeyFigures;
    readonly stacks: readonly SnapshotStack[];
    readonly paths: readonly SnapshotPath[];
    readonly findings: readonly SnapshotFinding[];
    readonly resources: readonly SnapshotResource[];
}

/** The figures the report's headline and the summary both give. */
export function keyFigures(input: Pick<ReportInput, "stacks" | "access" | "problems">, resources: number): KeyFigures {
    const required = input.access.filter((r) => r.path.expect === "allowed");
    const forbidden = input.access.filter((r) => r.path.expect === "denied");
    const findings = input.stacks.flatMap((s) => s.diagnostics);
    const mandatory = findings.filter((d) => d.enforcementLevel === "mandatory").length;
    return {
        stacks: { planned: input.stacks.filter((s) => s.status === "planned").length, total: input.stacks.length },
        required: { allowed: required.filter((r) => r.holds).length, total: required.length },
        forbidden: { refused: forbidden.filter((r) => r.holds).length, total: forbidden.length },
        findings: { mandatory, advisory: findings.length - mandatory },
        resources,
        problems: input.problems.length,
    };
}

const digest = (value: unknown) =>
    createHash("sha256")
        .update(JSON.stringify(value ?? null))
        .digest("hex")
        .slice(0, 16);

/** Context keys in a fixed order, so the same request gives the same key. */
const sorted = (context: Readonly<Record<string, string | string[]>>) =>
    Object.fromEntries(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Who does what on which resource, through where, expecting what: the same request whatever its
 * id (positional) or wording.
 */
export function pathKey(p: SnapshotPath): string {
    return [p.stack, p.architecture, p.expect, p.principal, p.action, p.resource, p.endpointId ?? "", JSON.stringify(p.context ?? {})].join(
        "|",
    );
}

function snapshotPaths(input: ReportInput): SnapshotPath[] {
    const inventory = inventoryOf(input);
    return input.access.map((r) => {
        return {
            id: r.path.id,
            architecture: r.path.architecture,
            stack: r.path.stack,
            expect: r.path.expect,
            allowed: r.decision.allowed,
            holds: r.holds,
            why: r.path.why,
            principal: r.path.principal,
            action: r.path.action,
            resource: r.path.resource,
            principalName: shortName(r.path.principal, input.keyAliases),
            resourceName: shortName(r.path.resource, input.keyAliases),
            ...(r.path.endpointId ? { endpointId: r.path.endpointId } : {}),
            ...(Object.keys(r.path.context).length > 0 ? { context: sorted(r.path.context) } : {}),
            decidedBy: decidedBy(r, inventory),
        };
    });
}

/**
 * The plan as data. `problems` are the run's own (the command adds a planned promotion's to the
 * plan's); the verdict follows them.
 */
export function planSnapshot(input: ReportInput, problems: readonly string[] = input.problems): PlanSnapshot {
    const resources = input.stacks.flatMap((s) => {
        const run = input.env.runs.get(s.stack);
        return s.status !== "planned" || !run
            ? []
            : run.resources.map((r) => ({
                  stack: s.stack,
                  urn: r.urn,
                  type: r.type,
                  name: r.name,
                  protect: r.protect,
                  inputs: Object.fromEntries(
                      Object.entries(r.inputs)
                          .filter(([, v]) => v !== undefined)
                          .sort(([a], [b]) => a.localeCompare(b))
                          .map(([k, v]) => [k, digest(v)]),
                  ),
              }));
    });
    return {
        format: PLAN_FORMAT,
        verdict: problems.length === 0 ? "PASS" : "FAIL",
        problems: [...problems],
        figures: keyFigures({ ...input, problems }, resources.length),
        stacks: input.stacks.map((s) => {
            const mandatory = s.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
            return {
                stack: s.stack,
                ...(s.accountId ? { accountId: s.accountId } : {}),
                ...(s.region ? { region: s.region } : {}),
                status: s.status,
                ...(s.reason ? { reason: s.reason } : {}),
                resources: Object.values(s.resourceCounts).reduce((a, b) => a + b, 0),
                mandatory,
                advisory: s.diagnostics.length - mandatory,
            };
        }),
        paths: snapshotPaths(input),
        findings: input.stacks.flatMap((s) =>
            s.diagnostics.map((d) => ({
                stack: s.stack,
                level: d.enforcementLevel,
                policy: d.policyName,
                urn: d.urn,
                message: d.message.split("\n").pop() ?? "",
            })),
        ),
        resources,
    };
}

export const snapshotJson = (snapshot: PlanSnapshot) => `${JSON.stringify(snapshot)}\n`;

/**
 * A previous plan's `plan.json`, from the folder a run wrote (`--out`, or a copy of
 * reports/plan/). Throws a message saying what is wrong and how to make one.
 */
export function readSnapshot(dir: string): PlanSnapshot {
    const file = path.join(dir, PLAN_JSON);
    if (!fs.existsSync(file))
        throw new Error(
            `no ${PLAN_JSON} in ${dir}: --base takes the folder a previous npm run plan wrote (its --out, default reports/plan/), from a version that writes ${PLAN_JSON}`,
        );
    let parsed: Partial<PlanSnapshot>;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`${file} is not JSON: ${(err as Error).message}`);
    }
    if (parsed.format !== PLAN_FORMAT)
        throw new Error(`${file} is of format ${JSON.stringify(parsed.format)}, not ${PLAN_FORMAT}: plan the base again with this version`);
    return parsed as PlanSnapshot;
}
