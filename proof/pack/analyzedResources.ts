/**
 * What the engine would send the policy pack for a stack run under mocks: every registered
 * resource with its inputs, parent and dependencies, and the default AWS provider the engine
 * creates from the stack's `aws:*` configuration.
 */
import { AnalyzedResource } from "./policyEngine";
import { StackRun } from "../runtime/runStack";
import { RawConfig } from "../../lib/config/reader";
import { PROJECT } from "../../lib/naming";

/** The default provider the engine registers for `aws` resources without an explicit provider. */
export function defaultAwsProvider(stack: string, config: RawConfig): NonNullable<AnalyzedResource["provider"]> {
    const name = "default";
    const props = Object.fromEntries(
        Object.entries(config)
            .filter(([k]) => k.startsWith("aws:"))
            .map(([k, v]) => [k.slice(4), v]),
    );
    return { type: "pulumi:providers:aws", name, urn: `urn:pulumi:${stack}::${PROJECT}::pulumi:providers:aws::${name}`, props };
}

export function analyzedResources(run: StackRun): AnalyzedResource[] {
    const provider = defaultAwsProvider(run.stack, run.config);
    const resources: AnalyzedResource[] = run.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.inputs,
        parent: r.parent,
        protect: r.protect,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider: r.type.startsWith("aws:") ? provider : undefined,
    }));
    return [{ type: provider.type, name: provider.name, urn: provider.urn, props: provider.props }, ...resources];
}
