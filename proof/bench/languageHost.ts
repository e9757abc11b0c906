/**
 * How `pulumi up` loads this program, mirrored from the Node.js language host so that tests can pin
 * it and the bench can time it. The host (sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * parseOptions, execRuntime, constructArguments) starts `@pulumi/pulumi/cmd/run` with the user's
 * environment plus what Pulumi.yaml's `runtime.options` say: `typescript` (default true) sets
 * PULUMI_NODEJS_TYPESCRIPT, `tsconfig` sets PULUMI_NODEJS_TSCONFIG_PATH, `nodeargs` go to node.
 * Then sdk/nodejs/cmd/run/run.ts (`run`) registers ts-node with `transpileOnly` taken from
 * PULUMI_NODEJS_TRANSPILE_ONLY when set, otherwise from the tsconfig's own `compilerOptions.noCheck`
 * (sdk/nodejs/tsutils.ts reads the file without following `extends`), otherwise undefined; ts-node
 * merges its options over the tsconfig's "ts-node" section skipping undefined values (`assign` in
 * ts-node's util), so this project's tsconfig.json `"ts-node": {"transpileOnly": true}` decides.
 * Not `noCheck`: tsc and editors read that too, and `npm test` type-checks with tsc.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR } from "../../ops/project";
import { RawConfig } from "../../lib/config/reader";

interface RuntimeOptions {
    readonly name: string;
    readonly typescript: boolean;
    readonly tsconfig?: string;
    readonly nodeargs?: string;
    /** Pulumi.yaml's `main`, the entry point the engine passes; "." for the directory. */
    readonly main: string;
}

function runtimeOptions(dir: string): RuntimeOptions {
    const project = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: string | { options?: Record<string, unknown> };
        main?: string;
    };
    const options = (typeof project.runtime === "string" ? undefined : project.runtime.options) ?? {};
    return {
        name: project.name,
        typescript: options.typescript !== false,
        tsconfig: options.tsconfig as string | undefined,
        nodeargs: options.nodeargs as string | undefined,
        main: project.main ?? ".",
    };
}

export interface ProgramProcess {
    /** Arguments of node: `nodeargs`, then cmd/run and its flags, then the entry point. */
    readonly args: string[];
    /** Added to the user's environment. */
    readonly env: Record<string, string>;
    /** The path run.ts requires (its `program`). */
    readonly program: string;
}

/**
 * The node process the language host starts for `pulumi up -s <stack>` of the project in `dir`,
 * with the resource monitor at `monitor`. No engine address: nothing here logs through it.
 */
export function programProcess(dir: string, stack: string, config: RawConfig, monitor: string): ProgramProcess {
    const options = runtimeOptions(dir);
    // constructConfig passes keys as <namespace>:config:<name>, which the SDK reads back.
    const pulumiConfig = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^([^:]+):/, "$1:config:"), v]));
    const env: Record<string, string> = { PULUMI_CONFIG: JSON.stringify(pulumiConfig), PULUMI_CONFIG_SECRET_KEYS: "[]" };
    if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    const run = path.dirname(require.resolve("@pulumi/pulumi/cmd/run/index.js", { paths: [dir] }));
    // The host splits `nodeargs` as a shell would (shlex); plain spaces are enough for a measurement.
    const nodeargs = options.nodeargs ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
    return {
        args: [
            ...nodeargs,
            run,
            "--monitor",
            monitor,
            "--organization",
            "organization",
            "--project",
            options.name,
            "--stack",
            stack,
            "--pwd",
            dir,
            options.main,
        ],
        env,
        // run.ts: relative to the working directory; a directory is required as "<dir>/".
        program: options.main === "." ? `${dir}/` : path.join(dir, options.main),
    };
}

/**
 * The environment without what would decide type-checking outside the project's files
 * (PULUMI_NODEJS_TRANSPILE_ONLY, ts-node's TS_NODE_*): what a fresh clone gets.
 */
