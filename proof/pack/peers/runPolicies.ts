/**
 * Runs another pack's CrossGuard policies on a case's resources as the framework
 * (@pulumi/policy's server) calls them: resource policies per resource, skipped on other types
 * where the validator carries its type (`validateResourceOfType` attaches `__pulumiType`), with
 * `isType` comparing a class's type token to the resource's; stack policies over all resources,
 * each with `isType`; validators may be lists and may be async; `notApplicable` ends a call
 * without a finding; config is each policy's schema defaults (a pack constructed without
 * arguments). Stack resources carry no dependencies (no peer policy run here reads them). The
 * pack's own rules go through judge.ts instead; this is for a peer's.
 */
import { CaseResource } from "../cases/types";

export interface PeerPolicy {
    readonly name: string;
    readonly validateResource?: PeerValidator | readonly PeerValidator[];
    readonly validateStack?: PeerValidator | readonly PeerValidator[];
    readonly configSchema?: { readonly properties?: Readonly<Record<string, { readonly default?: unknown }>> };
}

export type PeerValidator = ((args: any, report: (message: string, urn?: string) => void) => unknown) & { __pulumiType?: string };

export interface PeerFinding {
    readonly policy: string;
    readonly resource?: string;
    readonly message: string;
}

export interface PeerCaseResult {
    /** Policies that ran on at least one of the case's resources (not skipped by type, not `notApplicable`). */
    readonly applicable: readonly string[];
    readonly findings: readonly PeerFinding[];
    /** Policies that threw: `message` says why (e.g. a call to AWS, refused offline). */
    readonly errors: readonly PeerFinding[];
}

const PROJECT = "cross-account-models";
const urnOf = (stack: string, r: CaseResource) => `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`;

class NotApplicable extends Error {}

/** The framework's isType: the class's type token, else its `isInstance` on a stand-in. */
function isTypeOf(type: string, cls: { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean } | undefined): boolean {
    const token = cls?.__pulumiType;
    if (typeof token === "string" && token.length > 0) return token === type;
    return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

const list = <T>(v: T | readonly T[] | undefined): readonly T[] =>
    v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];

export function defaultConfig(policy: PeerPolicy): Record<string, unknown> {
    const props = policy.configSchema?.properties ?? {};
    return Object.fromEntries(
        Object.entries(props)
            .filter(([k, p]) => k !== "enforcementLevel" && p.default !== undefined)
            .map(([k, p]) => [k, p.default]),
    );
}

export async function runPeerPolicies(
    policies: readonly PeerPolicy[],
    resources: readonly CaseResource[],
    stack = "dev",
): Promise<PeerCaseResult> {
    const applicable = new Set<string>();
    const findings: PeerFinding[] = [];
    const errors: PeerFinding[] = [];
    const notApplicable = (reason?: string) => {
        throw new NotApplicable(reason);
    };
    const call = async (policy: PeerPolicy, validate: PeerValidator, args: object, resource?: string) => {
        try {
            await validate(args, (message, urn) => findings.push({ policy: policy.name, resource: urn ?? resource, message }));
            applicable.add(policy.name);
        } catch (err) {
            if (err instanceof NotApplicable) return;
            applicable.add(policy.name);
            errors.push({ policy: policy.name, resource, message: err instanceof Error ? err.message : String(err) });
        }
    };
    for (const policy of policies) {
        const config = defaultConfig(policy);
        const getConfig = () => config;
        for (const validate of list(policy.validateResource)) {
            for (const r of resources) {
                if (validate.__pulumiType && validate.__pulumiType !== r.type) continue;
                const isType = (cls: any) => isTypeOf(r.type, cls);
                const asType = (cls: any) => (isType(cls) ? r.props : undefined);
                const args = {
                    type: r.type,
                    name: r.name,
                    urn: urnOf(stack, r),
                    props: r.props,
                    provider: r.provider,
                    getConfig,
                    isType,
                    asType,
                    notApplicable,
                };
                await call(policy, validate, args, r.name);
            }
        }
        for (const validate of list(policy.validateStack)) {
            const all = resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: urnOf(stack, r),
                props: r.props,
                provider: r.provider,
                dependencies: [],
                propertyDependencies: {},
                isType: (cls: any) => isTypeOf(r.type, cls),
                asType: (cls: any) => (isTypeOf(r.type, cls) ? r.props : undefined),
            }));
            if (validate.__pulumiType && !all.some((r) => r.type === validate.__pulumiType)) continue;
            await call(policy, validate, { resources: all, getConfig, notApplicable });
        }
    }
    return { applicable: [...applicable].sort(), findings, errors };
}
