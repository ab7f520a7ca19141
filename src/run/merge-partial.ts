/**
 * `--overwrite-strategy only-missing` on a result that lacks some (split, hf_subset) pairs: the pairs computed
 * now are merged into the result (and its per-item scores) that is already there, as mteb's
 * `_evaluate_task(..., existing_results=...)` merges the new splits into the cached TaskResult.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ItemScores } from '../task-types/adapter.js';
import type { ResultFile } from '../output/result-file.js';

export type ItemsBySplit = Record<string, Record<string, { main_score: string; metrics: ItemScores }>>;

/** The old result's entries, then the new ones, split by split (old splits first, in their order). */
export function mergeResults(old: ResultFile, fresh: ResultFile): ResultFile {
  const scores: ResultFile['scores'] = {};
  for (const [split, entries] of Object.entries(old.scores ?? {})) scores[split] = [...entries];
  for (const [split, entries] of Object.entries(fresh.scores)) {
    if (!entries.length) continue;
    const kept = (scores[split] ?? []).filter((e) => !entries.some((n) => n.hf_subset === e.hf_subset));
    scores[split] = [...kept, ...entries];
  }
  const metadata = { ...(old.mteb_ts?.metadata ?? {}), ...(fresh.mteb_ts?.metadata ?? {}) };
  return {
    ...fresh,
    scores,
    evaluation_time: (old.evaluation_time || 0) + (fresh.evaluation_time || 0),
    mteb_ts: { ...fresh.mteb_ts!, ...(Object.keys(metadata).length ? { metadata } : {}) },
  };
}

/** The per-item scores the existing items file holds (when the result records it), with the new pairs over them. */
export function mergeItems(itemsFile: string, recorded: boolean, fresh: ItemsBySplit): ItemsBySplit {
  if (!recorded || !existsSync(itemsFile)) return fresh;
  const old = (JSON.parse(readFileSync(itemsFile, 'utf8')) as { splits?: ItemsBySplit }).splits ?? {};
  const out: ItemsBySplit = {};
  for (const [split, subsets] of Object.entries(old)) out[split] = { ...subsets };
  for (const [split, subsets] of Object.entries(fresh)) out[split] = { ...(out[split] ?? {}), ...subsets };
  return out;
}
