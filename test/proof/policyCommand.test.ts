/**
 * `npm run policy` over a copy of the stack files with one of them broken: the command exits 1, and
 * the configuration error is reported once, at the stack whose file holds it; the bootstrap stacks,
 * whose programs read every other stack file, are reported as not run because of that file.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../proof/pack/command";
import { runEnvironment } from "../../proof/runtime/runEnvironment";
import { PROJECT_DIR } from "../../ops/project";

const BOOTSTRAP = ["bootstrap-dev", "bootstrap-org", "bootstrap-prod", "bootstrap-research"];

/** A fresh folder with a copy of the project's stack files, `edit` applied to each file's text. */
function copyOfStackFiles(edit: (file: string, text: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-stacks-"));
    for (const file of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
        fs.writeFileSync(path.join(dir, file), edit(file, fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")));
    }
    return dir;
}

/** Runs `f` with console.log and console.error captured, as lines. */
async function captured<T>(f: () => Promise<T>): Promise<{ result: T; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const saved = { log: console.log, error: console.error };
    console.log = (...args: unknown[]) => out.push(args.join(" "));
    console.error = (...args: unknown[]) => err.push(args.join(" "));
    try {
        return { result: await f(), out, err };
    } finally {
        Object.assign(console, saved);
    }
}

describe("npm run policy with a broken stack file", function () {
    this.timeout(60_000);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    const copy = (edit: (file: string, text: string) => string) => {
        const dir = copyOfStackFiles(edit);
        dirs.push(dir);
        return dir;
    };

    it("exits 1 on a typo in Pulumi.dev.yaml, reporting it once, at dev, and the bootstrap stacks as not run because of that file", async () => {
        const dir = copy((file, text) =>
            file === "Pulumi.dev.yaml" ? text.replace("cross-account-models:modelImport:", "cross-account-models:modelImprot:") : text,
        );
        const { result, err } = await captured(() => main({ values: {}, positionals: [], help: false, debug: false }, dir));
        assert.equal(result, 1);
        const text = err.join("\n");
        // The error once, at dev; no other stack's line repeats it.
        assert.equal(text.split(`"modelImport"?`).length - 1, 1, text);
        const failed = err.filter((l) => / failed: /.test(l));
        assert.equal(failed.length, 1, text);
        assert.match(failed[0], /^dev failed: .*Invalid configuration in Pulumi\.dev\.yaml:/);
        assert.ok(text.includes(`cross-account-models:modelImprot: is not a setting of hosting stacks; did you mean "modelImport"?`));
        for (const stack of BOOTSTRAP) {
            assert.ok(
                err.includes(
                    `${stack} skipped: not run: its deployment role's scope is read from every other stack file, and Pulumi.dev.yaml is invalid (reported at dev)`,
                ),
                text,
            );
        }
        for (const stack of ["org", "research", "prod"])
            assert.ok(
                err.some((l) => l.startsWith(`${stack} skipped: not run: `)),
                text,
            );
        assert.equal(err[err.length - 1].trim(), "8 stack(s) failed or were not run: not checked, so the policy check fails");
    });

    it("reports a stack file that is not YAML once, at its stack, which the bootstrap stacks wait for", async () => {
        const dir = copy((file, text) => (file === "Pulumi.prod.yaml" ? text.replace("config:", "config:\n  - oops: [") : text));
        const env = await runEnvironment(["research", "dev", "prod"], {}, { projectDir: dir });
        assert.deepEqual([...env.failures.keys()], ["prod"]);
        assert.match(env.failures.get("prod")!.message, /Invalid configuration in Pulumi\.prod\.yaml:\n {2}- line \d+: is not valid YAML/);
        // prod reads nothing while its file is unreadable; the bootstrap stacks of the run wait for it.
        assert.deepEqual(env.graph.levels[0], ["prod"]);
        for (const stack of ["bootstrap-research", "bootstrap-dev"]) {
            assert.match(env.skipped.get(stack)!, /Pulumi\.prod\.yaml is invalid \(reported at prod\)$/);
        }
        assert.deepEqual([...env.runs.keys()], []);
    });
});
