/**
 * Starts a Pulumi plugin process as the engine does, with the engine's address as first argument,
 * and waits for the port it prints on its first line of output.
 */
import { ChildProcess, spawn } from "child_process";
import { DiagnosticEvent } from "@pulumi/pulumi/automation";

/** Plugin processes still running: killed when this process exits, so none outlives it (as the engine's do not). */
const running = new Set<ChildProcess>();
process.on("exit", () => running.forEach((child) => child.kill()));

export async function startPlugin(
    entry: string,
    args: string[],
    options: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] },
): Promise<{ child: ChildProcess; port: string }> {
    // The first argument is the engine's address; neither analysis nor a dynamic provider calls back into it here.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, "127.0.0.1:0", ...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    child.on("exit", () => running.delete(child));
    const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk) => {
            out += chunk;
            const match = /^(\d+)\s*$/m.exec(out);
            if (match) resolve(match[1]);
        });
        child.stderr!.on("data", (chunk) => (out += chunk));
        child.on("exit", (code) => reject(new Error(`${entry} exited with ${code} before listening:\n${out}`)));
    });
    return { child, port };
}

/**
 * A plugin's output as the engine reports it: each non-blank line one diagnostic, stdout as `info`
 * and stderr as `info#err`, with no resource (runtrace in pkg/resource/plugin/plugin.go; resource
 * plugins other than dynamic providers get `debug` instead).
 */
export function pluginDiagnostics(output: string, stream: "stdout" | "stderr"): DiagnosticEvent[] {
    return output
        .split(/(?<=\n)/)
        .filter((line) => line.trim() !== "")
        .map((message) => ({ message, color: "raw", severity: stream === "stdout" ? "info" : "info#err" }));
}
