/** Markdown tables, as every part of the report writes them. */

/** A table cell: pipes escaped, on one line. */
export const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export const table = (header: readonly string[], rows: readonly (readonly string[])[]) => [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
];
