/**
 * "Did you mean" for names typed by hand (config keys, stack names, program names). Typos are
 * mostly one slip: a missing, extra, wrong or swapped letter, or the wrong case (`ARNs` for
 * `Arns`), so the distance counts a swap of neighbours as one edit and ignores case.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) rows[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
            }
        }
    }
    return rows[a.length][b.length];
}

/**
 * The candidate closest to `word`, if close enough to be a typo of it: at most a third of its
 * length (two edits for short names), so that unrelated names are never suggested.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of candidates) {
        const distance = editDistance(word.toLowerCase(), name.toLowerCase());
        const limit = Math.max(2, Math.floor(name.length / 3));
        if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
    }
    return best?.name;
}

/** `did you mean "x"? ` when a candidate is close, else nothing; to put before "expected ...". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const match = closest(word, candidates);
    return match ? `did you mean "${match}"? ` : "";
}
