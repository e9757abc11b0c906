/**
 * The project's import graph, read from the sources as text (static imports, `export ... from`,
 * `require` and dynamic `import()` of literal paths): what the folder rules in test/layout.test.ts
 * are checked over. Paths are relative to the root given, with "/" separators.
 */
import * as fs from "fs";
import * as path from "path";

export interface ModuleImports {
    /** Project modules this one imports. */
    readonly modules: readonly string[];
    /** Packages it imports (`@scope/name` or `name`; node: built-ins included). */
    readonly packages: readonly string[];
}

const IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)["']([^"']+)["']/g;

const packageOf = (spec: string) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);

/** The direct imports of one module. */
export function importsOf(root: string, module: string): ModuleImports {
    const file = path.join(root, module);
    const modules: string[] = [];
    const packages: string[] = [];
    for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
        if (!spec.startsWith(".")) {
            packages.push(packageOf(spec));
            continue;
        }
        const base = path.resolve(path.dirname(file), spec);
        const found = [`${base}.ts`, `${base}.js`, path.join(base, "index.ts"), base].find(
            (f) => fs.existsSync(f) && fs.statSync(f).isFile(),
        );
        if (found) modules.push(path.relative(root, found).split(path.sep).join("/"));
    }
    return { modules, packages };
}

/** Every module reachable from `entry`, itself included, with the packages each imports. */
export function closureOf(root: string, entry: string): Map<string, ModuleImports> {
    const seen = new Map<string, ModuleImports>();
    const pending = [entry];
    while (pending.length > 0) {
        const module = pending.pop()!;
        if (seen.has(module)) continue;
        const imports = importsOf(root, module);
        seen.set(module, imports);
        pending.push(...imports.modules);
    }
    return seen;
}

/** The TypeScript and JavaScript modules under `dir` (relative to root), node_modules aside. */
export function modulesUnder(root: string, dir: string): string[] {
    const start = path.join(root, dir);
    if (!fs.existsSync(start)) return [];
    return fs
        .readdirSync(start, { recursive: true, encoding: "utf8" })
        .filter((f) => /\.(ts|js)$/.test(f) && !f.split(path.sep).includes("node_modules"))
        .map((f) => path.join(dir, f).split(path.sep).join("/"));
}
