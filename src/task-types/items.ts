import type { ItemScores } from './adapter.js';

/** Per-query metric dicts (query -> metric -> value) turned into the sidecar's metric -> query -> value. */
export function itemsFromPerQuery(perQuery: Map<string, Record<string, number>>): ItemScores {
  const out: ItemScores = {};
  for (const [qid, metrics] of perQuery) {
    for (const [m, v] of Object.entries(metrics)) (out[m] ??= {})[qid] = v;
  }
  return out;
}

/** A per-item array (row order) as the sidecar's metric -> "index" -> value; NaN items (skipped) are left out. */
export function itemsFromArray(metric: string, values: ArrayLike<number>): ItemScores {
  const m: Record<string, number> = {};
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m[String(i)] = values[i];
  return { [metric]: m };
}
