/**
 * Runs a stack's real program (`index.ts` → `stacks/`) under Pulumi's mock runtime against the
 * simulated AWS, with the stack's own configuration, and records what it registers.
 */
import * as inspector from "inspector";
import * as pulumi from "@pulumi/pulumi";
import { SimulatedAws } from "./simulatedAws";
import { PROJECT_DIR, readStackConfig } from "../../ops/project";
import { RawConfig } from "../../lib/config/reader";
import { loadStackConfig } from "../../lib/config/load";
import { ProjectStacks, StackSummary, readProjectStacks } from "../../lib/config/projectStacks";
import { PROJECT, partitionOf, stackReferenceName } from "../../lib/naming";

/** A resource as the program registered it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Whether a provider manages it (false for components and the stack). */
    readonly custom: boolean;
    readonly inputs: Record<string, any>;
    /** Inputs the program passed as Pulumi secrets (shown as plain values in `inputs`). */
    readonly secretInputs: readonly string[];
    /** Inputs merged with the attributes the simulated AWS computed. */
    readonly state: Record<string, any>;
    readonly protect: boolean;
    readonly parent: string;
    /** URNs this resource depends on, overall and per input property. */
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export interface StackRun {
    readonly stack: string;
    /** The account and Region the stack deploys into (from its stack file). */
    readonly accountId: string;
    readonly region: string;
    /** The configuration the stack ran with. */
    readonly config: RawConfig;
    readonly resources: RecordedResource[];
    /** What the program exported, unchecked: readers check it against the program's contract (lib/contracts). */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** A stack program that failed, with what it had registered before failing. */
export class StackRunError extends Error {
    constructor(
        readonly stack: string,
        readonly cause: Error,
        readonly resources: RecordedResource[],
    ) {
        super(cause.message);
        this.name = "StackRunError";
    }
}

export interface RunOptions {
    /** Configuration to use instead of the stack file's. */
    readonly config?: RawConfig;
    /** Exports of upstream stacks by fully qualified name, for StackReferences. */
    readonly stackOutputs?: ReadonlyMap<string, Record<string, unknown>>;
    /** Stacks created but never deployed, by fully qualified name: references to them have no outputs. */
    readonly createdStacks?: ReadonlySet<string>;
    /** Answer references to stacks not run with no outputs (to discover references). */
    readonly discovery?: boolean;
    /** Where the stack files are (the project's own by default): the stack's, and those a program reads besides its own. */
    readonly projectDir?: string;
    /** Told the fully qualified name of each stack the program reads through a StackReference. */
    readonly onStackRead?: (name: string) => void;
}

/** The account and Region a stack file names; validation of them is the program's job. */
export function stackIdentity(config: RawConfig) {
    const region = config["aws:region"] ?? "us-east-1";
    let accountId = "000000000000";
    try {
        accountId = String(JSON.parse(config["aws:allowedAccountIds"] ?? "[]")[0] ?? accountId);
    } catch {
        // Left to the program's own validation, which reports it properly.
    }
    return { region, accountId, partition: partitionOf(region) };
}

/**
 * The stacks a run's configuration may name: the project's stack files, and the stacks of the
 * environment being simulated (which may be generated, without files). None while only discovering
 * references, so that a generated environment's stacks are not refused before they are known.
 */
function knownStacks(stack: string, options: RunOptions): ProjectStacks | undefined {
    if (options.discovery) return undefined;
    const known = new Map<string, StackSummary>(readProjectStacks(options.projectDir));
    const names = [stack, ...(options.createdStacks ?? []), ...(options.stackOutputs?.keys() ?? [])];
    for (const name of names) {
        const short = name.split("/").pop()!;
        if (stackReferenceName(short) === stackReferenceName(name) && !known.has(short)) known.set(short, {});
    }
    return known;
}

/** A resource's inputs with Pulumi secrets unwrapped, and the names of the secret ones. */
function unwrapSecrets(inputs: Record<string, any>): { plain: Record<string, any>; secrets: string[] } {
    const isSecret = (v: any) => v !== null && typeof v === "object" && v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
    const secrets = Object.keys(inputs).filter((k) => isSecret(inputs[k]));
    return { plain: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, isSecret(v) ? v.value : v])), secrets };
}

