import type { FileGroup, RepoListing } from '../data/select-files.js';
import { hfSubsets } from './spec.js';

type Task = { eval_splits: string[]; hf_subsets?: string[] };

/** The files of the single-table types: one config per hf_subset ('default' also accepts the root layout), per split. */
export function tableFiles(spec: Task, splits: readonly string[] = spec.eval_splits): FileGroup[] {
  return hfSubsets(spec).flatMap((subset) => splits.map((split) => ({ configs: [subset], split })));
}

/**
 * The files of the retrieval format, as loadRetrievalSplit opens them: qrels of the split, the queries and corpus
 * configs whatever their split name, and top_ranked where the repo has it; non-default subsets use `<subset>-<config>`.
 */
export function retrievalFiles(spec: Task, listing: RepoListing): FileGroup[] {
  return hfSubsets(spec).flatMap((subset) => {
    const p = subset === 'default' ? '' : `${subset}-`;
    return spec.eval_splits.flatMap((split) => [
      { configs: subset === 'default' ? ['qrels', 'default'] : [`${p}qrels`], split },
      { configs: [`${p}queries`, `${p}query`], split, anySplit: true },
      { configs: [`${p}corpus`], split, anySplit: true },
      ...(listing.hasConfig([`${p}top_ranked`]) ? [{ configs: [`${p}top_ranked`], split, anySplit: true }] : []),
    ]);
  });
}
