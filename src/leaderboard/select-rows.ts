import { MtebError } from '../core/errors.js';
import type { Leaderboard, ModelRow } from './types.js';

export interface RowSelection {
  /** Keep models whose name contains one of these (case-insensitive). */
  models?: readonly string[];
  /** Then keep the N best ranked (unranked models after ranked ones, in their order). */
  top?: number;
}

/**
 * The models a report shows: filters applied after the leaderboard is built, so ranks stay those among every
 * model found (rank 3 of 327 stays 3 when only the top 10 are shown). A filter that leaves no model is an error
 * naming what there was.
 */
export function selectRows(lb: Leaderboard, sel: RowSelection): Leaderboard {
  if (!sel.models?.length && sel.top === undefined) return lb;
  let rows: ModelRow[] = lb.models;
  if (sel.models?.length) {
    const needles = sel.models.flatMap((m) => m.split(',')).map((m) => m.trim().toLowerCase()).filter(Boolean);
    rows = rows.filter((r) => needles.some((n) => r.model.toLowerCase().includes(n)));
    if (!rows.length) {
      const some = lb.models.slice(0, 5).map((r) => r.model).join(', ');
      throw new MtebError('E_USAGE', `--models ${sel.models.join(',')} matches none of the ${lb.models.length} models (e.g. ${some})`, { field: 'models' });
    }
  }
  if (sel.top !== undefined) {
    const byRank = rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.rank ?? Infinity) - (b.r.rank ?? Infinity) || a.i - b.i);
    const keep = new Set(byRank.slice(0, sel.top).map((x) => x.r));
    rows = rows.filter((r) => keep.has(r));
  }
  return { ...lb, models: rows };
}
