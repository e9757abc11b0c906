/** Shared test helpers: the shipped stacks run once under mocks, and lookups into what they registered. */
import { RecordedResource, StackRun } from "../proof/runtime/runStack";
import { EnvironmentRun, runEnvironment } from "../proof/runtime/runEnvironment";
import { PolicyDocument } from "../lib/policies/document";
import { RawConfig } from "../lib/config/reader";
import { PolicyPackProcess, readPolicyConfig } from "../proof/pack/policyEngine";
import { ResearchExports, parseResearchExports } from "../lib/contracts/research";
import { HostingExports, parseHostingExports } from "../lib/contracts/hosting";

export const RESEARCH = "111122223333";
export const DEV = "777788889999";
export const PROD = "444455556666";
export const OUTSIDER = "999999999999";
export const REGION = "us-east-1";

let shipped: Promise<EnvironmentRun> | undefined;

/**
 * The research, dev and prod stacks with their shipped stack files, and the bootstrap stacks of
 * their accounts (the deployment roles, the permissions boundary their roles carry), run (and
 * converged) once per test process; read-only.
 */
export function shippedEnvironment(): Promise<EnvironmentRun> {
    shipped ??= runEnvironment(["research", "dev", "prod"]).then((env) => {
        if (env.failures.size > 0) throw [...env.failures.values()][0];
        return env;
    });
    return shipped;
}

/** The runs of {@link shippedEnvironment}, by stack. */
export async function shippedStacks(): Promise<ReadonlyMap<string, StackRun>> {
    return (await shippedEnvironment()).runs;
}

export async function shippedStack(stack: string): Promise<StackRun> {
    const run = (await shippedStacks()).get(stack);
    if (!run) throw new Error(`no run of ${stack}`);
    return run;
}

/**
 * The runs with one input of one resource replaced, everything else as it was: a proof or a pack
 * run asked of a broken policy.
 */
export function withInput(
    runs: Iterable<StackRun>,
    stack: string,
    resourceName: string,
    field: string,
    replace: (value: any) => unknown,
): StackRun[] {
    return [...runs].map((run) =>
        run.stack !== stack
            ? run
            : {
                  ...run,
                  resources: run.resources.map((r) =>
                      r.name !== resourceName ? r : { ...r, inputs: { ...r.inputs, [field]: replace(r.inputs[field]) } },
                  ),
              },
    );
}

/** A research run's exports, checked against the contract hosting stacks read them by. */
export function researchExports(run: StackRun): ResearchExports {
    return parseResearchExports(run.stack, run.outputs);
}

/** A hosting run's exports, checked against its contract. */
export function hostingExports(run: StackRun): HostingExports {
    return parseHostingExports(run.stack, run.outputs);
}

/** The resources of a type, optionally the one with a logical name. */
export function resourcesOf(run: StackRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function resource(run: StackRun, type: string, name: string): RecordedResource {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        throw new Error(
            `${run.stack} registered no ${type} named ${name}; it has ${
                resourcesOf(run, type)
                    .map((r) => r.name)
                    .join(", ") || "none of that type"
            }`,
        );
    }
    return found;
}

/** A policy document held as a JSON string in a resource input. */
export function policyIn(r: RecordedResource, field = "policy"): PolicyDocument {
    return JSON.parse(r.inputs[field]);
}

/** A stack file's configuration with some keys replaced (undefined deletes a key). */
export function withConfig(base: RawConfig, changes: Record<string, string | object | undefined>): RawConfig {
    const result: Record<string, string> = { ...base };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete result[key];
        else result[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return result;
}

let pack: Promise<PolicyPackProcess> | undefined;

/** One policy pack process for the whole test run, configured with the shipped example config. */
export function sharedPack(): Promise<PolicyPackProcess> {
    pack ??= PolicyPackProcess.start().then(async (p) => {
        await p.configure(readPolicyConfig());
        return p;
    });
    return pack;
}

// A root hook: stops the shared pack after every test file has run.
after(async () => (await pack)?.stop());