/**
 * A module of @pulumi/pulumi's runtime that the speed-ups below wrap a function of; none if a
 * release lays its files out otherwise (the run is then as fast as Pulumi makes it, and the same).
 */
function pulumiInternal(module: string): any {
    try {
        return require(`@pulumi/pulumi/${module}`);
    } catch {
        return undefined;
    }
}

/**
 * Pulumi's runtime records a stack trace on every promise it makes (`debuggablePromise` in
 * @pulumi/pulumi runtime/debuggable.js), only to name the promises still pending when a process
 * exits. Capturing and source-mapping those traces was about 40% of a stack run's CPU time; here
 * they are captured without frames. Every other error keeps its stack.
 */
function untracedPromises(): void {
    const debuggable = pulumiInternal("runtime/debuggable");
    const traced = debuggable?.debuggablePromise;
    if (typeof traced !== "function" || traced.untraced) return;
    debuggable.debuggablePromise = Object.assign(
        <T>(promise: Promise<T>, context: unknown): Promise<T> => {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                return traced(promise, context);
            } finally {
                Error.stackTraceLimit = limit;
            }
        },
        { untraced: true },
    );
}

/**
 * Pulumi records where each resource is declared, for the engine's messages: `Resource.callsites`
 * takes an unbounded stack trace per resource, source-mapped under ts-node (about 8% of a stack
 * run's time). The mock monitor ignores it (runtime/mocks.js registerResource), so under the mocks
 * no position is taken.
 */
function noSourcePositions(): void {
    const resource = pulumi.Resource as unknown as { callsites: (() => unknown[]) & { offline?: boolean } };
    if (resource.callsites.offline) return;
    resource.callsites = Object.assign(() => [], { offline: true });
}

/**
 * Pulumi serializes a dynamic resource's provider on every run, parsing the text of each function
 * it reaches with TypeScript (`parseFunction` in @pulumi/pulumi runtime/closure): the same texts
 * in every hosting stack, about a fifth of a run's time. A text's parse is remembered, and each
 * caller gets its own copy of it, as from a fresh parse; the serialization's steps are unchanged.
 */
function rememberedFunctionParses(): void {
    const closure = pulumiInternal("runtime/closure/parseFunction");
    const parse: ((text: string) => unknown) & { remembered?: boolean } = closure?.parseFunction;
    if (typeof parse !== "function" || parse.remembered) return;
    const parsed = new Map<string, unknown>();
    closure.parseFunction = Object.assign(
        (text: string) => {
            if (!parsed.has(text)) parsed.set(text, parse(text));
            return structuredClone(parsed.get(text));
        },
        { remembered: true },
    );
}

/**
 * Pulumi's closure serialization asks the inspector about each function it serializes
 * (runtime/closure/v8.ts: `Runtime.evaluate`, then `Runtime.getProperties` of what it is handed)
 * and never releases the remote objects: each run's dynamic provider, and through it every
 * resource of the run, stayed alive (about 2 MB a run in a worker that runs fifty). Its
 * evaluations are put in an object group of their own (objects got from them join it), released
 * in one call after each run.
 */
const INSPECTOR_GROUP = "offline-plan-closures";
const inspectorSessions = new Set<inspector.Session>();

function groupInspectorObjects(): void {
    const prototype = inspector.Session.prototype as unknown as { post: ((...args: any[]) => void) & { grouping?: boolean } };
    if (prototype.post.grouping) return;
    const post = prototype.post;
    const grouping = function (this: inspector.Session, method: string, params?: any, ...rest: unknown[]) {
        if (method === "Runtime.evaluate" && params && typeof params === "object" && params.objectGroup === undefined) {
            inspectorSessions.add(this);
            return post.call(this, method, { ...params, objectGroup: INSPECTOR_GROUP }, ...rest);
        }
        return post.call(this, method, params, ...rest);
    };
    prototype.post = Object.assign(grouping, { grouping: true });
}

