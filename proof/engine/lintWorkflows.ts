/**
 * `npm run engine -- lint-workflows`: the example pipeline (examples/github-actions/) checked by
 * actionlint, built like the engine from a pinned Go module (proof/engine/modules/actionlint-*;
 * `npm run engine -- build`). actionlint checks the workflow's syntax, its expressions and their
 * types (a job output or matrix value that does not exist, a context used where GitHub does not
 * offer it), the inputs of the actions it knows, and, when shellcheck is on PATH, the `run:`
 * scripts. First it is shown to catch a mistake: a copy of the workflow reading a job output
 * nobody declares must fail.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../ops/cli/errors";
import { PROJECT_DIR } from "../../ops/project";
import { binDir, engineModules } from "./build";

export const WORKFLOWS_DIR = path.join(PROJECT_DIR, "examples", "github-actions");

/** The built actionlint and its version, or an error saying to build it. */
export function actionlint(): { bin: string; version: string } {
    const module = engineModules().find((m) => m.binary === "actionlint");
    if (!module) throw new Error("no actionlint module in proof/engine/modules/");
    const bin = path.join(binDir(module), "actionlint");
    if (!fs.existsSync(bin)) throw new UserError(`actionlint ${module.version} is not built: npm run engine -- build`);
    const version = spawnSync(bin, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
    return { bin, version };
}

function run(bin: string, files: readonly string[]): { status: number; output: string } {
    // No colours: the output goes to a CI log.
    const result = spawnSync(bin, ["-no-color", ...files], { cwd: PROJECT_DIR, encoding: "utf8" });
    return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

const onPath = (command: string) =>
    (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));

export function lintWorkflows(): number {
    const { bin, version } = actionlint();
    const files = fs
        .readdirSync(WORKFLOWS_DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(WORKFLOWS_DIR, f));
    if (files.length === 0) throw new Error(`no workflow in ${WORKFLOWS_DIR}`);
    const extras = ["shellcheck", "pyflakes"].map(
        (c) => `${c} ${onPath(c) ? "on PATH: its checks run" : "not on PATH: its checks skipped"}`,
    );
    console.log(`actionlint ${version} (${bin}); ${extras.join("; ")}`);

    // The checker catches a mistake: a copy reading a job output no job declares.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-workflows-"));
    try {
        const broken = path.join(dir, "broken.yml");
        const text = fs.readFileSync(files[0], "utf8");
        fs.writeFileSync(broken, text.replace(/needs\.matrix\.outputs\.matrix/g, "needs.matrix.outputs.stacks"));
        const caught = run(bin, [broken]);
        const named = /property "stacks" is not defined/.test(caught.output);
        console.log(
            `${caught.status !== 0 && named ? "ok  " : "FAIL"} a copy reading an undeclared job output is refused (exit ${caught.status})`,
        );
        if (caught.status === 0 || !named) {
            console.log(caught.output);
            return 1;
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }

    const result = run(bin, files);
    if (result.output.trim()) console.log(result.output.trimEnd());
    const names = files.map((f) => path.relative(PROJECT_DIR, f)).join(", ");
    console.log(
        `${result.status === 0 ? "ok  " : "FAIL"} ${names}: ${result.status === 0 ? "no problem found" : `actionlint exit ${result.status}`}`,
    );
    return result.status === 0 ? 0 : 1;
}
