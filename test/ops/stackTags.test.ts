/**
 * Stack tags on the file (diy) backend, by CLI version, and the keeper tag that makes removals
 * work on every supported CLI. pkg/backend/diy/stack_tags.go: tags are kept from 3.211.0 (before,
 * diy UpdateStackTags returned "stack tags not supported in diy mode"); saveStackTags skips an
 * empty tag set (`if len(tags) == 0 { return nil }`, v3.212.0 and v3.248.0, fixed in 3.249.0 by
 * pulumi/pulumi#23702), so `pulumi stack tag rm` of a stack's last tag succeeds and leaves it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LOCK_TAG, withEnvironmentLock } from "../../ops/stacks/lock";
import { KEEPER_TAG, StackTags, automationStackTags, keepingLastTag, lazyWorkspace, memoryStackTags } from "../../ops/stacks/stackTags";
import { tagStateStore } from "../../ops/stacks/stateStore";
import { eachTestStandIn } from "../standin/harness";

const ROLLOUT = { packages: ["arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/5"], done: ["staging"] };

describe("stack tags", () => {
    describe("removing a stack's last tag (diy backend before CLI 3.249.0, emulated in memory)", () => {
        it("the emulation: removing the last tag leaves it, so a cleared record would still be there", async () => {
            const raw = memoryStackTags({ keepsLastTag: true });
            const store = tagStateStore(raw);
            await store.save("research", "rollout", ROLLOUT);
            await store.clear("research", "rollout");
            assert.deepEqual(await store.load("research", "rollout"), ROLLOUT, "what the CLI does without the keeper tag");
        });

        it("with the keeper tag a cleared record is gone, and only the keeper stays", async () => {
            const raw = memoryStackTags({ keepsLastTag: true });
            const store = tagStateStore(keepingLastTag(raw));
            await store.save("research", "rollout", ROLLOUT);
            assert.deepEqual(await store.load("research", "rollout"), ROLLOUT);
            await store.clear("research", "rollout");
            assert.equal(await store.load("research", "rollout"), undefined);
            assert.deepEqual(Object.keys(raw.tags.research), [KEEPER_TAG]);
        });

        it("a released lock record is gone, so the next operation is not refused", async () => {
            const lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
            try {
                const raw = memoryStackTags({ keepsLastTag: true });
                raw.tags.research = {};
                const options = {
                    backendUrl: "file:///shared",
                    stack: "research",
                    tags: keepingLastTag(raw),
                    lockDir,
                    log: () => undefined,
                };
                await withEnvironmentLock(options, "up research", async () => assert.ok(raw.tags.research[LOCK_TAG]));
                assert.equal(raw.tags.research[LOCK_TAG], undefined);
                // A second machine sees no holder.
                const other = { ...options, identity: { user: "bob", host: "ci-runner-7", pid: 4242 } };
                assert.equal(await withEnvironmentLock(other, "promote prod", async () => "ran"), "ran");
            } finally {
                fs.rmSync(lockDir, { recursive: true, force: true });
            }
        });

        it("sets the keeper once per stack, and never removes it", async () => {
            const raw = memoryStackTags({ keepsLastTag: true });
            const calls: string[] = [];
            const counted: StackTags = {
                list: (s) => (calls.push(`list ${s}`), raw.list(s)),
                set: (s, n, v) => (calls.push(`set ${s} ${n}`), raw.set(s, n, v)),
                remove: (s, n) => (calls.push(`rm ${s} ${n}`), raw.remove(s, n)),
            };
            const tags = keepingLastTag(counted);
            await tags.set("research", "cam.a", "1");
            await tags.set("research", "cam.b", "2");
            await tags.remove("research", "cam.a");
            await tags.remove("research", "cam.b");
            assert.deepEqual(calls, [
                "list research",
                `set research ${KEEPER_TAG}`,
                "set research cam.a",
                "set research cam.b",
                "rm research cam.a",
                "rm research cam.b",
            ]);
            await assert.rejects(tags.remove("research", KEEPER_TAG), /kept on purpose/);
            assert.deepEqual(raw.tags.research, { [KEEPER_TAG]: "kept" });
        });
    });

    describe("through the stand-in CLI, by version", function () {
        this.timeout(60_000);
        const stand = eachTestStandIn();
        const saved = process.env.STANDIN_VERSION;
        afterEach(() => (saved === undefined ? delete process.env.STANDIN_VERSION : (process.env.STANDIN_VERSION = saved)));

        async function researchStack() {
            const workspace = lazyWorkspace({ projectDir: stand().checkout("a"), backendUrl: stand().backendUrl });
            await (await workspace()).createStack("research");
            return workspace;
        }

        it("before 3.211.0 the diy backend keeps no tags: `stack tag set` fails with the CLI's message", async () => {
            process.env.STANDIN_VERSION = "v3.210.0";
            const workspace = await researchStack();
            await assert.rejects((await workspace()).setTag("research", LOCK_TAG, "{}"), /error: stack tags not supported in diy mode/);
            assert.equal(await (await workspace()).listTags("research"), null);
        });

        it("3.212.0 leaves the last tag on `stack tag rm`; 3.249.0 removes it", async () => {
            for (const [version, left] of [
                ["v3.212.0", { [LOCK_TAG]: "{}" }],
                ["v3.249.0", {}],
            ] as const) {
                process.env.STANDIN_VERSION = version;
                const workspace = await researchStack();
                await (await workspace()).setTag("research", LOCK_TAG, "{}");
                await (await workspace()).removeTag("research", LOCK_TAG);
                assert.deepEqual(await (await workspace()).listTags("research"), left, version);
                await (await workspace()).removeStack("research").catch(() => undefined);
                fs.rmSync(stand().backendUrl.slice("file://".length), { recursive: true, force: true });
            }
        });

        it("on 3.212.0, automationStackTags removes a record that was the stack's last tag", async () => {
            process.env.STANDIN_VERSION = "v3.212.0";
            const tags = automationStackTags(await researchStack());
            const store = tagStateStore(tags);
            await store.save("research", "rollout", ROLLOUT);
            await store.clear("research", "rollout");
            assert.equal(await store.load("research", "rollout"), undefined);
            assert.deepEqual(await tags.list("research"), { [KEEPER_TAG]: "kept" });
        });
    });
});
