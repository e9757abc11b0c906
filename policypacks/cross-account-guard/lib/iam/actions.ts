/**
 * What a statement's `Action` or `NotAction` grants, read as IAM reads it: case-insensitive,
 * wildcards (`*`, `?`) expanded against the Service Authorization Reference, each action with its
 * access level. `NotAction` in an Allow grants every action of every service but the listed ones.
 */
import { ACCESS_LEVELS, AccessLevel, ActionInfo, actionsOf } from "./catalog";

export interface ActionSet {
    /** `NotAction`: every action except those the patterns match. */
    readonly except: boolean;
    /** The patterns as written (`s3:Get*`, `*`). */
    readonly patterns: readonly string[];
}

const patternCache = new Map<string, RegExp>();

/** The pattern as IAM matches it: case-insensitive, `*` any run of characters, `?` one character. */
export function wildcardRegex(pattern: string, flags = "i"): RegExp {
    const key = `${flags}/${pattern}`;
    let regex = patternCache.get(key);
    if (!regex) {
        const body = pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".");
        regex = new RegExp(`^${body}$`, flags);
        patternCache.set(key, regex);
    }
    return regex;
}

/** Whether an action pattern (`iam:Pass*`, `iam:*`, `*`) covers `action`. */
export function actionCovers(pattern: string, action: string): boolean {
    return wildcardRegex(pattern).test(action);
}

/** Whether the set grants `action` (`service:Action`). */
export function grants(set: ActionSet, action: string): boolean {
    const matched = set.patterns.some((p) => actionCovers(p, action));
    return set.except ? !matched : matched;
}

/** Whether the set reaches every action of every service (`*`, `*:*`, or any NotAction). */
export function isEverything(set: ActionSet): boolean {
    return set.except || set.patterns.some((p) => p === "*" || p === "*:*");
}

/** The services a pattern names (`s3:Get*` → s3); a pattern with a wildcard service names them all (undefined). */
function serviceOf(pattern: string): string | undefined {
    const service = pattern.split(":")[0];
    return service && !/[*?]/.test(service) && pattern.includes(":") ? service.toLowerCase() : undefined;
}

/**
 * The reference's actions the set grants among the services it names, or among `services` when
 * the set reaches every service (NotAction, `*`). Patterns of services the reference does not
 * know contribute nothing (see `unknownPatterns`).
 */
export function expand(set: ActionSet, services: readonly string[] = []): readonly ActionInfo[] {
    // Every action of each service named is matched against every pattern: about a sixth of the
    // pack's time before the answers were remembered (the same patterns recur in every stack).
    const key = `${set.except}\0${set.patterns.join("\0")}\0\0${services.join("\0")}`;
    let actions = expanded.get(key);
    if (!actions) {
        const named = isEverything(set) ? services : [...new Set(set.patterns.map(serviceOf).filter((s): s is string => !!s))];
        actions = Object.freeze(named.flatMap((service) => (actionsOf(service) ?? []).filter((a) => grants(set, a.name))));
        if (expanded.size >= EXPANDED_LIMIT) expanded.delete(expanded.keys().next().value!);
        expanded.set(key, actions);
    }
    return actions;
}

/** What {@link expand} answered, by the set's patterns and the services asked; the oldest go first past the bound. */
const expanded = new Map<string, readonly ActionInfo[]>();
const EXPANDED_LIMIT = 10_000;

/** The access levels the set grants: all of them for NotAction or `*`, else those of its expanded actions. */
export function levelsOf(set: ActionSet, services: readonly string[] = []): Set<AccessLevel> {
    if (isEverything(set)) return new Set(ACCESS_LEVELS);
    return new Set(expand(set, services).flatMap((a) => a.levels));
}

/** The actions granted at one access level (among the services named, or `services` for NotAction / `*`). */
export function actionsAtLevel(set: ActionSet, level: AccessLevel, services: readonly string[] = []): string[] {
    return expand(set, services)
        .filter((a) => a.levels.includes(level))
        .map((a) => a.name);
}

/** Patterns that match no action of the reference: a typo, or a service it does not know. `*` always matches. */
export function unknownPatterns(set: ActionSet): string[] {
    return set.patterns.filter((p) => {
        if (p === "*" || p === "*:*") return false;
        const service = serviceOf(p);
        if (!service) return !/^\*:/.test(p) && !/[*?]/.test(p.split(":")[0] ?? "");
        const actions = actionsOf(service);
        return !actions || !actions.some((a) => actionCovers(p, a.name));
    });
}

/** Whether the set reaches every action of `service` (`*`, `s3:*`, or a NotAction that lists none of its actions). */
export function coversService(set: ActionSet, service: string): boolean {
    const reaches = (p: string) =>
        p === "*" || (wildcardRegex(p.split(":")[0] ?? "").test(service) && /^\**$/.test(p.split(":")[1] ?? "x"));
    if (set.except) return !set.patterns.some((p) => p === "*" || wildcardRegex(p.split(":")[0] ?? "").test(service));
    return set.patterns.some(reaches);
}

/** A list of actions for a message: the first `shown`, then how many more. */
export const someActions = (actions: readonly string[], shown = 5) =>
    actions.length > shown ? `${actions.slice(0, shown).join(", ")} and ${actions.length - shown} more` : actions.join(", ");
