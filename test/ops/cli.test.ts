/** The commands' one argument parser: usage errors exit 2 in one line, --help exits 0 before any work, the same flags everywhere. */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { parseCommand, requireKnownStacks, runCommand } from "../../ops/cli/args";
import { UsageError, UserError } from "../../ops/cli/errors";
import { withUpstream } from "../../ops/stacks/graph";
import { envCommand } from "../../ops/env";
import { planStacks } from "../../proof/plan/command";
import { accountCounts, benchParts } from "../../proof/bench/command";

const SPEC = { usage: "npm run plan --", help: "Usage: plan", options: { out: { type: "string" }, approve: { type: "boolean" } } } as const;
const STACKS = ["dev", "org", "prod", "research"];

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) } };
}

describe("command line", () => {
    it("takes --name value and --name=value, and refuses unknown flags and missing values naming the flag", () => {
        assert.deepEqual(parseCommand(SPEC, ["--out=reports/x", "dev"]).values, { out: "reports/x" });
        assert.deepEqual(parseCommand(SPEC, ["--out", "reports/x", "dev"]).positionals, ["dev"]);
        assert.throws(
            () => parseCommand(SPEC, ["-s", "dev"]),
            (e: Error) => e instanceof UsageError && e.message === "Unknown option '-s'; see npm run plan -- --help",
        );
        assert.throws(() => parseCommand(SPEC, ["--out"]), /Option '--out <value>' argument missing; see npm run plan -- --help/);
        assert.throws(() => parseCommand(SPEC, ["--approve=yes"]), /'--approve' does not take an argument/);
    });

    it("prints help and exits 0 without running the command", async () => {
        const { out, io } = capture();
        let ran = false;
        assert.equal(
            await runCommand(
                SPEC,
                ["dev", "--help"],
                async () => {
                    ran = true;
                    return 0;
                },
                io,
            ),
            0,
        );
        assert.deepEqual(out, ["Usage: plan"]);
        assert.equal(ran, false);
    });

    it("exits 2 with one line on a usage error, 1 with the message on any other, and shows the trace only with --debug", async () => {
        const usage = capture();
        assert.equal(await runCommand(SPEC, ["--nope"], async () => 0, usage.io), 2);
        assert.deepEqual(usage.err, ["Unknown option '--nope'; see npm run plan -- --help"]);
        const failing = async () => {
            throw new Error("bucket not found");
        };
        const plain = capture();
        assert.equal(await runCommand(SPEC, [], failing, plain.io), 1);
        assert.equal(plain.err.join("\n"), "error: bucket not found\n(run with --debug for the stack trace)");
        const prerequisite = capture();
        assert.equal(
            await runCommand(
                SPEC,
                [],
                async () => {
                    throw new UserError("PULUMI_CONFIG_PASSPHRASE is not set");
                },
                prerequisite.io,
            ),
            1,
        );
        assert.deepEqual(prerequisite.err, ["PULUMI_CONFIG_PASSPHRASE is not set"], "a user error is its message alone");
        const debug = capture();
        assert.equal(await runCommand(SPEC, ["--debug"], failing, debug.io), 1);
        assert.match(debug.err[0], /^Error: bucket not found\n\s+at /);
    });

    it("refuses unknown stacks, naming the ones there are", () => {
        requireKnownStacks(["dev", "prod"], STACKS);
        assert.throws(
            () => requireKnownStacks(["dve"], STACKS),
            (e: Error) => e instanceof UsageError && /unknown stack "dve" \(stacks: dev, org, prod, research/.test(e.message),
        );
    });

    it("env: refuses an unknown command, a flag the command does not take, and unknown stacks in any position", () => {
        const args = (argv: string[]) =>
            parseCommand(
                {
                    usage: "npm run env --",
                    help: "",
                    options: {
                        to: { type: "string" },
                        staging: { type: "string" },
                        abandon: { type: "boolean" },
                        yes: { type: "boolean" },
                    },
                },
                argv,
            );
        assert.deepEqual(envCommand(args(["up", "dev", "prod"]), STACKS, true), { command: "up", stacks: ["dev", "prod"] });
        assert.throws(() => envCommand(args(["deploy"]), STACKS), /unknown command "deploy"/);
        assert.throws(() => envCommand(args(["up", "--to=x"]), STACKS), /up does not take --to/);
        assert.throws(() => envCommand(args(["up", "dve"]), STACKS), /unknown stack "dve"/);
        assert.throws(() => envCommand(args(["rollout", "--to", "x", "--staging=stagng"]), STACKS), /unknown stack "stagng"/);
        assert.throws(() => envCommand(args(["promote", "prod"]), STACKS), /promote needs --to/);
        assert.throws(() => envCommand(args(["rollback"]), STACKS), /rollback takes one stack/);
        assert.deepEqual(envCommand(args(["promote", "prod", "--abandon"]), STACKS), { command: "promote", stacks: ["prod"] });
    });

    it("env: approve-package needs --package and --approver, takes at most one (research) stack and none of the rollout's flags", () => {
        const args = (argv: string[]) =>
            parseCommand(
                {
                    usage: "npm run env --",
                    help: "",
                    options: {
                        package: { type: "string" },
                        approver: { type: "string" },
                        reject: { type: "boolean" },
                        to: { type: "string" },
                    },
                },
                argv,
            );
        const pkg = ["--package", "arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/5"];
        assert.deepEqual(envCommand(args(["approve-package", ...pkg, "--approver", "alice"]), STACKS), {
            command: "approve-package",
            stacks: [],
        });
        assert.deepEqual(envCommand(args(["approve-package", "research", ...pkg, "--approver=bob", "--reject"]), STACKS).stacks, [
            "research",
        ]);
        for (const missing of [pkg, ["--approver", "alice"]]) {
            assert.throws(
                () => envCommand(args(["approve-package", ...missing]), STACKS),
                (e: Error) =>
                    e instanceof UsageError && /approve-package needs --package <model package ARN> and --approver <name>/.test(e.message),
            );
        }
        assert.throws(
            () => envCommand(args(["approve-package", "research", "dev", ...pkg, "--approver", "a"]), STACKS),
            /at most one stack/,
        );
        assert.throws(
            () => envCommand(args(["approve-package", ...pkg, "--approver", "a", "--to", "x"]), STACKS),
            /approve-package does not take --to/,
        );
        assert.throws(() => envCommand(args(["rollout", "--to", "x", "--approver", "a"]), STACKS), /rollout does not take --approver/);
    });

    it("env: up and destroy without a terminal need --yes, refused before any work", () => {
        const args = (argv: string[]) => parseCommand({ usage: "npm run env --", help: "", options: { yes: { type: "boolean" } } }, argv);
        for (const command of ["up", "destroy"]) {
            assert.throws(
                () => envCommand(args([command]), STACKS, false),
                (e: Error) => e instanceof UsageError && /without one \(CI\) pass --yes/.test(e.message),
            );
            assert.deepEqual(envCommand(args([command, "--yes"]), STACKS, false).command, command);
        }
        assert.deepEqual(envCommand(args(["preview"]), STACKS, false).command, "preview");
    });

    it("plan <stack> pulls in the stacks it reads through StackReferences, transitively", async () => {
        const upstream: Record<string, string[]> = { prod: ["organization/cross-account-models/research"], research: ["org"], org: [] };
        assert.deepEqual(await withUpstream(["prod"], async (s) => upstream[s]), ["prod", "research", "org"]);
        assert.deepEqual(await planStacks(["dev"]), ["dev", "research"]);
        await assert.rejects(planStacks(["dve"]), /unknown stack "dve"/);
    });

    it("bench runs the parts --only names, and refuses an unknown one before minutes of work", () => {
        assert.deepEqual([...benchParts("load")], ["load"]);
        assert.deepEqual([...benchParts(undefined, true)], ["plan", "generated", "proof", "load"], "--skip-pack leaves out the part pack");
        assert.throws(() => benchParts("pack", true), /--skip-pack leaves nothing of --only pack to run/);
        assert.throws(
            () => benchParts("lod"),
            (e: Error) =>
                e instanceof UsageError &&
                /--only takes parts separated by commas, of plan, pack, generated, proof, load; got "lod"/.test(e.message),
        );
    });

    it("bench refuses a malformed --accounts before minutes of work", () => {
        assert.deepEqual(accountCounts("5, 10"), [5, 10]);
        assert.deepEqual(accountCounts(undefined), [10, 50, 100]);
        assert.throws(() => accountCounts("5,x"), /--accounts takes positive whole numbers/);
    });

    // One spawn only (each is a ts-node start-up); --help before any work is covered through runCommand above.
    it("as a script: policy with an unknown stack exits 2 with one line and no work (a CI gate cannot pass on a typo)", async function () {
        this.timeout(60_000);
        const root = path.resolve(__dirname, "../..");
        const run = (script: string, argv: string[]) =>
            new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
                const child = spawn(
                    process.execPath,
                    [path.join(root, "node_modules/ts-node/dist/bin.js"), "--transpile-only", path.join(root, "scripts", script), ...argv],
                    { cwd: root },
                );
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d) => (stdout += d));
                child.stderr.on("data", (d) => (stderr += d));
                child.on("close", (code) => resolve({ code, stdout, stderr }));
            });
        const policy = await run("check-policies.ts", ["dve"]);
        assert.equal(policy.code, 2);
        assert.equal(
            policy.stderr.trim(),
            'unknown stack "dve" (stacks: bootstrap-dev, bootstrap-org, bootstrap-prod, bootstrap-research, dev, org, prod, research; each is a Pulumi.<stack>.yaml)',
        );
        assert.equal(policy.stdout, "", "no header, no work");
    });
});
