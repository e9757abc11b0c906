/**
 * The offline view of a promotion: the promotion's own steps, run against in-memory stack
 * configurations, with the environment re-run under mocks after every stack update and the access
 * proven: which versions the consumer's access role can call, and which one its parameter names.
 */
import { PromotionDriver, PromotionRequest, PromotionState, promote } from "../../ops/release/promotion";
import { memoryStateStore } from "../../ops/stacks/stateStore";
import { canCallVersion } from "../access/prove";
import { RawConfig } from "../../lib/config/reader";
import { parseProgramConfig } from "../../lib/config/stackConfig";
import { runEnvironment } from "../runtime/runEnvironment";
import { readStackConfig } from "../../ops/project";

export interface PromotionSnapshot {
    /** The step after which the snapshot was taken ("before" for the starting point). */
    readonly after: string;
    /** The version the consumer's parameter names. */
    readonly active: string;
    readonly callable: Readonly<Record<string, boolean>>;
    readonly problems: readonly string[];
}

/** Edits a JSON config value at a path like `consumers[1].grantedVersions[2]`; `undefined` removes. */
function editPath(root: unknown, path: string, value: string | undefined): unknown {
    const segments = path.match(/[^.[\]]+/g)!.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const copy = structuredClone(root) as any;
    let node = copy;
    for (const segment of segments.slice(0, -1)) node = node[segment];
    const last = segments[segments.length - 1];
    if (value !== undefined) node[last] = value;
    else if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
    return copy;
}

export async function planPromotion(
    stacks: readonly string[],
    request: Omit<PromotionRequest, "smokeTest">,
): Promise<{ state: PromotionState; snapshots: PromotionSnapshot[]; log: string[] }> {
    const configs: Record<string, RawConfig> = Object.fromEntries(stacks.map((s) => [s, { ...readStackConfig(s) }]));
    const log: string[] = [];
    const snapshots: PromotionSnapshot[] = [];
    // The version the consumer's parameter names: what its program reads from its configuration.
    const active = () => {
        const version = parseProgramConfig(request.stack, configs[request.stack], "hosting").rekognition?.activeVersionArn;
        if (!version)
            throw new Error(
                `${request.stack} calls no shared Rekognition model (rekognition.activeVersionArn in Pulumi.${request.stack}.yaml)`,
            );
        return version;
    };
    const from = active();
    let step = "before";

    const snapshot = async (after: string) => {
        const env = await runEnvironment(stacks, configs);
        const runs = [...env.runs.values()];
        const callable: Record<string, boolean> = {};
        for (const version of [from, request.to]) callable[version] = await canCallVersion(runs, request.stack, version);
        const problems = [...env.failures].map(([s, e]) => `${s}: ${e.message}`);
        snapshots.push({ after, active: active(), callable, problems });
    };
    const setJson = (stack: string, path: string, value: string | undefined) => {
        const [key, rest] = [path.slice(0, path.indexOf(".")), path.slice(path.indexOf(".") + 1)];
        configs[stack] = { ...configs[stack], [key]: JSON.stringify(editPath(JSON.parse(configs[stack][key]), rest, value)) };
    };
    const driver: PromotionDriver = {
        getConfig: async (stack) => configs[stack],
        setConfigPath: async (stack, path, value) => setJson(stack, path, value),
        removeConfigPath: async (stack, path) => setJson(stack, path, undefined),
        up: async () => {
            await snapshot(step);
            return { changes: {}, outputs: {} };
        },
        smokeTest: async () => ({ skipped: true, detail: "offline: no AWS to call; the access proof stands in for it" }),
        stopVersion: async (version) => `would stop ${version} (StopProjectVersion runs online only)`,
        state: memoryStateStore(),
        log: (message) => log.push(message),
        stepStarted: (started) => void (step = started),
    };
    await snapshot("before");
    // Offline there is no endpoint to call: the smoke step is skipped, and the access proof of each snapshot stands in for it.
    log.push("offline: the smoke test is not run; the access proof stands in for it");
    const state = await promote({ ...request, smokeTest: "skip" }, driver);
    return { state, snapshots, log };
}

/** The snapshots as a text table: after which step, the version the parameter names, and what the role can call. */
export function promotionTable(snapshots: readonly PromotionSnapshot[]): string {
    const short = (arn: string) => arn.split("/version/")[1]?.split("/")[0] ?? arn;
    const versions = Object.keys(snapshots[0]?.callable ?? {});
    const header = ["after", "parameter names", ...versions.map((v) => `calls ${short(v)}`)];
    const rows = snapshots.map((s) => [s.after, short(s.active), ...versions.map((v) => (s.callable[v] ? "allowed" : "denied"))]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    return [header, ...rows].map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ")}`).join("\n");
}
