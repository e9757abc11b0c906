/**
 * Text for the page: escaping, and the width of a label in the page's font (Arial, or Liberation
 * Sans, which has Arial's metrics), so the layout can wrap labels to fit their boxes without a
 * browser to measure them. The browser test checks the estimate: no label spills out of its box.
 */

export const escapeHtml = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Advance widths of Arial's glyphs in em, regular weight; characters not listed count as a lowercase letter. */
const NARROW = new Set("ijl.,:;'!|/\\ I");
const WIDTHS: Readonly<Record<string, number>> = {
    f: 0.278,
    t: 0.278,
    r: 0.333,
    "-": 0.333,
    "(": 0.333,
    ")": 0.333,
    "[": 0.278,
    "]": 0.278,
    m: 0.833,
    w: 0.722,
    k: 0.5,
    s: 0.5,
    c: 0.5,
    v: 0.5,
    x: 0.5,
    y: 0.5,
    z: 0.5,
    J: 0.5,
    L: 0.556,
    F: 0.611,
    T: 0.611,
    Z: 0.611,
    M: 0.833,
    W: 0.944,
    C: 0.722,
    D: 0.722,
    G: 0.778,
    H: 0.722,
    N: 0.722,
    O: 0.778,
    Q: 0.778,
    R: 0.722,
    U: 0.722,
    "@": 1.015,
    "#": 0.556,
    "·": 0.278,
    "…": 1,
    "✕": 0.8,
    "→": 1,
};

/** The width in pixels of `text` at `size` px; bold glyphs are about 9% wider. A little generous, never short. */
export function textWidth(text: string, size: number, bold = false): number {
    let em = 0;
    for (const ch of text) {
        if (NARROW.has(ch)) em += 0.278;
        else if (WIDTHS[ch] !== undefined) em += WIDTHS[ch];
        else if (/[A-Z]/.test(ch)) em += 0.667;
        else em += 0.556;
    }
    return em * size * (bold ? 1.1 : 1) * 1.03;
}

/** Cuts text to fit `max` pixels, with an ellipsis where it was cut. */
export function fit(text: string, max: number, size: number, bold = false): string {
    if (textWidth(text, size, bold) <= max) return text;
    let cut = text;
    while (cut.length > 1 && textWidth(`${cut}…`, size, bold) > max) cut = cut.slice(0, -1);
    return `${cut}…`;
}

/**
 * Wraps a name into at most `lines` lines of `max` pixels, breaking after `-`, `/`, `.`, `_`, a
 * space, or between a lowercase letter and an uppercase one (camel case); the last line is cut
 * with an ellipsis if the name is longer still.
 */
export function wrapName(text: string, max: number, size: number, bold = false, lines = 2): string[] {
    const tokens = text.match(/[^-/._ ]*?(?:[-/._ ]|[a-z0-9](?=[A-Z])|$)/g)?.filter((t) => t.length > 0) ?? [text];
    const out: string[] = [];
    let current = "";
    for (const token of tokens) {
        if (current && textWidth(current + token, size, bold) > max) {
            out.push(current);
            current = token;
        } else current += token;
    }
    if (current) out.push(current);
    if (out.length <= lines) return out.map((line) => fit(line.trimEnd(), max, size, bold));
    const kept = out.slice(0, lines - 1);
    return [...kept.map((line) => fit(line.trimEnd(), max, size, bold)), fit(out.slice(lines - 1).join(""), max, size, bold)];
}
