/**
 * The bench's tables: columns as wide as their widest cell or header, text left-aligned and
 * figures right-aligned, two spaces apart, so a long stack name or a large figure moves the
 * columns after it instead of running into them.
 */

export interface Column {
    readonly header: string;
    /** Figures are right-aligned; text (the default) left-aligned. */
    readonly align?: "left" | "right";
}

/** Each column's width: its header's, or its widest cell's. */
export function columnWidths(columns: readonly Column[], rows: readonly (readonly string[])[]): number[] {
    return columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length)));
}

/** One line of a table whose column widths are known. */
export function tableLine(columns: readonly Column[], widths: readonly number[], cells: readonly string[]): string {
    return columns
        .map((c, i) => (c.align === "right" ? (cells[i] ?? "").padStart(widths[i]) : (cells[i] ?? "").padEnd(widths[i])))
        .join("  ")
        .trimEnd();
}

/** The header and the rows, aligned. */
export function alignedTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
    const widths = columnWidths(columns, rows);
    return [
        tableLine(
            columns,
            widths,
            columns.map((c) => c.header),
        ),
        ...rows.map((r) => tableLine(columns, widths, r)),
    ];
}
