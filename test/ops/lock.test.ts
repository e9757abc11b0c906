/**
 * One environment operation at a time: a local lock (proper-lockfile) and a record in the backend
 * (a stack tag on the research stack) that operators on other machines see.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentLockOptions, EnvironmentLocked, LOCK_TAG, unlockEnvironment, withEnvironmentLock } from "../../ops/stacks/lock";
import { PromotionDriver, promote } from "../../ops/release/promotion";
import { StackTags, automationStackTags, lazyWorkspace, memoryStackTags } from "../../ops/stacks/stackTags";
import { memoryStateStore } from "../../ops/stacks/stateStore";
import { eachTestStandIn } from "../standin/harness";
import { environmentLock } from "../../ops/env/shared";
import { runStacks } from "../../ops/env/stacks";

const V2 = "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000";

/** A driver that records whether the promotion touched anything at all. */
function untouchedDriver(calls: string[]): PromotionDriver {
    const record = (name: string) => async () => {
        calls.push(name);
        throw new Error(`${name} called`);
    };
    return {
        getConfig: record("getConfig"),
        setConfigPath: record("setConfigPath"),
        removeConfigPath: record("removeConfigPath"),
        up: record("up"),
        smokeTest: record("smokeTest"),
        stopVersion: record("stopVersion"),
        state: memoryStateStore(),
        log: () => undefined,
    };
}

/** Holds the lock until `release()` is called; resolves `held` once it is taken. */
function holdLock(options: EnvironmentLockOptions, operation: string) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const taken = new Promise<void>((resolve) => (held = resolve));
    const done = withEnvironmentLock(options, operation, async () => {
        held();
        await released;
    });
    return { taken, release, done };
}

