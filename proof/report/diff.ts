/**
 * What changed between two plans (`npm run plan -- --base <dir>`): the verdict, paths opened or
 * closed (the same request decided the other way), paths added or gone, policy pack findings new
 * or gone, stacks whose status changed, and resources added, removed, replaced or updated. A
 * resource present in both is replaced when an input changed that the AWS provider replaces on
 * (the engine tier's table, proof/engine/awsProvider/replacements.ts), updated when only others
 * changed.
 */
import { replacesOn } from "../engine/awsProvider/replacements";
import { PlanSnapshot, SnapshotFinding, SnapshotPath, SnapshotResource, SnapshotStack, pathKey } from "./snapshot";

export interface ChangedResource {
    readonly resource: SnapshotResource;
    /** The inputs that changed; for a replacement, those that replace it first. */
    readonly inputs: readonly string[];
}

export interface PlanDiff {
    readonly verdict: { readonly base: string; readonly head: string };
    readonly problemsNew: readonly string[];
    readonly problemsGone: readonly string[];
    /** Refused in the base, allowed now (as now). */
    readonly pathsOpened: readonly SnapshotPath[];
    /** Allowed in the base, refused now (as now). */
    readonly pathsClosed: readonly SnapshotPath[];
    readonly pathsAdded: readonly SnapshotPath[];
    readonly pathsGone: readonly SnapshotPath[];
    readonly findingsNew: readonly SnapshotFinding[];
    readonly findingsGone: readonly SnapshotFinding[];
    readonly stacksChanged: readonly { readonly stack: string; readonly base?: SnapshotStack; readonly head?: SnapshotStack }[];
    readonly resourcesAdded: readonly SnapshotResource[];
    readonly resourcesRemoved: readonly SnapshotResource[];
    readonly resourcesReplaced: readonly ChangedResource[];
    readonly resourcesUpdated: readonly ChangedResource[];
}

const byKey = <T>(items: readonly T[], key: (t: T) => string) => new Map(items.map((t) => [key(t), t]));

/**
 * Each item by its key; the same key twice in one plan (a request asked twice, a finding the pack
 * reports once per setting in the same words) is told apart by its rank, so a third copy is new.
 */
function ranked<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T> {
    const seen = new Map<string, number>();
    return new Map(
        items.map((item) => {
            const key = keyOf(item);
            const n = (seen.get(key) ?? 0) + 1;
            seen.set(key, n);
            return [n === 1 ? key : `${key}#${n}`, item];
        }),
    );
}

/** A finding is the same while the same policy flags the same resource of the same stack for the same reason. */
const findingKey = (f: SnapshotFinding) => [f.stack, f.policy, f.urn, f.message].join("|");
const resourceKey = (r: SnapshotResource) => `${r.stack}|${r.urn}`;

function changedInputs(base: SnapshotResource, head: SnapshotResource): string[] {
    const keys = new Set([...Object.keys(base.inputs), ...Object.keys(head.inputs)]);
    return [...keys].filter((k) => base.inputs[k] !== head.inputs[k]).sort();
}

export function diffPlans(base: PlanSnapshot, head: PlanSnapshot): PlanDiff {
    const basePaths = ranked(base.paths, pathKey);
    const headPaths = ranked(head.paths, pathKey);
    const both = [...headPaths].filter(([key]) => basePaths.has(key));
    const baseFindings = ranked(base.findings, findingKey);
    const headFindings = ranked(head.findings, findingKey);
    const baseStacks = byKey(base.stacks, (s) => s.stack);
    const headStacks = byKey(head.stacks, (s) => s.stack);
    const baseResources = byKey(base.resources, resourceKey);
    const headResources = byKey(head.resources, resourceKey);
    const changed = head.resources
        .filter((r) => baseResources.has(resourceKey(r)))
        .map((r) => ({ resource: r, inputs: changedInputs(baseResources.get(resourceKey(r))!, r) }))
        .filter((c) => c.inputs.length > 0);
    const replacing = (c: ChangedResource) => c.inputs.filter((k) => replacesOn(c.resource.type, k));
    // What a stack that failed or was skipped on one side declares is unknown there, not gone or new.
    const known = (stacks: ReadonlyMap<string, SnapshotStack>, stack: string) =>
        stacks.get(stack)?.status !== "failed" && stacks.get(stack)?.status !== "skipped";
    return {
        verdict: { base: base.verdict, head: head.verdict },
        problemsNew: head.problems.filter((p) => !base.problems.includes(p)),
        problemsGone: base.problems.filter((p) => !head.problems.includes(p)),
        pathsOpened: both.filter(([key, p]) => p.allowed && !basePaths.get(key)!.allowed).map(([, p]) => p),
        pathsClosed: both.filter(([key, p]) => !p.allowed && basePaths.get(key)!.allowed).map(([, p]) => p),
        pathsAdded: [...headPaths].filter(([key, p]) => !basePaths.has(key) && known(baseStacks, p.stack)).map(([, p]) => p),
        pathsGone: [...basePaths].filter(([key, p]) => !headPaths.has(key) && known(headStacks, p.stack)).map(([, p]) => p),
        findingsNew: [...headFindings].filter(([key]) => !baseFindings.has(key)).map(([, f]) => f),
        findingsGone: [...baseFindings].filter(([key]) => !headFindings.has(key)).map(([, f]) => f),
        stacksChanged: [...new Set([...baseStacks.keys(), ...headStacks.keys()])]
            .map((stack) => ({ stack, base: baseStacks.get(stack), head: headStacks.get(stack) }))
            .filter(({ base: b, head: h }) => !b || !h || b.status !== h.status),
        resourcesAdded: head.resources.filter((r) => !baseResources.has(resourceKey(r)) && known(baseStacks, r.stack)),
        resourcesRemoved: base.resources.filter((r) => !headResources.has(resourceKey(r)) && known(headStacks, r.stack)),
        resourcesReplaced: changed.filter((c) => replacing(c).length > 0).map((c) => ({ resource: c.resource, inputs: replacing(c) })),
        resourcesUpdated: changed.filter((c) => replacing(c).length === 0),
    };
}

/** Whether anything a reviewer should see changed (figures such as timings aside). */
export function hasChanges(diff: PlanDiff): boolean {
    return (
        diff.verdict.base !== diff.verdict.head ||
        [
            diff.problemsNew,
            diff.problemsGone,
            diff.pathsOpened,
            diff.pathsClosed,
            diff.pathsAdded,
            diff.pathsGone,
            diff.findingsNew,
            diff.findingsGone,
            diff.stacksChanged,
            diff.resourcesAdded,
            diff.resourcesRemoved,
            diff.resourcesReplaced,
            diff.resourcesUpdated,
        ].some((list) => list.length > 0)
    );
}
