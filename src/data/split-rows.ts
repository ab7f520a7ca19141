/** What every task type's split loader (src/task-types/<type>/load.ts) shares: --limit, row iteration, typed cells. */
import { MtebError } from '../core/errors.js';
import { findSplit, type FoundSplit } from './layout.js';
import { readRows, column, type LocatedRow } from './readers/rows.js';
import type { Label } from '../core/datasets.js';
import type { DatasetSource } from './source.js';

export interface LoadOptions {
  /** Dry run: keep only the first N items of the split (what an item is depends on the type; docs/tasks.md). */
  limit?: number;
}

export function checkLimit(opts: LoadOptions): number {
  const l = opts.limit;
  if (l === undefined) return Infinity;
  if (!Number.isInteger(l) || l <= 0) throw new MtebError('E_USAGE', `--limit must be a positive integer, got ${l}`, { field: 'limit' });
  return l;
}

/** Rows of every shard of a found split, in order. */
export async function* rowsOf(source: DatasetSource, found: FoundSplit, columns?: string[]): AsyncGenerator<LocatedRow> {
  for (const f of found.files) yield* readRows(source.path(f), { columns });
}

/** Files of (subset, split) for the single-table task types; subset 'default' also accepts the root layout. */
export function findTable(source: DatasetSource, task: { name: string }, split: string, subset: string): FoundSplit {
  return findSplit(source, [subset], split, { what: `${task.name} ${subset}/${split}`, task: task.name });
}

/** Loads the rows of one (subset, split) table and folds them with `each` until it returns false. */
export async function foldTable(
  source: DatasetSource,
  task: { name: string },
  split: string,
  subset: string,
  each: (r: LocatedRow) => boolean | void,
): Promise<void> {
  const found = findTable(source, task, split, subset);
  for await (const r of rowsOf(source, found)) if (each(r) === false) return;
}

/** A class label cell: string or number (booleans as 1/0). */
export function label(r: LocatedRow, field: string, v: unknown): Label {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw badValue(r, field, 'a label (string or number)', v);
}

export function str(r: LocatedRow, ...cols: string[]): string {
  const v = column(r, ...cols);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw badValue(r, cols[0], 'a string', v);
}

export function strList(r: LocatedRow, ...cols: string[]): string[] {
  const v = column(r, ...cols);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw badValue(r, cols[0], 'a list of strings', v);
}

export function num(r: LocatedRow, ...cols: string[]): number {
  const v = column(r, ...cols);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw badValue(r, cols[0], 'a number', v);
}

export function badValue(r: LocatedRow, field: string, expected: string, v: unknown): MtebError {
  const shown = JSON.stringify(v);
  return new MtebError(
    'E_BAD_VALUE',
    `expected ${expected}, got ${shown === undefined ? String(v) : shown.length > 80 ? shown.slice(0, 77) + '...' : shown}${r.line === undefined ? ` (row ${r.index})` : ''}`,
    { file: r.file, line: r.line, field },
  );
}

/** Rethrows loader errors with the task name attached. */
export async function withTask<T>(task: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof MtebError ? e.withTask(task) : e;
  }
}
