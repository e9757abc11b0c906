/**
 * One environment operation at a time (promote, rollout, rollback, env up and destroy): two
 * promotions of one stack at once would both edit research's grant list by index and race.
 *
 * Two layers. On this machine, proper-lockfile's lock (an atomic mkdir, refreshed while held and
 * taken over once stale, so a killed process frees it by itself) on a file named after the backend
 * and the research stack, so checkouts sharing a backend share the lock. Across machines, a lock
 * record in the backend: a stack tag on the research stack, checked, then set, then read back.
 * That record is best effort: the backend offers no compare-and-set on tags (`pulumi stack tag
 * set` reads every tag and writes them all back, pkg/cmd/pulumi/stack/stack_tag.go), so two
 * machines starting within the same second can both proceed. It exists so an operator on another
 * machine sees who is at work, instead of silently racing them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash, randomBytes } from "crypto";
import * as lockfile from "proper-lockfile";
import { UserError } from "../cli/errors";
import { writeFileAtomicSync } from "../atomicFile";
import { MAX_TAG_VALUE, StackTags } from "./stackTags";

/** The backend record's tag on the research stack. */
export const LOCK_TAG = "cam.lock";
export const UNLOCK_COMMAND = "npm run env -- unlock";

export interface LockHolder {
    /** user@host */
    readonly by: string;
    readonly pid: number;
    readonly operation: string;
    /** ISO time the lock was taken. */
    readonly since: string;
    /** Tells this holder's record from another's with the same user, host and pid. */
    readonly id: string;
}

export interface EnvironmentLockOptions {
    readonly backendUrl: string;
    /** The research stack: it holds the backend record, and with the backend names the environment. */
    readonly stack: string;
    readonly tags: StackTags;
    /**
     * Creates the stack the record goes on, or selects it, before the record is set: as the
     * orchestrator does before its first preview, so a first `up` on a fresh backend keeps its
     * record too. Without it, a stack that does not exist yet gets no record.
     */
    readonly ensureStack?: (stack: string) => Promise<void>;
    readonly log: (message: string) => void;
    /** Where the local lock files are; the default, the system's temporary folder, is shared by every checkout on the machine. */
    readonly lockDir?: string;
    /** Who is asking; tests play a second machine with it. */
    readonly identity?: { readonly user: string; readonly host: string; readonly pid: number };
}

export class EnvironmentLocked extends UserError {
    constructor(
        readonly environment: string,
        readonly holder: LockHolder | string,
    ) {
        super(
            `${environment} is locked by ${describe(holder)}. Wait for it to finish. If it is not running any more ` +
                `(its machine stopped, the process was killed), release the lock with \`${UNLOCK_COMMAND}\`, ` +
                "after making sure no operation is still changing the stacks.",
        );
        this.name = "EnvironmentLocked";
    }
}

const STALE_MS = 30_000;

function identityOf(options: EnvironmentLockOptions): { user: string; host: string; pid: number } {
    if (options.identity) return options.identity;
    let user = process.env.USER ?? "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // No passwd entry for this uid (some containers): the environment's name will do.
    }
    return { user, host: os.hostname(), pid: process.pid };
}

function environmentOf(options: EnvironmentLockOptions): string {
    return `The environment of stack ${options.stack} on ${options.backendUrl}`;
}

/** The local lock file (proper-lockfile makes `<file>.lock`) and the holder record beside it. */
function localFiles(options: EnvironmentLockOptions): { file: string; holder: string } {
    const key = createHash("sha256").update(`${options.backendUrl}\n${options.stack}`).digest("hex").slice(0, 16);
    const file = path.join(options.lockDir ?? os.tmpdir(), `cross-account-models-${key}`);
    return { file, holder: `${file}.holder.json` };
}

export function describe(holder: LockHolder | string): string {
    if (typeof holder === "string") return holder;
    const minutes = Math.round((Date.now() - Date.parse(holder.since)) / 60_000);
    return `${holder.by} (pid ${holder.pid}), running \`${holder.operation}\` since ${holder.since} (${minutes} min ago)`;
}

function parseHolder(value: string | undefined): LockHolder | string | undefined {
    if (value === undefined) return undefined;
    try {
        const parsed = JSON.parse(value) as LockHolder;
        if (typeof parsed.by === "string" && typeof parsed.id === "string") return parsed;
    } catch {
        // Not ours: shown as it is.
    }
    return `an unreadable lock record ("${value.slice(0, 80)}")`;
}

function readLocalHolder(file: string): LockHolder | string {
    try {
        return parseHolder(fs.readFileSync(file, "utf8")) ?? "another process on this machine";
    } catch {
        return "another process on this machine (it left no record of itself)";
    }
}

