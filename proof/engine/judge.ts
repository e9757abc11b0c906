/**
 * What the engine tier asserts, and how it reports: each check says what it expects of the real
 * engine and names the pulumi/pulumi source of the behaviour relied on; each phase is timed.
 */
export interface Check {
    readonly cli: string;
    readonly phase: string;
    readonly ok: boolean;
    readonly what: string;
    /** The pulumi/pulumi file (or AWS page) that says the engine behaves so. */
    readonly source?: string;
    readonly detail?: string;
}

export class Judge {
    readonly checks: Check[] = [];
    readonly figures: { cli: string; phase: string; seconds: number }[] = [];

    constructor(private readonly print: (line: string) => void = console.log) {}

    check(cli: string, phase: string, ok: boolean, what: string, source?: string, detail?: string): boolean {
        this.checks.push({ cli, phase, ok, what, source, detail });
        this.print(
            `  ${ok ? "ok  " : "FAIL"} ${what}${source ? ` (${source})` : ""}${!ok && detail ? `\n       ${detail.trim().split("\n").slice(-12).join("\n       ")}` : ""}`,
        );
        return ok;
    }

    async phase<T>(cli: string, phase: string, run: () => Promise<T>): Promise<T | undefined> {
        this.print(`${cli} ${phase}`);
        const started = Date.now();
        try {
            return await run();
        } catch (err) {
            this.check(cli, phase, false, `${phase} ran to the end`, undefined, (err as Error).stack ?? String(err));
            return undefined;
        } finally {
            const seconds = (Date.now() - started) / 1000;
            this.figures.push({ cli, phase, seconds });
            this.print(`  ${phase}: ${seconds.toFixed(1)} s`);
        }
    }

    get failed(): Check[] {
        return this.checks.filter((c) => !c.ok);
    }

    summary(): string {
        const clis = [...new Set(this.figures.map((f) => f.cli))];
        const phases = [...new Set(this.figures.map((f) => f.phase))];
        const width = Math.max(...phases.map((p) => p.length), 5);
        const rows = phases.map(
            (p) =>
                `${p.padEnd(width)}  ${clis.map((c) => `${(this.figures.find((f) => f.cli === c && f.phase === p)?.seconds ?? 0).toFixed(1).padStart(8)} s`).join("  ")}`,
        );
        return [
            `${"phase".padEnd(width)}  ${clis.map((c) => c.padStart(10)).join("  ")}`,
            ...rows,
            `${this.checks.length - this.failed.length} passed, ${this.failed.length} failed`,
        ].join("\n");
    }
}
