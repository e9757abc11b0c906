/**
 * parliament (PyPI), the IAM policy linter, as a peer of the pack: installed into a virtual
 * environment of its own (.engine/parliament, every package pinned with its hashes in
 * parliament-requirements.txt, reinstalled only when the pins change), then run once, in one
 * Python process, over every document of every case (parliament_driver.py).
 *
 * parliament 1.6.4 has no mode for resource or trust policies: it reads every document as an
 * identity policy, checking `Principal` where there is one. A trust policy has no `Resource`, so
 * parliament stops at "Statement contains neither Resource nor NotResource" after checking the
 * principal; that one finding is dropped for trust policies (it says the tool cannot read them,
 * not that they are wrong), and the comparison names those documents as read in part.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ENGINE_DIR } from "../../engine/build";
import { IamDocument, documentKey } from "./documents";

export const PEERS_DIR = __dirname;
export const PARLIAMENT_REQUIREMENTS = path.join(PEERS_DIR, "parliament-requirements.txt");
export const PARLIAMENT_DRIVER = path.join(PEERS_DIR, "parliament_driver.py");
export const PARLIAMENT_VENV = path.join(ENGINE_DIR, "parliament");

export interface ParliamentFinding {
    readonly issue: string;
    readonly severity: string;
    readonly title: string;
    readonly detail: string;
}

/** What parliament said of one document: with its own checks, and with its community auditors too. */
export interface ParliamentResult {
    readonly core: readonly ParliamentFinding[];
    readonly community: readonly ParliamentFinding[];
    /** An exception inside parliament (its CLI would stop there); the document counts as not flagged. */
    readonly error?: string;
}

export interface ParliamentRun {
    readonly version: string;
    /** By documentKey. */
    readonly results: ReadonlyMap<string, ParliamentResult>;
    readonly seconds: number;
}

const TRUST_ARTIFACT = "Statement contains neither Resource nor NotResource";

/** The findings that count for a document: all of them, less the missing-Resource one on a trust policy. */
export function parliamentFindings(doc: Pick<IamDocument, "kind">, findings: readonly ParliamentFinding[]): ParliamentFinding[] {
    return findings.filter((f) => !(doc.kind === "trust" && f.issue === "MALFORMED" && f.detail === TRUST_ARTIFACT));
}

/** Installs parliament unless the venv's stamp matches the requirements file. */
export function installParliament(log: (line: string) => void = console.log): { installed: boolean; seconds: number } {
    const stampFile = path.join(PARLIAMENT_VENV, "stamp");
    const stamp = createHash("sha256").update(fs.readFileSync(PARLIAMENT_REQUIREMENTS)).digest("hex");
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return { installed: false, seconds: 0 };
    log(`installing parliament (${path.relative(process.cwd(), PARLIAMENT_REQUIREMENTS)}) into ${PARLIAMENT_VENV}`);
    const started = Date.now();
    fs.rmSync(PARLIAMENT_VENV, { recursive: true, force: true });
    for (const [command, args] of [
        ["python3", ["-m", "venv", PARLIAMENT_VENV]],
        [path.join(PARLIAMENT_VENV, "bin", "pip"), ["install", "--quiet", "--require-hashes", "-r", PARLIAMENT_REQUIREMENTS]],
    ] as const) {
        const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
        if (result.error) throw new Error(`${command}: ${result.error.message} (the peers comparison needs Python 3 with venv)`);
        if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
    }
    fs.writeFileSync(stampFile, stamp);
    return { installed: true, seconds: (Date.now() - started) / 1000 };
}

/** Runs parliament over every document in one process. */
export function runParliament(documents: readonly IamDocument[]): ParliamentRun {
    const started = Date.now();
    const input = JSON.stringify({ documents: documents.map((d) => ({ key: documentKey(d), text: d.text })) });
    const result = spawnSync(path.join(PARLIAMENT_VENV, "bin", "python"), [PARLIAMENT_DRIVER], {
        input,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["pipe", "pipe", "inherit"],
    });
    if (result.error) throw new Error(`parliament: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`parliament's driver failed (exit ${result.status})`);
    const out = JSON.parse(result.stdout) as { version: string; results: (ParliamentResult & { key: string })[] };
    return {
        version: out.version,
        results: new Map(out.results.map(({ key, ...r }) => [key, r])),
        seconds: (Date.now() - started) / 1000,
    };
}
