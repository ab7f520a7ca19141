import { MtebError } from '../core/errors.js';
import { hfSubsets, type TaskSpec } from '../core/task-spec.js';
import { findSplit, hasConfig } from './layout.js';
import { dataExtension } from './readers/rows.js';
import type { DatasetSource } from './source.js';

/** A file list posing as a source, so the loaders' file-finding rules decide what to download. */
function listingSource(id: string, files: string[], card?: string): DatasetSource {
  return {
    kind: 'data-dir', id, root: `(hub listing of ${id})`, warnings: [],
    listFiles: () => [...files], has: (f) => files.includes(f), path: (f) => f, cardText: () => card,
  };
}

/**
 * The files a task's evaluation reads, out of a repo listing: for each hf_subset and split (eval splits, plus the
 * train split for classification) the files the loaders would open, plus README.md. Throws (E_SPLIT_MISSING /
 * E_FILE_MISSING) when the listing lacks them; callers may then fall back to downloading everything.
 */
export function selectTaskFiles(spec: TaskSpec, files: string[], cardText?: string): string[] {
  const src = listingSource(spec.dataset.path, files.filter((f) => !f.split('/').some((s) => s.startsWith('.'))), cardText);
  const keep = new Set<string>();
  const add = (configs: string[], split: string, anySplit = false) => {
    const what = `${spec.name} ${configs[0]}/${split}`;
    for (const f of findSplit(src, configs, split, { anySplit, task: spec.name, what }).files) keep.add(f);
  };
  const retrievalFormat =
    spec.type === 'Retrieval' || (spec.type === 'Reranking' && (spec.protocol === 'mteb-2' || hasConfig(src, ['corpus', 'top_ranked'])));
  const splits = [...spec.eval_splits];
  if (spec.type === 'Classification') splits.push(spec.train_split ?? 'train');
  for (const subset of hfSubsets(spec)) {
    const p = subset === 'default' ? '' : `${subset}-`;
    for (const split of splits) {
      if (retrievalFormat) {
        add(subset === 'default' ? ['qrels', 'default'] : [`${p}qrels`], split);
        add([`${p}queries`, `${p}query`], split, true);
        add([`${p}corpus`], split, true);
        if (hasConfig(src, [`${p}top_ranked`])) add([`${p}top_ranked`], split, true);
      } else add([subset], split);
    }
  }
  if (files.includes('README.md')) keep.add('README.md');
  return [...keep].sort();
}

/** Every data file of a listing (the fallback when the layout is not recognised). */
export function allDataFiles(files: string[]): string[] {
  return files.filter((f) => !f.split('/').some((s) => s.startsWith('.')) && (dataExtension(f) || f === 'README.md' || f.endsWith('.py')));
}

export function isMtebLayoutError(e: unknown): boolean {
  return e instanceof MtebError && (e.code === 'E_SPLIT_MISSING' || e.code === 'E_FILE_MISSING');
}
