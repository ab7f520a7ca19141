import { basename } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { jsonErrorOffset, lineAt, parseJson } from '../../util/json-file.js';
import { bomAt, lineBatches, lineText, readText, type LineBytes, type LineReadOptions } from './lines.js';
import { readParquetRows } from './parquet.js';
import { readTsvRows } from './tsv.js';
import type { LocatedRow, Row } from './row.js';

export type { LocatedRow, Row } from './row.js';

export const DATA_EXTENSIONS = ['jsonl', 'jsonl.gz', 'json', 'json.gz', 'parquet', 'tsv', 'tsv.gz', 'csv'] as const;

export function dataExtension(file: string): string | undefined {
  const b = basename(file).toLowerCase();
  return [...DATA_EXTENSIONS].sort((a, z) => z.length - a.length).find((e) => b.endsWith('.' + e));
}

function isRow(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseError(file: string, line: number | undefined, e: unknown, what = 'invalid JSON'): MtebError {
  return new MtebError('E_PARSE', `${what}: ${(e as Error).message}`, { file, line }, { cause: e });
}

/** The row of a line `RowReadOptions.parse` declined: never read (the caller only counts it). */
export const UNPARSED_ROW: Row = Object.freeze({});

export interface RowReadOptions extends LineReadOptions {
  columns?: string[];
  /**
   * JSON lines only: whether the row at this index (0-based, blank lines not counted) is wanted; a row that is not
   * comes back as UNPARSED_ROW without parsing its line (a corpus read back for one shard's chunks skips the rows
   * before them at line-splitting cost). Other formats parse every row.
   */
  parse?: (index: number) => boolean;
}

/** One JSON line's row: E_PARSE naming file and line where it is not JSON or not an object. */
export function parseJsonRow(text: string, file: string, line: number): Row {
  const v = parseJson(text, { file, line });
  if (!isRow(v)) throw new MtebError('E_PARSE', `expected a JSON object per line, got ${Array.isArray(v) ? 'an array' : typeof v}`, { file, line });
  return v;
}

/**
 * Whether a line is blank as the JSON-lines readers skip it (`text.trim()` empty), from its bytes: decoded only
 * where it starts with a non-ASCII byte (Unicode spaces).
 */
export function isBlankLine(l: LineBytes): boolean {
  let i = bomAt(l) ? l.start + 3 : l.start;
  while (i < l.end && (l.buf[i] === 0x20 || (l.buf[i] >= 0x09 && l.buf[i] <= 0x0d))) i++;
  if (i === l.end) return true;
  return l.buf[i] < 0x80 ? false : !lineText(l).trim();
}

/** JSON lines, streamed, one array of rows per chunk read; blank lines are skipped; each line must be an object. */
async function* jsonLineBatches(file: string, opts: RowReadOptions): AsyncGenerator<LocatedRow[]> {
  let index = 0;
  for await (const batch of lineBatches(file, opts)) {
    const rows: LocatedRow[] = [];
    for (const l of batch) {
      if (isBlankLine(l)) continue;
      const row = opts.parse && !opts.parse(index) ? UNPARSED_ROW : parseJsonRow(lineText(l), file, l.line);
      rows.push({ row, file, index: index++, line: l.line });
    }
    if (rows.length) yield rows;
  }
}

async function* jsonLines(file: string, opts: RowReadOptions): AsyncGenerator<LocatedRow> {
  for await (const rows of jsonLineBatches(file, opts)) yield* rows;
}

/** Rows of one file a few at a time (JSON lines: a chunk read's rows; other formats one by one): readRows for hot loops. */
export async function* readRowBatches(file: string, opts: RowReadOptions = {}): AsyncGenerator<LocatedRow[]> {
  const ext = dataExtension(file);
  if (ext === 'jsonl' || ext === 'jsonl.gz') yield* jsonLineBatches(file, opts);
  else for await (const r of readRows(file, opts)) yield [r];
}

/**
 * `.json` / `.json.gz`: a JSON array of rows, a single object (one row, e.g. pair-classification test.json.gz), or
 * JSON lines (the hub often names JSON-lines files `.json`).
 */
async function* jsonDocument(file: string): AsyncGenerator<LocatedRow> {
  const text = await readText(file);
  const head = text.trimStart()[0];
  if (head === '[' || head === '{') {
    let v: unknown;
    let ok = true;
    try {
      v = JSON.parse(text);
    } catch {
      ok = false;
    }
    if (ok) {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (!isRow(v[i])) throw new MtebError('E_PARSE', `element ${i} of the JSON array is not an object`, { file });
          yield { row: v[i] as Row, file, index: i };
        }
        return;
      }
      if (isRow(v)) {
        yield { row: v, file, index: 0, line: 1 };
        return;
      }
    } else if (head === '[') {
      const off = jsonErrorOffset(text);
      throw parseError(file, off === undefined ? undefined : lineAt(text, off), new Error('malformed JSON array'));
    }
  }
  let index = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t) continue;
    const v = parseJson(t, { file, line: i + 1 });
    if (!isRow(v)) throw new MtebError('E_PARSE', 'expected a JSON object per line', { file, line: i + 1 });
    yield { row: v, file, index: index++, line: i + 1 };
  }
}

/** Rows of any supported data file, streamed where the format allows (jsonl, tsv, parquet row groups). */
export function readRows(file: string, opts: RowReadOptions = {}): AsyncGenerator<LocatedRow> {
  const ext = dataExtension(file);
  switch (ext) {
    case 'jsonl':
    case 'jsonl.gz':
      return jsonLines(file, opts);
    case 'json':
    case 'json.gz':
      return jsonDocument(file);
    case 'parquet':
      return readParquetRows(file, opts.columns);
    case 'tsv':
    case 'tsv.gz':
      return readTsvRows(file, '\t', opts);
    case 'csv':
      return readTsvRows(file, ',', opts);
    default:
      throw new MtebError('E_PARSE', `unsupported data file type (supported: ${DATA_EXTENSIONS.join(', ')})`, { file });
  }
}

/** The value of `row[col]` (first of `cols` present), or E_COLUMN_MISSING naming file, line/row and the columns tried. */
export function column(r: LocatedRow, ...cols: string[]): unknown {
  for (const c of cols) if (r.row[c] !== undefined) return r.row[c];
  const where = r.line !== undefined ? '' : ` (row ${r.index})`;
  throw new MtebError(
    'E_COLUMN_MISSING',
    `missing column ${cols.map((c) => JSON.stringify(c)).join(' or ')}${where}; row has ${Object.keys(r.row).map((k) => JSON.stringify(k)).join(', ') || 'no columns'}`,
    { file: r.file, line: r.line, field: cols[0] },
  );
}
