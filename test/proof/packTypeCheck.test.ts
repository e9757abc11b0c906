/**
 * The pack's type-check, remembered by content (proof/pack/typeCheck.ts): run-policy-pack registers
 * ts-node with `typeCheck: true` (sdk/nodejs/cmd/run-policy-pack/run.ts in pulumi/pulumi), so the
 * engine refuses a pack that does not type-check. A start may skip the check only for sources a
 * start has already checked, with the same dependencies and toolchain; any other start checks.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PACK_DIR, PROJECT_DIR } from "../../ops/project";
import { PolicyPackProcess } from "../../proof/pack/policyEngine";
import { PACK_TYPE_CHECK_FOLDER, PlanCache } from "../../proof/cache/planCache";
import { MARKERS_DIR, rememberTypeCheckPassed, typeCheckKey, typeCheckPassed } from "../../proof/pack/typeCheck";
import { sharedPack } from "../helpers";

/** A copy of the pack inside the project, where it resolves the project's dependencies as the pack does. */
function packCopy(): string {
    const dir = fs.mkdtempSync(path.join(PROJECT_DIR, ".cache", "test-pack-"));
    fs.cpSync(DEFAULT_PACK_DIR, dir, { recursive: true, filter: (source) => path.basename(source) !== "node_modules" });
    return dir;
}

describe("the pack's type-check, remembered by content", function () {
    this.timeout(60_000);
    const copies: string[] = [];
    const keys: string[] = [];
    const copy = () => {
        const dir = packCopy();
        copies.push(dir);
        return dir;
    };
    after(() => {
        copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
        keys.forEach((key) => fs.rmSync(path.join(MARKERS_DIR, key), { force: true }));
    });

    it("is keyed by every file of the pack: a change to any is another key, a copy of the same files the same key", () => {
        const dir = copy();
        const original = typeCheckKey(dir);
        assert.equal(typeCheckKey(DEFAULT_PACK_DIR), original, "the key does not depend on where the pack is");
        for (const file of ["index.ts", "policies/kms.ts", "lib/iam/policy.ts", "tsconfig.json", "package.json", "PulumiPolicy.yaml"]) {
            const full = path.join(dir, file);
            const text = fs.readFileSync(full, "utf8");
            fs.writeFileSync(full, `${text}\n`);
            assert.notEqual(typeCheckKey(dir), original, `${file} changed, same key`);
            fs.writeFileSync(full, text);
            assert.equal(typeCheckKey(dir), original);
        }
        fs.writeFileSync(path.join(dir, "policies", "added.ts"), "export const added = 1;\n");
        assert.notEqual(typeCheckKey(dir), original, "a file added, same key");
    });

    it("a start of sources a start has checked transpiles only, and the pack answers as ever", async () => {
        const dir = copy();
        // Its own content (a comment more), so that its marker is not the shipped pack's.
        fs.appendFileSync(path.join(dir, "index.ts"), "\n// a copy\n");
        const key = typeCheckKey(dir);
        keys.push(key);
        rememberTypeCheckPassed(key);
        const pack = await PolicyPackProcess.start(dir);
        try {
            assert.equal(pack.typeChecked, "before");
            const { name, policies } = await pack.info();
            assert.equal(name, "cross-account-guard");
            assert.ok(policies.length > 50);
        } finally {
            pack.stop();
        }
    });

    it("sources changed since the check are checked again: a type error stops the start, as under the engine, and is not remembered", async () => {
        const dir = copy();
        fs.appendFileSync(path.join(dir, "index.ts"), "\n// a copy\n");
        keys.push(typeCheckKey(dir));
        rememberTypeCheckPassed(typeCheckKey(dir));
        fs.appendFileSync(path.join(dir, "index.ts"), '\nexport const notANumber: number = "text";\n');
        const changed = typeCheckKey(dir);
        keys.push(changed);
        await assert.rejects(PolicyPackProcess.start(dir), /TS2322|Type 'string' is not assignable to type 'number'/);
        assert.equal(typeCheckPassed(changed), false);
    });

    it("a start that type-checked the shipped pack remembers it", async () => {
        const pack = await sharedPack();
        assert.ok(["now", "before"].includes(pack.typeChecked));
        assert.equal(typeCheckPassed(typeCheckKey(DEFAULT_PACK_DIR)), true);
    });

    it("no start skips the check when asked not to remember (npm run plan -- --no-cache)", async () => {
        const dir = copy();
        fs.appendFileSync(path.join(dir, "index.ts"), '\nexport const notANumber: number = "text";\n');
        // Remembered as passed (as if wrongly): a start that does not remember does not read it either.
        keys.push(typeCheckKey(dir));
        rememberTypeCheckPassed(typeCheckKey(dir));
        await assert.rejects(PolicyPackProcess.start(dir, { rememberTypeCheck: false }), /TS2322|not assignable/);
    });

    it("keeps the 100 markers most recently used when the plan's cache is pruned", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-type-check-"));
        try {
            const markers = path.join(dir, PACK_TYPE_CHECK_FOLDER);
            fs.mkdirSync(markers);
            for (let i = 0; i < 105; i++) {
                fs.writeFileSync(path.join(markers, `content-${i}`), "");
                const used = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
                fs.utimesSync(path.join(markers, `content-${i}`), used, used);
            }
            new PlanCache({ dir }).prune();
            const kept = fs.readdirSync(markers);
            assert.equal(kept.length, 100);
            for (let i = 0; i < 5; i++) assert.ok(!kept.includes(`content-${i}`), `content-${i}, the least recently used, kept`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
