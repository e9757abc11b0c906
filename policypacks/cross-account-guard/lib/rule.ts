/**
 * How every rule of the pack is declared: a stable name, a description, a severity, remediation
 * steps, a default enforcement level, and typed configuration with defaults. Rules are plain
 * policy objects; only `index.ts` builds the PolicyPack.
 */
import {
    PolicyConfigSchema, PolicyResource, ReportViolation,
    ResourceValidationArgs, ResourceValidationPolicy, Severity, StackValidationArgs, StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";

/** Mandatory by default: encryption, public access, confused-deputy and VPC-only rules. */
export type Category = "encryption" | "public-access" | "confused-deputy" | "vpc-only" | "least-privilege" | "resilience" | "observability" | "deployment-safety";
const MANDATORY: readonly Category[] = ["encryption", "public-access", "confused-deputy", "vpc-only"];

export interface RuleMeta<C> {
    readonly name: string;
    readonly description: string;
    readonly category: Category;
    readonly severity: Severity;
    readonly remediation: string;
    /** Config properties with their defaults; each becomes part of the rule's config schema. */
    readonly config?: { readonly [K in keyof C]: { readonly schema: Record<string, unknown>; readonly default: C[K] } };
}

function base<C>(meta: RuleMeta<C>) {
    const properties = Object.fromEntries(Object.entries(meta.config ?? {}).map(([k, v]: [string, any]) => [k, { ...v.schema, default: v.default }]));
    return {
        name: meta.name,
        description: meta.description,
        severity: meta.severity,
        remediationSteps: meta.remediation,
        tags: [meta.category],
        enforcementLevel: MANDATORY.includes(meta.category) ? ("mandatory" as const) : ("advisory" as const),
        configSchema: Object.keys(properties).length > 0 ? ({ properties } as PolicyConfigSchema) : undefined,
    };
}

/** The rule's configuration with defaults filled in for keys the pack's config leaves out. */
function configOf<C>(meta: RuleMeta<C>, given: Record<string, unknown> | undefined): C {
    const defaults = Object.fromEntries(Object.entries(meta.config ?? {}).map(([k, v]: [string, any]) => [k, v.default]));
    return { ...defaults, ...(given ?? {}) } as C;
}

/** A rule over single resources of the listed types. */
export function resourceRule<C = {}>(
    meta: RuleMeta<C>,
    types: readonly string[],
    check: (resource: { type: string; name: string; urn: string; props: Record<string, any>; provider?: { props: Record<string, any> } }, report: ReportViolation, config: C) => void,
): ResourceValidationPolicy {
    const validate = (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!types.includes(args.type)) return;
        check(args, report, configOf(meta, args.getConfig<Record<string, unknown>>()));
    };
    return {
        ...base(meta),
        // A rule of one type declares it, so the framework skips other resources before deserialising
        // their properties (halves the per-resource cost); `{ __pulumiType }` is the form of a resource class it reads.
        validateResource: types.length === 1
            ? validateResourceOfType({ __pulumiType: types[0] } as any, (_props, args, report) => validate(args, report))
            : validate,
    };
}

/** A rule over the whole stack, for properties that span resources. */
export function stackRule<C = {}>(
    meta: RuleMeta<C>,
    check: (resources: readonly PolicyResource[], report: ReportViolation, config: C) => void,
): StackValidationPolicy {
    return {
        ...base(meta),
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            check(args.resources, report, configOf(meta, args.getConfig<Record<string, unknown>>()));
        },
    };
}

/** The `allowedAccountIds` parameter of the rules that allow-list accounts; empty by default. */
export function allowedAccountsConfig(whose: string) {
    return {
        allowedAccountIds: {
            schema: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, description: `Accounts whose principals ${whose} may name.` },
            default: [] as string[],
        },
    };
}
