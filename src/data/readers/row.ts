/**
 * The row type every reader yields, in a file of its own so that the per-format readers (parquet, tsv) and the
 * dispatcher in rows.ts all import it without importing each other.
 */
export type Row = Record<string, unknown>;

/** A row and where it came from (`line` for text formats, `index` = 0-based row number in the file). */
export interface LocatedRow {
  row: Row;
  file: string;
  index: number;
  line?: number;
}