describe("environment lock", () => {
    let lockDir: string;
    beforeEach(() => (lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"))));
    afterEach(() => fs.rmSync(lockDir, { recursive: true, force: true }));
    const options = (
        tags: StackTags = memoryStackTags(),
        dir = lockDir,
        identity?: EnvironmentLockOptions["identity"],
    ): EnvironmentLockOptions => ({ backendUrl: "file:///shared", stack: "research", tags, lockDir: dir, identity, log: () => undefined });

    it("refuses a second promotion while one holds the lock, naming the holder and how to release it, then lets it run", async () => {
        const tags = memoryStackTags();
        tags.tags.research = {};
        const first = holdLock(options(tags), "promote prod");
        await first.taken;
        const calls: string[] = [];
        const request = { stack: "prod", researchStack: "research", to: V2, stopOld: false, smokeTest: "skip" as const };
        await assert.rejects(
            withEnvironmentLock(options(tags), "promote prod", () => promote(request, untouchedDriver(calls))),
            (err: Error) => {
                assert.ok(err instanceof EnvironmentLocked);
                const me = `${os.userInfo().username}@${os.hostname()}`;
                assert.match(
                    err.message,
                    new RegExp(
                        `^The environment of stack research on file:///shared is locked by ${me} \\(pid ${process.pid}\\), running \`promote prod\` since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(0 min ago\\)`,
                    ),
                );
                assert.match(err.message, /release the lock with `npm run env -- unlock`/);
                return true;
            },
        );
        assert.deepEqual(calls, [], "the refused promotion read and changed nothing");
        assert.ok(tags.tags.research[LOCK_TAG], "the holder is recorded in the backend");

        first.release();
        await first.done;
        assert.equal(tags.tags.research[LOCK_TAG], undefined, "released in finally");
        assert.equal(await withEnvironmentLock(options(tags), "promote prod", async () => "ran"), "ran");
    });

    it("takes over a lock whose holder on this machine is no longer running", async () => {
        const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
        const tags = memoryStackTags();
        const record = {
            by: `${os.userInfo().username}@${os.hostname()}`,
            pid: gone,
            operation: "rollback prod",
            since: new Date().toISOString(),
            id: "00000001",
        };
        tags.tags.research = { [LOCK_TAG]: JSON.stringify(record) };
        const messages: string[] = [];
        assert.equal(
            await withEnvironmentLock({ ...options(tags), log: (m) => messages.push(m) }, "promote prod", async () => "ran"),
            "ran",
        );
        assert.match(messages.join("\n"), new RegExp(`taking over the lock of .*pid ${gone}.*rollback prod.*no longer running`));
    });

    describe("across machines, through the stand-in CLI's stack tags", function () {
        this.timeout(60_000);
        const stand = eachTestStandIn();

        it("shows a second machine who holds the environment, and `unlock` releases a stale record", async () => {
            const workspace = lazyWorkspace({ projectDir: stand().checkout("a"), backendUrl: stand().backendUrl });
            await (await workspace()).createStack("research");
            const tags = automationStackTags(workspace);
            const otherMachine = options(tags, fs.mkdtempSync(path.join(lockDir, "other-")), {
                user: "bob",
                host: "ci-runner-7",
                pid: 4242,
            });

            const first = holdLock(options(tags), "rollout pkg/5 to dev, prod");
            await first.taken;
            await assert.rejects(
                withEnvironmentLock(otherMachine, "promote prod", async () => assert.fail("ran")),
                new RegExp(
                    `locked by ${os.userInfo().username}@${os.hostname()} \\(pid ${process.pid}\\), running \`rollout pkg/5 to dev, prod\``,
                ),
            );
            first.release();
            await first.done;
            assert.equal((await tags.list("research"))[LOCK_TAG], undefined);

            // A holder on another machine that died: its record stays until someone releases it.
            await tags.set(
                "research",
                LOCK_TAG,
                JSON.stringify({
                    by: "alice@laptop",
                    pid: 7,
                    operation: "promote prod",
                    since: "2026-01-01T00:00:00.000Z",
                    id: "0000000a",
                }),
            );
            await assert.rejects(
                withEnvironmentLock(otherMachine, "promote prod", async () => assert.fail("ran")),
                /locked by alice@laptop \(pid 7\), running `promote prod` since 2026-01-01T00:00:00.000Z/,
            );
            const released = await unlockEnvironment(otherMachine);
            assert.equal(released.length, 1);
            assert.match(
                released[0],
                /^the backend's lock record on stack research \(alice@laptop \(pid 7\), running `promote prod` since 2026-01-01T00:00:00.000Z/,
            );
            assert.equal(await withEnvironmentLock(otherMachine, "promote prod", async () => "ran"), "ran");
        });

        // The record is a tag on the research stack, and `pulumi stack tag set` on a stack never
        // created fails (pkg/cmd/pulumi/stack/stack_tag.go RequireStack: "no stack named ... found"):
        // the lock creates the stack first, as the orchestrator does before its first preview.
        it("a first `up` on a fresh backend keeps its record: the lock creates the research stack first", async () => {
            const lock = environmentLock(stand().backendUrl, ["research"]);
            const messages: string[] = [];
            const seen = await withEnvironmentLock({ ...lock, log: (m) => messages.push(m) }, "up research", async () =>
                lock.tags.list("research"),
            );
            assert.ok(seen[LOCK_TAG], `the record while held: ${JSON.stringify(seen)}`);
            assert.match(JSON.parse(seen[LOCK_TAG]).operation, /^up research$/);
            assert.deepEqual(messages, [], "no 'no lock record kept' notice");
            assert.equal((await lock.tags.list("research"))[LOCK_TAG], undefined, "released");
        });

        it("`npm run env -- up` on a fresh backend: stack created, record set, then the first preview", async () => {
            const log = console.log;
            const lines: string[] = [];
            console.log = (line: string) => lines.push(line);
            try {
                assert.equal(await runStacks("up", ["research"], { yes: true }, stand().backendUrl, async () => true), 0, lines.join("\n"));
            } finally {
                console.log = log;
            }
            const sent = stand()
                .invocations()
                .map((i) => i.args.filter((a) => !a.startsWith("--") && !/^(research|auto\.local)$/.test(a)).join(" "));
            const at = (prefix: string) => sent.findIndex((c) => c.startsWith(prefix));
            assert.ok(at("stack init") >= 0 && at("stack init") < at(`stack tag set ${LOCK_TAG}`), sent.join("\n"));
            assert.ok(at(`stack tag set ${LOCK_TAG}`) < at("preview"), sent.join("\n"));
            assert.ok(at("preview") < sent.findIndex((c) => c.startsWith(`stack tag rm ${LOCK_TAG}`)), sent.join("\n"));
            assert.ok(!lines.some((l) => /no lock record kept/.test(l)), lines.join("\n"));
        });
    });
});
