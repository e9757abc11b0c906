/**
 * The pack's package.json against what it runs on. The pack has no node_modules of its own: the
 * engine starts it in its folder and Node resolves its imports from there upward, so it runs on
 * the project's installed packages. Its declared ranges must therefore be the project's, and be
 * satisfied by what the project installed (a pack asking for @pulumi/pulumi ^3.270, which needs
 * Node 22, while the project pins ~3.248 for Node 20, said something untrue).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { DEFAULT_PACK_DIR, PROJECT_DIR } from "../../ops/project";

interface PackageJson {
    readonly name: string;
    readonly version: string;
    readonly dependencies?: Record<string, string>;
    readonly engines?: { readonly node?: string };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
const root = readJson(path.join(PROJECT_DIR, "package.json"));
const pack = readJson(path.join(DEFAULT_PACK_DIR, "package.json"));
/**
 * The package.json of `name` as Node resolves it from the pack's folder: found upward from the
 * module Node resolves (a package whose `exports` omits ./package.json cannot be asked for it).
 */
function resolvedFromPack(name: string): PackageJson {
    let dir = path.dirname(require.resolve(name, { paths: [DEFAULT_PACK_DIR] }));
    while (!fs.existsSync(path.join(dir, "package.json")) || readJson(path.join(dir, "package.json")).name !== name) {
        if (path.dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${dir}`);
        dir = path.dirname(dir);
    }
    return readJson(path.join(dir, "package.json"));
}

describe("the policy pack's dependencies", () => {
    it("declares the project's own range for each dependency", () => {
        const dependencies = Object.entries(pack.dependencies ?? {});
        assert.ok(dependencies.length > 0);
        for (const [name, range] of dependencies)
            assert.equal(
                range,
                root.dependencies?.[name],
                `${name}: the pack asks for ${range}, the project for ${root.dependencies?.[name]}`,
            );
    });

    it("is satisfied by the versions the project installed, which run on the project's Node", () => {
        for (const [name, range] of Object.entries(pack.dependencies ?? {})) {
            const installed = resolvedFromPack(name);
            assert.ok(semver.satisfies(installed.version, range), `${name} ${installed.version} is installed, the pack asks for ${range}`);
            const needs = installed.engines?.node;
            if (needs && root.engines?.node)
                assert.ok(
                    semver.subset(root.engines.node, needs),
                    `${name} ${installed.version} needs Node ${needs}, the project supports ${root.engines.node}`,
                );
        }
    });
});
