/**
 * A backend this user may not write (a file backend folder without write permission; the stand-in
 * answers with the real CLI 3.212.0's text): the online commands say so in one line naming the
 * backend and what could not be written, instead of the Automation API's CommandError dump.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "../../ops/cli/args";
import { SPEC, main } from "../../ops/env";
import { AutomationWorkspace, BackendNotWritable, backendRefusal } from "../../ops/stacks/automation";
import { buildGraph } from "../../ops/stacks/graph";
import { withEnvironmentLock } from "../../ops/stacks/lock";
import { orchestrate } from "../../ops/stacks/runner";
import { automationStackTags, lazyWorkspace } from "../../ops/stacks/stackTags";
import { eachTestStandIn } from "../standin/harness";

const researchOnly = buildGraph(["research"], new Map([["research", []]]));
const ONE_LINE =
    /^The backend file:\/\/\S+ is not writable: could not write .+: permission denied\. Give this user write access to it, or name another backend with --backend or PULUMI_BACKEND_URL\.$/;
/** What the Automation API's CommandError adds around the CLI's output. */
const DUMP = /code: |stdout: |stderr: |err\?: |Command failed with exit code|\n/;

describe("a backend that cannot be written", function () {
    this.timeout(60_000);
    const stand = eachTestStandIn({ research: { resources: [{ name: "models", type: "aws:kms/key:Key" }] } });
    const workspaceOf = (dir: string) =>
        new AutomationWorkspace({ projectDir: dir, backendUrl: stand().backendUrl, policyPacks: [], policyPackConfigs: [] });

    // The texts of CLI 3.212.0 run by a user without write access to a file backend's folder, and
    // of the same with a read-only mount and chattr +i (what root sees).
    it("reads the CLI's refusals, whatever the write and the cause", () => {
        const backend = "file:///srv/state";
        for (const [text, what, cause] of [
            [
                `error: could not create stack: blob (key ".pulumi/locks/organization/cross-account-models/dev/7d0ae6a2-020e-4231-bf10-158eb2fb6533.json") (code=Unknown): mkdir /srv/state/.pulumi/locks/organization/cross-account-models/dev: permission denied`,
                "stack dev's lock file",
                "permission denied",
            ],
            [
                `error: failed to save stack tags: failed to write stack tags: blob (key ".pulumi/stacks/cross-account-models/research.pulumi-tags") (code=Unknown): open /srv/state/.pulumi/stacks/cross-account-models/research.pulumi-tags.18edb0084c120109.tmp: read-only file system`,
                "stack research's tags",
                "read-only file system",
            ],
            [
                `error: blob (key ".pulumi/locks/organization/cross-account-models/research/76450281-0d73-406b-9970-44ec73a70323.json") (code=Unknown): open /srv/state/.pulumi/locks/organization/cross-account-models/research/76450281-0d73-406b-9970-44ec73a70323.json.18edb00eacf37aa9.tmp: operation not permitted`,
                "stack research's lock file",
                "operation not permitted",
            ],
        ]) {
            const refused = backendRefusal(new Error(`code: 255\n stdout: \n stderr: ${text}\n err?: Error: ...`), backend);
            assert.ok(refused instanceof BackendNotWritable, text);
            assert.match(
                refused.message,
                new RegExp(`^The backend file:///srv/state is not writable: could not write ${what} \\(\\.pulumi/`),
            );
            assert.match(refused.message, new RegExp(`: ${cause}\\. Give this user write access`));
        }
        assert.equal(backendRefusal(new Error("error: no stack named 'dev' found"), backend), undefined);
    });

    it("a first up: the new stack cannot be created", async () => {
        const workspace = workspaceOf(stand().checkout("a"));
        stand().readOnlyBackend();
        await assert.rejects(orchestrate({ command: "up", graph: researchOnly, feedback: new Map(), workspace }), (err: Error) => {
            assert.ok(err instanceof BackendNotWritable, err.message);
            assert.match(err.message, ONE_LINE);
            assert.match(
                err.message,
                /could not write stack research's lock file \(\.pulumi\/locks\/organization\/cross-account-models\/research\//,
            );
            return true;
        });
    });

    it("an up on existing stacks: previewed (a preview writes nothing), then the stack's failure is the one line", async () => {
        const workspace = workspaceOf(stand().checkout("a"));
        await workspace.ensureStacks(["research"]);
        stand().readOnlyBackend();
        const result = await orchestrate({ command: "up", graph: researchOnly, feedback: new Map(), workspace });
        assert.equal(result.outcomes[0].status, "failed");
        assert.match(result.outcomes[0].error!, ONE_LINE);
        assert.doesNotMatch(result.outcomes[0].error!, DUMP);
        assert.deepEqual(
            stand()
                .commands()
                .filter((c) => /^(preview|up) /.test(c)),
            ["preview research", "up research --skip-preview"],
        );
    });

    it("the environment lock: the record cannot be written on the research stack's tags", async () => {
        const dir = stand().checkout("a");
        await workspaceOf(dir).ensureStacks(["research"]);
        stand().readOnlyBackend();
        const lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
        try {
            const tags = automationStackTags(lazyWorkspace({ projectDir: dir, backendUrl: stand().backendUrl }));
            await assert.rejects(
                withEnvironmentLock(
                    { backendUrl: stand().backendUrl, stack: "research", tags, lockDir, log: () => undefined },
                    "up",
                    async () => assert.fail("ran"),
                ),
                (err: Error) =>
                    err instanceof BackendNotWritable &&
                    ONE_LINE.test(err.message) &&
                    /could not write stack research's tags \(\.pulumi\/stacks\/cross-account-models\/research\.pulumi-tags\)/.test(
                        err.message,
                    ),
            );
        } finally {
            fs.rmSync(lockDir, { recursive: true, force: true });
        }
    });

    it("`npm run env -- bootstrap` prints the one line and exits 1, with no CommandError dump", async () => {
        stand().readOnlyBackend();
        const out: string[] = [];
        const errors: string[] = [];
        const log = console.log;
        console.log = (line: string) => out.push(line);
        try {
            const code = await runCommand(SPEC, ["bootstrap", "bootstrap-dev", "--yes", "--backend", stand().backendUrl], main, {
                out: (l) => out.push(l),
                err: (l) => errors.push(l),
            });
            assert.equal(code, 1, [...out, ...errors].join("\n"));
        } finally {
            console.log = log;
        }
        assert.equal(errors.length, 1, errors.join("\n"));
        assert.match(errors[0], ONE_LINE);
        assert.doesNotMatch(errors[0], DUMP);
    });
});
