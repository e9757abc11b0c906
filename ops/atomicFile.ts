/**
 * Every file the tools write goes through here: written to a temporary file beside it, fsynced,
 * then renamed over it (write-file-atomic), so a crash or a full disk leaves the old file or the
 * new one, never half of one that the next run fails to parse.
 */
import * as fs from "fs";
import * as path from "path";
import writeFileAtomic from "write-file-atomic";

export function writeFileAtomicSync(file: string, data: string | Buffer): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, data);
}

/** As {@link writeFileAtomicSync}, without blocking: the write and fsync run off the event loop. */
export async function writeFileAtomicAsync(file: string, data: string | Buffer): Promise<void> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, data);
}
