/**
 * Where promotions and rollouts keep their progress: in the Pulumi backend, as stack tags, so an
 * operation interrupted on one machine resumes from any checkout that uses the same backend (a
 * file beside the project was lost with a CI runner and never seen by a second operator).
 *
 * A record is bigger than one tag (values are limited to 256 characters), so it is stored in
 * chunks and committed atomically: the chunks are written under a new generation's names, then one
 * header tag is flipped to that generation (with the chunk count and a SHA-256 of the record), and
 * only then the old generation's chunks are removed. A reader sees the old record or the new one,
 * never a mix, and refuses anything inconsistent with a message saying what and where. A record
 * small enough (most: a rollout's progress, a package history) travels inside the header itself:
 * one tag write, atomic by itself.
 */
import { createHash, randomBytes } from "crypto";
import { deflateRawSync, inflateRawSync } from "zlib";
import { UserError } from "../cli/errors";
import { MAX_TAG_VALUE, StackTags, TAG_NAME, memoryStackTags } from "./stackTags";

/** Load, save and clear a JSON record by stack and key; what promotions and rollouts depend on. */
export interface OperationStateStore {
    load<T>(stack: string, key: string): Promise<T | undefined>;
    save<T>(stack: string, key: string, value: T): Promise<void>;
    clear(stack: string, key: string): Promise<void>;
}

/** A record that cannot be read back as written: a torn save, or tags edited by hand. */
export class StateRecordError extends UserError {
    constructor(stack: string, key: string, problem: string) {
        super(
            `The ${key} record kept in stack ${stack}'s tags (${headerName(key)}) ${problem}. ` +
                `Look at it with \`pulumi stack tag ls -s ${stack}\`; after checking the stacks by hand, remove it with ` +
                `\`pulumi stack tag rm ${headerName(key)} -s ${stack}\` to start the operation over.`,
        );
        this.name = "StateRecordError";
    }
}

/** Every tag this project writes starts with this, so it never collides with anyone else's. */
const PREFIX = "cam.";
const KEY = /^[a-z][a-z-]{0,19}$/;
const FORMAT = "1";
const headerName = (key: string) => `${PREFIX}${key}`;
const chunkName = (key: string, generation: string, index: number) => `${PREFIX}${key}.${generation}.${index}`;
/** Chunk values stay within the tag limit; base64 never starts with "-", which the CLI would read as a flag. */
const CHUNK = MAX_TAG_VALUE;

function checkKey(key: string): void {
    // The longest chunk name must stay a valid tag name (40 characters).
    if (!KEY.test(key) || !TAG_NAME.test(chunkName(key, "ffffffff", 99))) throw new Error(`invalid state key "${key}"`);
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The tags that hold `value` under a new generation: the chunks, and the header that commits them
 * (`1:<generation>:<chunk count>:<sha256>`, or with count 0 and `:<payload>` appended when the
 * record fits in it). Compressed first: ARNs repeat, and every tag is one CLI call.
 */
export function encodeRecord(
    key: string,
    value: unknown,
    generation = randomBytes(4).toString("hex"),
): { chunks: [string, string][]; header: [string, string] } {
    checkKey(key);
    const json = JSON.stringify(value);
    const payload = deflateRawSync(Buffer.from(json, "utf8")).toString("base64");
    const inline = `${FORMAT}:${generation}:0:${sha256(json)}:${payload}`;
    if (inline.length <= MAX_TAG_VALUE) return { chunks: [], header: [headerName(key), inline] };
    const chunks: [string, string][] = [];
    for (let i = 0; i * CHUNK < payload.length; i++)
        chunks.push([chunkName(key, generation, i), payload.slice(i * CHUNK, (i + 1) * CHUNK)]);
    if (chunks.length > 99) throw new Error(`the ${key} record is too large for stack tags (${json.length} characters)`);
    return { chunks, header: [headerName(key), `${FORMAT}:${generation}:${chunks.length}:${sha256(json)}`] };
}

/** The record `key` in a stack's tags, undefined when there is none; throws StateRecordError for anything inconsistent. */
export function decodeRecord<T>(stack: string, key: string, tags: Readonly<Record<string, string>>): T | undefined {
    checkKey(key);
    const header = tags[headerName(key)];
    if (header === undefined) return undefined;
    const match = /^1:([0-9a-f]{8}):(\d{1,2}):([0-9a-f]{64})(?::([A-Za-z0-9+/=]+))?$/.exec(header);
    if (!match || (match[2] === "0") !== (match[4] !== undefined))
        throw new StateRecordError(stack, key, `has a header this tool did not write ("${header.slice(0, 80)}")`);
    const [, generation, count, checksum, inline] = match;
    const parts: string[] = inline === undefined ? [] : [inline];
    for (let i = 0; i < Number(count); i++) {
        const part = tags[chunkName(key, generation, i)];
        if (part === undefined)
            throw new StateRecordError(stack, key, `is incomplete: chunk ${i + 1} of ${count} of generation ${generation} is missing`);
        parts.push(part);
    }
    let json: string;
    try {
        json = inflateRawSync(Buffer.from(parts.join(""), "base64")).toString("utf8");
    } catch {
        throw new StateRecordError(stack, key, `is corrupt: its data (generation ${generation}) does not decompress`);
    }
    if (sha256(json) !== checksum)
        throw new StateRecordError(stack, key, `is inconsistent: its data does not match the header's checksum (generation ${generation})`);
    return JSON.parse(json) as T;
}

/** Names of the chunk tags of `key`, of every generation. */
function chunksOf(key: string, tags: Readonly<Record<string, string>>): string[] {
    const own = new RegExp(`^${headerName(key).replace(/\./g, "\\.")}\\.[0-9a-f]{8}\\.\\d+$`);
    return Object.keys(tags).filter((name) => own.test(name));
}

/**
 * Every tag is one CLI call, so the store remembers which chunk tags it last saw or wrote for a
 * record (operations run under the environment lock, so nobody else writes them meanwhile) and a
 * save lists the stack's tags only when it has not seen the record yet.
 */
export function tagStateStore(tags: StackTags): OperationStateStore {
    const seen = new Map<string, string[]>();
    const id = (stack: string, key: string) => `${stack}\n${key}`;
    return {
        async load<T>(stack: string, key: string) {
            const current = await tags.list(stack);
            seen.set(id(stack, key), chunksOf(key, current));
            return decodeRecord<T>(stack, key, current);
        },
        async save<T>(stack: string, key: string, value: T) {
            const { chunks, header } = encodeRecord(key, value);
            const before = seen.get(id(stack, key)) ?? chunksOf(key, await tags.list(stack));
            for (const [name, part] of chunks) await tags.set(stack, name, part);
            // The commit point: until this tag changes, readers see the previous record whole.
            await tags.set(stack, ...header);
            // Chunks of the previous generation, and of saves interrupted before their commit.
            const written = chunks.map(([name]) => name);
            for (const name of before.filter((n) => !written.includes(n))) await tags.remove(stack, name);
            seen.set(id(stack, key), written);
        },
        async clear(stack: string, key: string) {
            const current = await tags.list(stack);
            if (current[headerName(key)] !== undefined) await tags.remove(stack, headerName(key));
            for (const name of chunksOf(key, current)) await tags.remove(stack, name);
            seen.set(id(stack, key), []);
        },
    };
}

/** A store in memory (over in-memory tags, so the encoding is exercised): for tests and the offline plan. */
export function memoryStateStore(): OperationStateStore {
    return tagStateStore(memoryStackTags());
}
