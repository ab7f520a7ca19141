/**
 * `--overwrite-strategy`, with mteb 2.x's four values and meanings. mteb/evaluate.py (2.20), `OverwriteStrategy`:
 *
 *   - "always": Always run the task, overwriting the results
 *   - "never": Run the task only if the results are not found in the cache. If the results are found, it will
 *     not run the task.
 *   - "only-missing": Only rerun the missing splits of a task. It will not rerun the splits if the dataset
 *     revision or mteb version has changed.
 *   - "only-cache": Only load the results from the cache folder and do not run the task.
 *
 * and `_check_cache` there: under "never" and "only-cache" a result that lacks some splits/subsets is an error
 * ("... To rerun these set overwrite_strategy to 'only-missing'"), and "only-cache" without a result is one.
 * mteb's "cache" is the results folder (`--output`).
 *
 * The default is mteb's, "only-missing". mteb-ts' behaviour before this option is that strategy at task
 * granularity (a complete result is reused, an incomplete one recomputed whole); now only the missing
 * (split, hf_subset) pairs are computed and merged into the result. `--overwrite` stays, as "always".
 * Where mteb-ts is stricter than mteb, on purpose: a complete result made by another evaluation (model settings,
 * dataset revision, protocol: `mteb_ts.identity`, src/run/identity.ts) is refused under every strategy but
 * "always" instead of reused, and an incomplete one from another evaluation is recomputed whole (mteb's
 * "not mergeable" case).
 */
export const OVERWRITE_STRATEGIES = ['always', 'never', 'only-missing', 'only-cache'] as const;
export type OverwriteStrategy = (typeof OVERWRITE_STRATEGIES)[number];

/** The (split, hf_subset) pairs a result file lacks, as `split/subset`. */
export function missingPairs(scores: Record<string, { hf_subset?: unknown }[]> | undefined, splits: readonly string[], subsets: readonly string[]): string[] {
  const out: string[] = [];
  for (const split of splits)
    for (const subset of subsets) if (!scores?.[split]?.some((e) => e.hf_subset === subset)) out.push(`${split}/${subset}`);
  return out;
}
