/**
 * `npm run engine -- <build|test|lint-workflows>`: the real Pulumi engine tier. `build` builds the
 * pinned CLIs, the Node.js language host and actionlint from Go modules (proof/engine/build.ts);
 * `test` runs the environment through each built CLI (proof/engine/test.ts); `lint-workflows`
 * checks the example pipeline with actionlint (proof/engine/lintWorkflows.ts). Needs Go; `npm test`
 * never does.
 */
import * as fs from "fs";
import * as path from "path";
import { ParsedArgs } from "../../ops/cli/args";
import { UsageError } from "../../ops/cli/errors";
import { ENGINE_DIR, buildModule, engineModules, installMoto } from "./build";

export const SPEC = {
    usage: "npm run engine --",
    help: `Usage: npm run engine -- <command>

Commands:
  build   build, from the Go modules pinned in proof/engine/modules/ (go.mod and go.sum), the
          Pulumi CLIs, the Node.js language host and actionlint into .engine/<module>/bin/; a
          module whose pins are unchanged is not rebuilt
  test [--cli <version>]
          run the environment through each built CLI (or the one named, e.g. 3.212.0) on a
          fresh file backend (needs build)
  lint-workflows
          check the example pipeline (examples/github-actions/) with the built actionlint
          (needs build); a few seconds

Needs Go (go.mod names the version) and the Go module proxy. Exit codes: 0 done, 1 a failure,
2 a usage error.`,
    options: { cli: { type: "string" } },
} as const;

/** The disk a folder takes, in bytes. */
function diskUsage(dir: string): number {
    if (!fs.existsSync(dir)) return 0;
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .map((f) => fs.lstatSync(path.join(dir, f)))
        .filter((s) => s.isFile())
        .reduce((sum, s) => sum + s.size, 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function build(): number {
    const started = Date.now();
    for (const module of engineModules()) {
        const result = buildModule(module);
        console.log(
            `${module.name}: ${result.built ? `built in ${result.seconds.toFixed(0)} s` : "up to date (pins unchanged)"}, ${module.binary} ${mb(result.bytes)}`,
        );
    }
    const moto = installMoto();
    console.log(`moto: ${moto.installed ? `installed in ${moto.seconds.toFixed(0)} s` : "up to date (pins unchanged)"}`);
    console.log(`engine build: ${((Date.now() - started) / 1000).toFixed(0)} s; .engine/ holds ${mb(diskUsage(ENGINE_DIR))}`);
    return 0;
}

export async function main({ positionals, values }: ParsedArgs<typeof SPEC.options>): Promise<number> {
    const [command, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`${command} takes no arguments; see ${SPEC.usage} --help`);
    if (values.cli !== undefined && command !== "test") throw new UsageError(`--cli goes with test; see ${SPEC.usage} --help`);
    if (command === "build") return build();
    if (command === "test") return (await import("./test")).engineTest(values.cli);
    if (command === "lint-workflows") return (await import("./lintWorkflows")).lintWorkflows();
    throw new UsageError(
        `${command === undefined ? "a command is needed" : `unknown command "${command}"`} (build, test, lint-workflows); see ${SPEC.usage} --help`,
    );
}
