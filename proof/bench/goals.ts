/** How `npm run bench` prints a goal: the figure beside the goal, and whether it is met. */

/** `100 accounts: 27.1 s (goal ≤ 30 s) PASS`. */
export function goalLine(what: string, figure: string, goal: string, met: boolean): string {
    return `${what}: ${figure} (goal ${goal}) ${met ? "PASS" : "FAIL"}`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
