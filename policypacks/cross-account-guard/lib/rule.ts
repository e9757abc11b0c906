/**
 * How every rule of the pack is declared: a stable name, a description, a severity, remediation
 * steps, a default enforcement level, and typed configuration with defaults. Rules are plain
 * policy objects; only `index.ts` builds the PolicyPack.
 */
import {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PropsByType, ProviderProps, ResourceType } from "./props";

/** Mandatory by default: encryption, public access, confused-deputy and VPC-only rules. */
export type Category =
    | "encryption"
    | "public-access"
    | "confused-deputy"
    | "vpc-only"
    | "least-privilege"
    | "resilience"
    | "observability"
    | "deployment-safety";
const MANDATORY: readonly Category[] = ["encryption", "public-access", "confused-deputy", "vpc-only"];

export interface RuleMeta<C> {
    readonly name: string;
    readonly description: string;
    readonly category: Category;
    readonly severity: Severity;
    readonly remediation: string;
    /** Config properties with their defaults; each becomes part of the rule's config schema. */
    readonly config?: { readonly [K in keyof C]: ConfigProperty<C[K]> };
}

interface ConfigProperty<V> {
    readonly schema: Record<string, unknown>;
    readonly default: V;
}

/** The rule's config properties, by name. */
function configProperties<C>(meta: RuleMeta<C>): [string, ConfigProperty<unknown>][] {
    return Object.entries(meta.config ?? {});
}

function base<C>(meta: RuleMeta<C>) {
    const properties = Object.fromEntries(configProperties(meta).map(([k, v]) => [k, { ...v.schema, default: v.default }]));
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
    const defaults = Object.fromEntries(configProperties(meta).map(([k, v]) => [k, v.default]));
    return { ...defaults, ...(given ?? {}) } as C;
}

/**
 * What a resource rule sees of a resource of one of its types: its inputs typed as `PropsByType`
 * lists them for that type (a union over the types, told apart by `type`), and its provider's.
 */
export type RuleResource<T extends ResourceType> = {
    [K in T]: {
        readonly type: K;
        readonly name: string;
        readonly urn: string;
        readonly props: PropsByType[K];
        readonly provider?: { readonly props: ProviderProps };
    };
}[T];

/** Whether the engine's resource is of one of the types; its inputs are then read as `PropsByType` describes them. */
function isOneOf<T extends ResourceType>(
    args: ResourceValidationArgs,
    types: readonly T[],
): args is ResourceValidationArgs & RuleResource<T> {
    return types.some((t) => t === args.type);
}

/** A rule over single resources of the listed types; its configuration type follows from `meta.config`. */
export function resourceRule<T extends ResourceType, C = {}>(
    meta: RuleMeta<C>,
    types: readonly T[],
    check: (resource: RuleResource<T>, report: ReportViolation, config: C) => void,
): ResourceValidationPolicy {
    const validate: ResourceValidation = (args, report) => {
        if (!isOneOf(args, types)) return;
        check(args, report, configOf(meta, args.getConfig<Record<string, unknown>>()));
    };
    return {
        ...base(meta),
        // A rule of one type declares it as validateResourceOfType does, in `__pulumiType` on the
        // function, so the framework skips other resources before deserialising their properties
        // (halves the per-resource cost), without loading @pulumi/aws for a resource class.
        validateResource: types.length === 1 ? Object.assign(validate, { __pulumiType: types[0] }) : validate,
    };
}

/** What a rule over every resource type sees: inputs by name, untyped (the rule reads them defensively). */
export interface AnyResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Readonly<Record<string, unknown>>;
    readonly provider?: { readonly props: ProviderProps };
}

/**
 * A rule over resources of any type (policy documents wherever they live, secrets in any input,
 * accounts in any field). It runs for every resource, so `check` must return quickly for the
 * types it does not read.
 */
export function anyResourceRule<C = {}>(
    meta: RuleMeta<C>,
    check: (resource: AnyResource, report: ReportViolation, config: C) => void,
): ResourceValidationPolicy {
    return {
        ...base(meta),
        validateResource: (args, report) =>
            check(args as unknown as AnyResource, report, configOf(meta, args.getConfig<Record<string, unknown>>())),
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
            schema: {
                type: "array",
                items: { type: "string", pattern: "^\\d{12}$" },
                description: `Accounts whose principals ${whose} may name.`,
            },
            default: [] as string[],
        },
        ...stackAccountsConfig(),
    };
}

/** The `stackAccounts` parameter: each stack's account, for rules that must know a resource's own account. */
export function stackAccountsConfig() {
    return {
        stackAccounts: {
            schema: {
                type: "object",
                additionalProperties: { type: "string", pattern: "^\\d{12}$" },
                description: "The account of each stack (by name), for resources whose ARN and provider do not say it.",
            },
            default: {} as Record<string, string>,
        },
    };
}