function releaseInspectorObjects(): void {
    for (const session of inspectorSessions) session.post("Runtime.releaseObjectGroup", { objectGroup: INSPECTOR_GROUP }, () => undefined);
}

/**
 * The stack programs (stacks/), loaded on the first run: a process whose stacks all run in
 * workers, or come from the plan's cache, never loads (or compiles) them.
 */
export function program(): typeof import("../../stacks") {
    return require("../../stacks");
}

/**
 * Runs one stack. Stacks share Pulumi's global runtime state, so runs must not overlap: await
 * each before starting the next.
 */
export async function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    untracedPromises();
    noSourcePositions();
    rememberedFunctionParses();
    groupInspectorObjects();
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const config = options.config ?? readStackConfig(stack, projectDir);
    const recorded = new Map<string, RecordedResource>();
    const identity = stackIdentity(config);
    const aws = new SimulatedAws({
        ...identity,
        stackOutputs: options.stackOutputs ?? new Map(),
        createdStacks: options.createdStacks,
        discovery: options.discovery,
        onStackRead: options.onStackRead,
    });
    const mocks: pulumi.runtime.Mocks = {
        call: (args) => aws.call(args),
        newResource: (args) => {
            // The engine refuses two resources with one URN; so does the simulation (names are unique per type here).
            if (recorded.has(`${args.type}::${args.name}`)) {
                throw new Error(`Duplicate resource: ${stack} registers ${args.type} "${args.name}" twice`);
            }
            const { plain, secrets } = unwrapSecrets(args.inputs);
            const result = aws.newResource({ ...args, inputs: plain });
            recorded.set(`${args.type}::${args.name}`, {
                type: args.type,
                name: args.name,
                urn: "",
                custom: !!args.custom,
                inputs: plain,
                secretInputs: secrets,
                state: { ...result.state, id: result.id },
                protect: false,
                parent: "",
                dependencies: [],
                propertyDependencies: {},
            });
            return result;
        },
    };
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false, "organization");
    pulumi.runtime.setAllConfig(config);
    recordRegistrationOptions(recorded);
    // The program's error is caught inside the stack's init: rethrown from there, it would also
    // reject promises inside the runtime that nobody awaits, which ends a plain Node process.
    let programError: Error | undefined;
    try {
        const outputs =
            (await pulumi.runtime.runInPulumiStack(async () => {
                try {
                    return await program().runProgram(loadStackConfig({ stacks: knownStacks(stack, options) }), projectDir);
                } catch (err) {
                    programError = err as Error;
                    return {};
                }
            })) ?? {};
        await pulumi.runtime.disconnect();
        if (programError) throw programError;
        return { stack, accountId: identity.accountId, region: identity.region, config, resources: [...recorded.values()], outputs };
    } catch (err) {
        await pulumi.runtime.disconnect().catch(() => undefined);
        throw new StackRunError(stack, err as Error, [...recorded.values()]);
    } finally {
        pulumi.runtime.setAllConfig({});
        releaseInspectorObjects();
    }
}

/** Wraps the mock monitor to record what the mocks are not told: protection, parent, URN and dependencies. */
function recordRegistrationOptions(recorded: Map<string, RecordedResource>): void {
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, res: any) => void) =>
        register(req, (err: any, res: any) => {
            const key = `${req.getType()}::${req.getName()}`;
            const entry = recorded.get(key);
            if (entry && res) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach(
                    (deps: any, property: string) => (propertyDependencies[property] = deps.getUrnsList()),
                );
                recorded.set(key, {
                    ...entry,
                    urn: res.getUrn(),
                    protect: req.getProtect(),
                    parent: req.getParent(),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                });
            }
            callback(err, res);
        });
}