export function projectSettingsOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("TS_NODE_") && k !== "PULUMI_NODEJS_TRANSPILE_ONLY"));
}

/** The options run.ts passes to ts-node's `register` (its CommonJS path, which this project takes). */
export interface TsNodeRegistration {
    readonly compiler: string;
    readonly transpileOnly: boolean | undefined;
    readonly project: string;
    readonly skipProject: boolean;
    readonly compilerOptions: Record<string, unknown>;
}

export interface ProgramLoad {
    /** The ts-node the host uses: the project's own, else the SDK's vendored 7.0.1. */
    readonly tsNode: string;
    readonly options: TsNodeRegistration;
}

/** The module name the host uses: the project's own, else the SDK's vendored copy (typeScriptRequireStrings in sdk/nodejs/tsutils.ts). */
function projectModule(dir: string, name: "typescript" | "ts-node"): string {
    try {
        require.resolve(name, { paths: [dir] });
        return name;
    } catch {
        return path.join(
            path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] })),
            "vendor",
            name === "ts-node" ? "ts-node@7.0.1" : "typescript@3.8.3",
        );
    }
}

/** Loads a module by such a name (or vendored path) as the project would. */
const loadFrom = (dir: string, name: string) => require(require.resolve(name, { paths: [dir] }));

/**
 * What run.ts registers ts-node with for the project in `dir`, given the environment `pulumi up`
 * runs in (paths relative to `dir`, where run.ts has changed directory); undefined when Pulumi.yaml
 * turns TypeScript off.
 */
export function programLoad(dir = PROJECT_DIR, env: NodeJS.ProcessEnv = process.env): ProgramLoad | undefined {
    const options = runtimeOptions(dir);
    if (!options.typescript) return undefined;
    if (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).type === "module") {
        throw new Error(
            `${dir} is an ES module package, which run.ts registers through module hooks; programLoad mirrors only its CommonJS path`,
        );
    }
    const tsConfigPath = options.tsconfig ?? env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
    const compiler = projectModule(dir, "typescript");
    const ts = loadFrom(dir, compiler);
    let own: Record<string, unknown> = {};
    try {
        own =
            ts.parseConfigFileTextToJson(tsConfigPath, fs.readFileSync(path.join(dir, tsConfigPath), "utf8")).config?.compilerOptions ?? {};
    } catch {
        // run.ts ignores an unreadable tsconfig the same way (loadTypeScriptCompilerOptions).
    }
    const [major, minor] = String(ts.version).split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    const transpileOnlyEnv = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    return {
        tsNode: projectModule(dir, "ts-node"),
        options: {
            compiler,
            transpileOnly: transpileOnlyEnv ? transpileOnlyEnv === "true" : (own.noCheck as boolean | undefined),
            project: tsConfigPath,
            skipProject: !fs.existsSync(path.join(dir, tsConfigPath)),
            compilerOptions: {
                target: "ES2020",
                module: nodeNext ? "nodenext" : "commonjs",
                moduleResolution: nodeNext ? "nodenext" : "node",
                sourceMap: "true",
                ...own,
            },
        },
    };
}

/**
 * Whether ts-node, created with these options in `dir` (its "ts-node" tsconfig section and TS_NODE_*
 * environment merged as `register` merges them), compiles without type-checking: a type error
 * passes when it only transpiles, and fails when it checks.
 */
export function transpilesOnly(load: ProgramLoad, dir = PROJECT_DIR): boolean {
    const service = loadFrom(dir, load.tsNode).create({ ...load.options, cwd: dir });
    try {
        service.compile(`const probe: number = "not a number";\nexport { probe };\n`, path.join(dir, "__type_check_probe__.ts"));
        return true;
    } catch (err) {
        if ((err as { diagnosticCodes?: number[] }).diagnosticCodes?.includes(2322)) return false;
        throw err;
    }
}
