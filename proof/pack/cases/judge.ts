/**
 * Judges a case with every rule of the pack, called as the framework calls them (resource rules
 * per resource with `notApplicable` and `isType`, stack rules over all resources with property
 * dependencies resolved), with the environment's policy-config merged with the case's. Fast
 * enough for hundreds of cases in the unit tests; test/policypack/engine.test.ts drives the same
 * cases over the analyzer's gRPC protocol.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allPolicies } from "../../../policypacks/cross-account-guard/policies";
import { PolicyPackConfig, readPolicyConfig } from "../policyEngine";
import { CaseResource, PackCase } from "./types";

export interface Finding {
    readonly policy: string;
    readonly level: "advisory" | "mandatory";
    readonly message: string;
    readonly resource?: string;
}

const NOT_APPLICABLE = new Error("not applicable");
const PROJECT = "cross-account-models";

export const urnOf = (stack: string, r: Pick<CaseResource, "type" | "name">) => `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`;

/** The environment's configuration (the one the shipped stacks are checked with) with the case's merged per rule. */
export function caseConfig(c: Pick<PackCase, "config">, base: PolicyPackConfig = readPolicyConfig()): PolicyPackConfig {
    const merged: Record<string, Record<string, unknown>> = structuredClone(base) as Record<string, Record<string, unknown>>;
    for (const [rule, values] of Object.entries(c.config ?? {})) merged[rule] = { ...(merged[rule] ?? {}), ...values };
    return merged as PolicyPackConfig;
}

/** Every finding of every enabled rule for the resources. */
export function judge(resources: readonly CaseResource[], config: PolicyPackConfig, stack = "dev"): Finding[] {
    const findings: Finding[] = [];
    for (const policy of allPolicies) {
        const ruleConfig = (config[policy.name] ?? {}) as Record<string, unknown>;
        const level = (ruleConfig.enforcementLevel as string | undefined) ?? policy.enforcementLevel ?? "advisory";
        if (level === "disabled") continue;
        const { enforcementLevel: _level, ...values } = ruleConfig;
        const getConfig = () => values;
        const add = (resource?: string) => (message: string, urn?: string) =>
            findings.push({ policy: policy.name, level: level as Finding["level"], message, resource: urn ?? resource });
        if ("validateResource" in policy) {
            for (const r of resources) runResourceRule(policy as ResourceValidationPolicy, r, stack, getConfig, add(r.name));
        } else {
            const all = policyResources(resources, stack);
            ((policy as StackValidationPolicy).validateStack as Function)({ resources: all, getConfig }, add());
        }
    }
    return findings;
}

function runResourceRule(
    policy: ResourceValidationPolicy,
    r: CaseResource,
    stack: string,
    getConfig: () => unknown,
    report: (message: string) => void,
): void {
    const notApplicable = () => {
        throw NOT_APPLICABLE;
    };
    const isType = (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type;
    const validate = policy.validateResource as Function & { __pulumiType?: string };
    // The framework skips a rule declared for one type (validateResourceOfType) on other types.
    if (validate.__pulumiType && validate.__pulumiType !== r.type) return;
    const args = {
        type: r.type,
        name: r.name,
        urn: urnOf(stack, r),
        props: r.props,
        provider: r.provider,
        getConfig,
        isType,
        notApplicable,
    };
    try {
        validate(args, report);
    } catch (err) {
        if (err !== NOT_APPLICABLE) throw err;
    }
}

/** The resources as a stack rule sees them, property dependencies pointing at the resources named. */
function policyResources(resources: readonly CaseResource[], stack: string): PolicyResource[] {
    const byName = new Map<string, PolicyResource>();
    const all = resources.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: urnOf(stack, r),
            props: r.props,
            provider: r.provider,
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
        } as unknown as PolicyResource;
        byName.set(r.name, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        for (const [prop, names] of Object.entries(r.deps ?? {})) {
            const targets = names.map((n) => byName.get(n)).filter((t): t is PolicyResource => t !== undefined);
            (all[i].propertyDependencies as Record<string, PolicyResource[]>)[prop] = targets;
            (all[i].dependencies as PolicyResource[]).push(...targets);
        }
    });
    return all;
}

/** What a case's verdict asks of the findings: the named rule reports an insecure case; nothing reports an acceptable one. */
export function verdictHolds(c: PackCase, findings: readonly Finding[]): boolean {
    return c.verdict === "insecure" ? findings.some((f) => f.policy === c.rule) : findings.length === 0;
}
