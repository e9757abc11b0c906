/**
 * The licence boundary: @cloud-copilot/iam-* (AGPL-3.0) serve only the offline plan (lib/access,
 * offline/) and the tests, as devDependencies. The deployed program (index.ts and every module it
 * imports, transitively) must never import them or the offline-only code that does.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../ops/project";

/** The project's modules reachable from `entry` through static imports and requires, and the packages they name. */
function reachable(entry: string): { modules: string[]; packages: Set<string> } {
    const modules: string[] = [];
    const packages = new Set<string>();
    const visit = (file: string) => {
        if (modules.includes(file)) return;
        modules.push(file);
        const source = fs.readFileSync(file, "utf8");
        for (const [, spec] of source.matchAll(/(?:\bfrom\s+|\bimport\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)) {
            if (!spec.startsWith(".")) {
                packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
                continue;
            }
            const base = path.resolve(path.dirname(file), spec);
            const found = [`${base}.ts`, `${base}.js`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
            if (found) visit(found);
        }
    };
    visit(entry);
    return { modules: modules.map((m) => path.relative(PROJECT_DIR, m)), packages };
}

describe("licence boundary", () => {
    const program = reachable(path.join(PROJECT_DIR, "index.ts"));

    it("the deployed program imports no @cloud-copilot package and none of the offline plan's or tests' modules", () => {
        assert.ok(program.modules.includes(path.join("stacks", "hosting.ts")), program.modules.join("\n"));
        assert.deepEqual(
            [...program.packages].filter((p) => p.startsWith("@cloud-copilot/")),
            [],
        );
        assert.deepEqual(
            program.modules.filter((m) => ["proof/", "ops/", "test/"].some((dir) => m.startsWith(dir))),
            [],
        );
    });

    it("sees an import of the simulator where there is one (the walk itself works)", () => {
        const plan = reachable(path.join(PROJECT_DIR, "proof", "plan", "plan.ts"));
        assert.ok(plan.packages.has("@cloud-copilot/iam-simulate"), [...plan.packages].join(", "));
    });

    it("the simulator is a devDependency only, and the lock marks every @cloud-copilot package dev", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
        assert.deepEqual(
            Object.keys(manifest.dependencies).filter((d) => d.startsWith("@cloud-copilot/")),
            [],
        );
        assert.ok(manifest.devDependencies["@cloud-copilot/iam-simulate"]);
        const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));
        const scoped = Object.entries<{ dev?: boolean }>(lock.packages).filter(([p]) => p.startsWith("node_modules/@cloud-copilot/"));
        assert.ok(scoped.length > 0);
        assert.deepEqual(
            scoped.filter(([, entry]) => entry.dev !== true).map(([p]) => p),
            [],
        );
    });
});
