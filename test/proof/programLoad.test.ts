/**
 * `pulumi up` loads this program transpile-only from settings in the project's own files, on a
 * fresh clone for every user, while `npm test` keeps the type-check (tsc). The language host's
 * decision is mirrored in proof/bench/languageHost.ts from sdk/nodejs/cmd/run/run.ts (`run`) and
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go (`parseOptions`, `execRuntime`).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { programLoad, programProcess, projectSettingsOnly, transpilesOnly } from "../../proof/bench/languageHost";
import { PROJECT_DIR } from "../../ops/project";

describe("program load under pulumi up", () => {
    it("run.ts registers the project's ts-node with transpileOnly left to tsconfig.json's \"ts-node\" section, which only transpiles (sdk/nodejs/cmd/run/run.ts)", () => {
        const load = programLoad(PROJECT_DIR, projectSettingsOnly(process.env))!;
        assert.equal(load.tsNode, "ts-node", "the SDK's vendored ts-node 7.0.1 would not read the tsconfig's ts-node section");
        assert.deepEqual([load.options.project, load.options.skipProject, load.options.transpileOnly], ["tsconfig.json", false, undefined]);
        assert.equal(transpilesOnly(load), true, "pulumi up would type-check the program");
    });

    it("PULUMI_NODEJS_TRANSPILE_ONLY=false, read before the tsconfig, still type-checks: the probe tells the two apart", () => {
        const load = programLoad(PROJECT_DIR, { ...projectSettingsOnly(process.env), PULUMI_NODEJS_TRANSPILE_ONLY: "false" })!;
        assert.equal(load.options.transpileOnly, false);
        assert.equal(transpilesOnly(load), false);
    });

    it("the installed SDK's run.js still decides as mirrored: the environment switch, then the tsconfig's noCheck, then ts-node's own options", () => {
        const runJs = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run/run.js"), "utf8");
        for (const mirrored of [
            'process.env["PULUMI_NODEJS_TRANSPILE_ONLY"]',
            "transpileOnly = compilerOptions.noCheck",
            "project: tsConfigPath",
            "tsn.register(options)",
        ]) {
            assert.ok(runJs.includes(mirrored), `run.js no longer has ${mirrored}: check proof/bench/languageHost.ts against it`);
        }
    });

    it("npm test keeps the type-check: tsc over tsconfig.json, which does not set noCheck", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
        assert.match(scripts.test, /npm run -s typecheck/);
        // Incremental: tsc keeps each file's diagnostics in .cache/tsc/ and re-checks what changed
        // and what depends on it, reporting the kept errors again (a second run still fails).
        assert.match(scripts.typecheck, /^tsc --noEmit (--incremental --tsBuildInfoFile \.cache\/tsc\/\S+ )?-p tsconfig\.json$/);
        const tsconfig = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "tsconfig.json"), "utf8"));
        assert.equal(tsconfig.compilerOptions.noCheck, undefined);
    });

    it("starts the program process as the language host does for a stack: TypeScript on, the stack's config, the entry point from Pulumi.yaml", () => {
        const launch = programProcess(
            PROJECT_DIR,
            "dev",
            { "cross-account-models:program": "hosting", "aws:region": "us-east-1" },
            "127.0.0.1:1",
        );
        assert.equal(launch.env.PULUMI_NODEJS_TYPESCRIPT, "true");
        assert.deepEqual(JSON.parse(launch.env.PULUMI_CONFIG), {
            "cross-account-models:config:program": "hosting",
            "aws:config:region": "us-east-1",
        });
        assert.deepEqual(launch.args.slice(-7), ["--project", "cross-account-models", "--stack", "dev", "--pwd", PROJECT_DIR, "index.ts"]);
        assert.equal(launch.program, path.join(PROJECT_DIR, "index.ts"));
    });
});
