/**
 * What the plan's processes use, for the bench: CPU time and peak resident memory of this process,
 * its worker processes and the policy pack's, read from /proc (Linux; elsewhere only this
 * process's CPU time is known). CPU time, unlike wall time, holds when other work shares the machine.
 */
import * as fs from "fs";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux's common platforms). */
const TICKS_PER_SECOND = 100;

/** A file of /proc (`<pid>/stat`, `stat`), or undefined where there is none. */
function procFile(file: string): string | undefined {
    try {
        return fs.readFileSync(`/proc/${file}`, "utf8");
    } catch {
        return undefined;
    }
}

/** CPU time (user and system) of a process so far, in ms; undefined where /proc cannot tell. */
export function cpuMsOf(pid: number | "self"): number | undefined {
    if (pid === "self") {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1000;
    }
    const stat = procFile(`${pid}/stat`);
    if (!stat) return undefined;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Busy CPU time (user, nice, system, interrupts, steal) of the whole machine so far, in ms; undefined where /proc cannot tell. */
export function machineBusyMs(): number | undefined {
    const stat = procFile("stat");
    if (!stat) return undefined;
    const [user, nice, system, , , irq, softirq, steal] = stat.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
}

/** The peak resident memory of a process since it started or since {@link resetPeak}, in MB. */
export function peakMbOf(pid: number | "self"): number | undefined {
    const status = procFile(`${pid}/status`);
    const kb = status && /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    if (kb) return Number(kb) / 1024;
    return pid === "self" ? process.resourceUsage().maxRSS / 1024 : undefined;
}

/** Starts a process's peak memory afresh (Linux: clear_refs 5), so the next peak is of what follows. */
export function resetPeak(pid: number | "self"): void {
    try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
        // Not Linux, or not allowed: the peak is since the process started.
    }
}

/** A set of processes measured together: CPU time used and the sum of their peaks since {@link start}. */
export class ProcessGroup {
    private readonly cpuAtStart = new Map<number | "self", number>();

    constructor(private readonly pids: () => readonly number[]) {}

    private all(): (number | "self")[] {
        return ["self", ...this.pids()];
    }

    start(): void {
        for (const pid of this.all()) {
            resetPeak(pid);
            this.cpuAtStart.set(pid, cpuMsOf(pid) ?? 0);
        }
    }

    /** CPU time since {@link start} of each process, in ms (this process first; one started since counts whole). */
    cpusMs(): number[] {
        return this.all().map((pid) => (cpuMsOf(pid) ?? 0) - (this.cpuAtStart.get(pid) ?? 0));
    }

    /** CPU time since {@link start}, in ms, over every process. */
    cpuMs(): number {
        return this.cpusMs().reduce((a, b) => a + b, 0);
    }

    /** Each process's peak resident memory, in MB (this process first). */
    peaksMb(): number[] {
        return this.all().map((pid) => peakMbOf(pid) ?? 0);
    }
}
