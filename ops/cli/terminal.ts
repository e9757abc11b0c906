/** Questions on the terminal, for confirmations and approvals. */
import * as readline from "readline";

/** Asks on the terminal; without a terminal (CI) the answer is no, and --approve is the way to say yes. */
export async function askOnTerminal(question: string): Promise<boolean> {
    if (!process.stdin.isTTY) return false;
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
}