/** A record of this host whose process is gone: left by a crash, safe to take over. */
function deadHere(holder: LockHolder | string, me: { user: string; host: string }): boolean {
    if (typeof holder === "string" || holder.by.split("@").pop() !== me.host) return false;
    try {
        process.kill(holder.pid, 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

/** A record that fits in one tag value (the limit counts bytes); the operation is shortened if need be. */
function holderRecord(me: { user: string; host: string; pid: number }, operation: string): LockHolder {
    const holder = {
        by: `${me.user}@${me.host}`.slice(0, 80),
        pid: me.pid,
        operation,
        since: new Date().toISOString(),
        id: randomBytes(4).toString("hex"),
    };
    while (Buffer.byteLength(JSON.stringify(holder)) > MAX_TAG_VALUE)
        holder.operation = `${holder.operation.slice(0, holder.operation.length - 8)}…`;
    return holder;
}

/** Sets the backend record; false when the stack does not exist (and is not to be created), where none can be kept. */
async function acquireRecord(options: EnvironmentLockOptions, me: LockHolder, host: { user: string; host: string }): Promise<boolean> {
    await options.ensureStack?.(options.stack);
    let tags: Record<string, string>;
    try {
        tags = await options.tags.list(options.stack);
    } catch (err) {
        if (!/no stack named/.test(String((err as Error).message))) throw err;
        options.log(`no lock record kept in the backend: stack ${options.stack} does not exist yet`);
        return false;
    }
    const current = parseHolder(tags[LOCK_TAG]);
    if (current !== undefined) {
        if (!deadHere(current, host)) throw new EnvironmentLocked(environmentOf(options), current);
        options.log(`taking over the lock of ${describe(current)}: that process is no longer running`);
    }
    await options.tags.set(options.stack, LOCK_TAG, JSON.stringify(me));
    // Read back: of two machines that both saw no record, the one whose write landed last wins.
    const after = parseHolder((await options.tags.list(options.stack))[LOCK_TAG]);
    if (typeof after !== "object" || after.id !== me.id)
        throw new EnvironmentLocked(environmentOf(options), after ?? "another machine (its record vanished)");
    return true;
}

async function releaseRecord(options: EnvironmentLockOptions, me: LockHolder): Promise<void> {
    const current = parseHolder((await options.tags.list(options.stack))[LOCK_TAG]);
    // Never remove another holder's record (one that took over after an unlock).
    if (typeof current === "object" && current.id === me.id) await options.tags.remove(options.stack, LOCK_TAG);
}

/** Runs `operation` holding the environment's lock; refuses at once, naming the holder, when another holds it. */
export async function withEnvironmentLock<T>(options: EnvironmentLockOptions, operation: string, run: () => Promise<T>): Promise<T> {
    const identity = identityOf(options);
    const me = holderRecord(identity, operation);
    const local = localFiles(options);
    fs.mkdirSync(path.dirname(local.file), { recursive: true });
    const lockLocal = () =>
        lockfile.lock(local.file, {
            realpath: false,
            retries: 0,
            stale: STALE_MS,
            // The default throws from a timer, killing the process mid-update; a warning is enough.
            onCompromised: () =>
                options.log(
                    `warning: the local lock ${local.file}.lock was removed while \`${operation}\` ran (\`${UNLOCK_COMMAND}\`?); start no other operation until this one ends`,
                ),
        });
    let releaseLocal: () => Promise<void>;
    try {
        releaseLocal = await lockLocal();
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
        const holder = readLocalHolder(local.holder);
        // proper-lockfile frees a crashed holder's lock once stale; a holder known dead need not wait for that.
        if (!deadHere(holder, identity)) throw new EnvironmentLocked(environmentOf(options), holder);
        options.log(`taking over this machine's lock of ${describe(holder)}: that process is no longer running`);
        fs.rmSync(`${local.file}.lock`, { recursive: true, force: true });
        releaseLocal = await lockLocal();
    }
    let recorded = false;
    try {
        writeFileAtomicSync(local.holder, JSON.stringify(me));
        recorded = await acquireRecord(options, me, identity);
        return await run();
    } finally {
        // A failure to release must not hide the operation's own outcome.
        if (recorded) {
            await releaseRecord(options, me).catch((err: Error) =>
                options.log(
                    `could not remove the lock record on stack ${options.stack} (${err.message.split("\n")[0]}); release it with \`${UNLOCK_COMMAND}\``,
                ),
            );
        }
        fs.rmSync(local.holder, { force: true });
        await releaseLocal().catch(() => undefined);
    }
}

/**
 * Releases a stale lock: the backend record, whoever holds it, and this machine's lock file unless
 * its holder is still running here. Resolves with what was released.
 */
export async function unlockEnvironment(options: EnvironmentLockOptions): Promise<string[]> {
    const released: string[] = [];
    const local = localFiles(options);
    if (fs.existsSync(`${local.file}.lock`)) {
        const holder = readLocalHolder(local.holder);
        const here = identityOf(options).host;
        if (typeof holder === "object" && holder.by.split("@").pop() === here && !deadHere(holder, identityOf(options))) {
            throw new UserError(`${describe(holder)} still runs on this machine; stop it (kill ${holder.pid}) before unlocking`);
        }
        fs.rmSync(`${local.file}.lock`, { recursive: true, force: true });
        fs.rmSync(local.holder, { force: true });
        released.push(`this machine's lock (${describe(holder)})`);
    }
    const record = (await options.tags.list(options.stack))[LOCK_TAG];
    if (record !== undefined) {
        await options.tags.remove(options.stack, LOCK_TAG);
        released.push(`the backend's lock record on stack ${options.stack} (${describe(parseHolder(record)!)})`);
    }
    return released;
}
