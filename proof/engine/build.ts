/**
 * Builds the real Pulumi engine from Go modules (`npm run engine -- build`): each module under
 * proof/engine/modules/ pins one command at one version (go.mod, checked by go.sum) and is built
 * into .engine/<module>/bin/, with the version the linker stamps as pulumi/pulumi's Makefiles do
 * (`-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v…`; without it `pulumi version`
 * prints nothing). Beside the engine, actionlint, which checks the example pipeline
 * (`npm run engine -- lint-workflows`). A build is skipped while its stamp (the digest of go.mod, go.sum, the Go version
 * and the flags) is unchanged: rebuilt only when a pin changes.
 */
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../ops/project";

export const MODULES_DIR = path.join(PROJECT_DIR, "proof", "engine", "modules");
export const ENGINE_DIR = path.join(PROJECT_DIR, ".engine");

/** One Go module of proof/engine/modules: the command it builds and the version it pins. */
export interface EngineModule {
    /** The folder's name, also the build's folder in .engine/ (`pulumi-cli-v3.276.0`). */
    readonly name: string;
    readonly dir: string;
    /** The Go package of the command (from tools.go). */
    readonly command: string;
    /** The binary's name (`pulumi`, `pulumi-language-nodejs`). */
    readonly binary: string;
    /** The version of the module the command is in (pulumi/pulumi's, actionlint's), stamped into the binary. */
    readonly version: string;
    /** The variable the linker sets to the version (`-X <variable>=<version>`). */
    readonly versionVariable: string;
}

/**
 * Where each command keeps its version, by the module path it starts with: the Pulumi CLI and the
 * language host print nothing without it; actionlint would print "(devel)", the version of the
 * module that requires it.
 */
const VERSION_VARIABLES: readonly (readonly [string, string])[] = [
    ["github.com/pulumi/pulumi/", "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"],
    ["github.com/rhysd/actionlint/", "github.com/rhysd/actionlint.version"],
];

/** The required module a package is in (the longest module path it starts with), and its version. */
function requiredModuleOf(goMod: string, pkg: string): { path: string; version: string } | undefined {
    const required = [...goMod.matchAll(/^\s*(?:require\s+)?([\w.\-/]+\.[\w.\-/]+)\s+(v\S+)/gm)].map((m) => ({
        path: m[1],
        version: m[2],
    }));
    return required.filter((m) => pkg === m.path || pkg.startsWith(`${m.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
}

export function engineModules(dir = MODULES_DIR): EngineModule[] {
    return fs
        .readdirSync(dir)
        .sort()
        .map((name) => {
            const moduleDir = path.join(dir, name);
            const tools = fs.readFileSync(path.join(moduleDir, "tools.go"), "utf8");
            const command = /import _ "([^"]+)"/.exec(tools)?.[1];
            const goMod = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
            const version = command && requiredModuleOf(goMod, command)?.version;
            const versionVariable = command && VERSION_VARIABLES.find(([prefix]) => command.startsWith(prefix))?.[1];
            if (!command || !version || !versionVariable)
                throw new Error(
                    `${moduleDir}: tools.go must import one command, go.mod require its module, and build.ts know where its version goes`,
                );
            return { name, dir: moduleDir, command, binary: command.split("/").pop()!, version, versionVariable };
        });
}

/** The CLI builds, newest last: the versions `npm run engine -- test` runs against. */
export function cliBuilds(modules = engineModules()): EngineModule[] {
    return modules.filter((m) => m.binary === "pulumi");
}

export const binDir = (module: EngineModule) => path.join(ENGINE_DIR, module.name, "bin");

function stampOf(module: EngineModule, goVersion: string, ldflags: string): string {
    const hash = createHash("sha256");
    for (const file of ["go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(module.dir, file)));
    return hash.update(goVersion).update(ldflags).digest("hex");
}

export interface BuildResult {
    readonly module: EngineModule;
    readonly built: boolean;
    readonly seconds: number;
    readonly bytes: number;
}

/** Builds one module unless its stamp is unchanged; go.sum is checked (-mod=readonly), never rewritten. */
export function buildModule(module: EngineModule, log: (line: string) => void = console.log): BuildResult {
    const goVersion = execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).trim();
    const ldflags = `-s -w -X ${module.versionVariable}=${module.version}`;
    const out = path.join(binDir(module), module.binary);
    const stampFile = path.join(ENGINE_DIR, module.name, "stamp");
    const stamp = stampOf(module, goVersion, ldflags);
    if (fs.existsSync(out) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) {
        return { module, built: false, seconds: 0, bytes: fs.statSync(out).size };
    }
    log(`building ${module.binary} ${module.version} (${module.name}) with ${goVersion}`);
    const started = Date.now();
    const result = spawnSync("go", ["build", "-mod=readonly", "-trimpath", "-ldflags", ldflags, "-o", out, module.command], {
        cwd: module.dir,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, CGO_ENABLED: "0" },
    });
    if (result.status !== 0) throw new Error(`go build of ${module.name} failed (exit ${result.status})`);
    fs.writeFileSync(stampFile, stamp);
    return { module, built: true, seconds: (Date.now() - started) / 1000, bytes: fs.statSync(out).size };
}

export const MOTO_REQUIREMENTS = path.join(PROJECT_DIR, "proof", "engine", "moto-requirements.txt");
export const MOTO_VENV = path.join(ENGINE_DIR, "moto");

/**
 * The local AWS of the engine tier: moto's server (PyPI `moto[server]`, every package pinned in
 * moto-requirements.txt) in a virtual environment of its own, reinstalled only when the pins change.
 */
export function installMoto(log: (line: string) => void = console.log): { installed: boolean; seconds: number } {
    const stampFile = path.join(MOTO_VENV, "stamp");
    const stamp = createHash("sha256").update(fs.readFileSync(MOTO_REQUIREMENTS)).digest("hex");
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return { installed: false, seconds: 0 };
    log(`installing moto[server] (${MOTO_REQUIREMENTS}) into ${MOTO_VENV}`);
    const started = Date.now();
    fs.rmSync(MOTO_VENV, { recursive: true, force: true });
    for (const [command, args] of [
        ["python3", ["-m", "venv", MOTO_VENV]],
        [path.join(MOTO_VENV, "bin", "pip"), ["install", "--quiet", "--no-deps", "-r", MOTO_REQUIREMENTS]],
    ] as const) {
        const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
        if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
    }
    fs.writeFileSync(stampFile, stamp);
    return { installed: true, seconds: (Date.now() - started) / 1000 };
}
