/**
 * What the provider answers for a resource's life: the state after Create and Update, the change a
 * Diff finds. IDs and attributes come from the one model of AWS (proof/runtime/awsModel.ts), merged
 * as the mock simulation merges them (proof/runtime/simulatedAws.ts: `{ ...inputs, ...state }`), so
 * an engine run and a mock run of a stack register the same IDs and ARNs.
 */
import { AccountScope, awsAttributes } from "../../runtime/awsModel";
import { deletesBeforeReplace, replacesOn } from "./replacements";
import { Props, UNKNOWN, isSecret, plainProps, sameValue, secret } from "./wire";

/**
 * The outputs of a created resource: its inputs as sent (secrets stay wrapped), overlaid with what
 * AWS computes; an attribute that overlays a secret input stays secret. In a preview nothing is
 * created: computed attributes are unknown unless an input gives them, and the ID is empty (the
 * engine accepts that only in a preview, Create in sdk/go/common/resource/plugin/provider_plugin.go).
 */
export function created(scope: AccountScope, type: string, name: string, inputs: Props, preview: boolean): { id: string; outputs: Props } {
    const { id, state } = awsAttributes(scope, { type, name, inputs: plainProps(inputs) });
    const outputs: Props = { ...inputs };
    for (const [key, value] of Object.entries(state)) {
        if (value === undefined) continue;
        if (preview) outputs[key] = key in inputs ? inputs[key] : UNKNOWN;
        else outputs[key] = isSecret(inputs[key]) ? secret(value) : value;
    }
    return { id: preview ? "" : id, outputs };
}

/**
 * The outputs after an in-place update: the new inputs over what AWS computed before. An update
 * changes no attribute AWS derives (those derive from names, which replace), so the old computed
 * attributes stand; old inputs the new ones drop are dropped (with the old inputs unknown, an
 * engine that does not send them, the old outputs stand in).
 */
export function updated(olds: Props, oldInputs: Props | undefined, news: Props): Props {
    const computed = Object.fromEntries(Object.entries(olds).filter(([key]) => !oldInputs || !(key in oldInputs)));
    return { ...computed, ...news };
}

export interface Change {
    /** Inputs whose value changed, added or removed. */
    readonly changed: string[];
    readonly replaces: string[];
    readonly deleteBeforeReplace: boolean;
    /** Old outputs an update leaves as they are: the engine may show them as known in a preview. */
    readonly stables: string[];
}

/**
 * The inputs a change touches, compared with the old inputs (the old outputs where the engine does
 * not send them, as older engines do not). Equal inputs are no change: a second `up` of the same
 * program changes nothing. A value not known yet counts as changed (it may be).
 */
export function changeOf(type: string, olds: Props, oldInputs: Props | undefined, news: Props, ignore: readonly string[]): Change {
    const before = oldInputs ?? olds;
    const keys = new Set([...Object.keys(news), ...(oldInputs ? Object.keys(oldInputs) : [])]);
    const changed = [...keys].filter((key) => !ignore.includes(key) && !sameValue(before[key], news[key]));
    const replaces = changed.filter((key) => replacesOn(type, key));
    return {
        changed,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && deletesBeforeReplace(type, news),
        stables: replaces.length > 0 ? [] : Object.keys(olds).filter((key) => !changed.includes(key)),
    };
}
