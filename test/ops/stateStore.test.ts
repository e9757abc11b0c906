/**
 * The operation state store: records in stack tags, chunked under the backend's tag limits
 * (names of at most 40 characters, values of at most 256: pkg/util/validation/stack.go), committed
 * by one header tag, and refused with a clear message when inconsistent.
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { StateRecordError, decodeRecord, encodeRecord, tagStateStore } from "../../ops/stacks/stateStore";
import { automationStackTags, lazyWorkspace, memoryStackTags } from "../../ops/stacks/stackTags";
import { eachTestStandIn } from "../standin/harness";

/** A promotion record well over one tag: its smoke-test detail does not compress. */
const record = () => ({
    stack: "prod",
    from: "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-01-15T10.00.00/1736935200000",
    to: "arn:aws:rekognition:us-east-1:111122223333:project/tool-detector/version/tool-detector.2025-03-01T09.30.00/1740821400000",
    done: ["grant", "smoke-test"],
    smokeTest: `passed: ${randomBytes(150).toString("hex")}`,
});

const ours = (tags: Record<string, string>) => Object.keys(tags).filter((t) => t.startsWith("cam.promotion"));

describe("operation state in stack tags", () => {
    describe("through the stand-in CLI (pulumi stack tag ls/set/rm, diy backend)", function () {
        this.timeout(60_000);
        const stand = eachTestStandIn();

        it("round-trips a record larger than one tag value, replaces it by a new generation, and clears it", async () => {
            const projectDir = stand().checkout("a");
            const workspace = lazyWorkspace({ projectDir, backendUrl: stand().backendUrl });
            await (await workspace()).createStack("prod");
            const tags = automationStackTags(workspace);
            const store = tagStateStore(tags);
            const first = record();
            assert.ok(JSON.stringify(first).length > 2 * 256);

            await store.save("prod", "promotion", first);
            const written = await tags.list("prod");
            assert.ok(ours(written).length >= 3, `a header and several chunks: ${ours(written).join(", ")}`);
            assert.ok(Object.values(written).every((v) => v.length <= 256));
            assert.deepEqual(await store.load("prod", "promotion"), first);

            const second = { ...record(), done: ["grant", "smoke-test", "flip"] };
            await store.save("prod", "promotion", second);
            assert.deepEqual(await store.load("prod", "promotion"), second);
            const generations = new Set(
                ours(await tags.list("prod"))
                    .filter((t) => t !== "cam.promotion")
                    .map((t) => t.split(".")[2]),
            );
            assert.equal(generations.size, 1, "the previous generation's chunks are removed");

            await store.clear("prod", "promotion");
            assert.deepEqual(ours(await tags.list("prod")), []);
            assert.equal(await store.load("prod", "promotion"), undefined);
        });
    });

    describe("a torn or edited record", () => {
        const stored = () => {
            const { chunks, header } = encodeRecord("promotion", record(), "0000000a");
            return { tags: Object.fromEntries([...chunks, header]), chunks, header };
        };
        const refused = (tags: Record<string, string>, problem: RegExp) =>
            assert.throws(
                () => decodeRecord("prod", "promotion", tags),
                (err: Error) => {
                    assert.ok(err instanceof StateRecordError, `${err.name}: ${err.message}`);
                    assert.match(err.message, problem);
                    assert.match(err.message, /pulumi stack tag rm cam\.promotion -s prod/);
                    return true;
                },
            );

        it("refuses a header whose chunk is missing, a chunk that does not match its checksum, and a header it did not write", () => {
            const { tags, chunks } = stored();
            assert.ok(chunks.length >= 2);
            const missing = { ...tags };
            delete missing[chunks[1][0]];
            refused(missing, /is incomplete: chunk 2 of \d+ of generation 0000000a is missing/);

            const other = encodeRecord("promotion", { ...record(), done: ["grant"] }, "0000000a").chunks;
            refused({ ...tags, [chunks[0][0]]: other[0][1] }, /(does not match the header's checksum|does not decompress)/);
            refused({ ...tags, "cam.promotion": '{"done":["grant"' }, /has a header this tool did not write/);
        });

        it("keeps a small record in its header alone, and refuses it tampered with", async () => {
            const tags = memoryStackTags();
            const store = tagStateStore(tags);
            const small = {
                modelPackageArn: "arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/5",
                done: ["deploy-staging"],
            };
            await store.save("research", "rollout", small);
            assert.deepEqual(Object.keys(tags.tags.research), ["cam.rollout"]);
            assert.deepEqual(await store.load("research", "rollout"), small);
            const [header] = Object.values(tags.tags.research);
            const other = encodeRecord("rollout", { ...small, done: [] }).header[1];
            assert.throws(
                () =>
                    decodeRecord("research", "rollout", {
                        "cam.rollout": `${header.split(":").slice(0, 4).join(":")}:${other.split(":")[4]}`,
                    }),
                /does not match the header's checksum/,
            );
        });

        it("reads the previous record whole while a save is interrupted before its header flips", async () => {
            const tags = memoryStackTags();
            const store = tagStateStore(tags);
            const before = record();
            await store.save("prod", "promotion", before);
            // A save that wrote its chunks and stopped: the commit point (the header) was not reached.
            for (const [name, value] of encodeRecord("promotion", record(), "0000000b").chunks) await tags.set("prod", name, value);
            assert.deepEqual(await store.load("prod", "promotion"), before);
            await store.save("prod", "promotion", { ...before, done: ["grant", "smoke-test", "flip"] });
            assert.ok(
                !Object.keys(await tags.list("prod")).some((t) => t.includes(".0000000b.")),
                "the interrupted save's chunks are cleaned up by the next save",
            );
        });
    });
});
