import { MtebError } from '../core/errors.js';
import { findSplit, hasConfig } from './layout.js';
import { dataExtension } from './readers/rows.js';
import type { DatasetSource } from './source.js';

/** A file list posing as a source, so the loaders' file-finding rules decide what to download. */
export function listingSource(id: string, files: string[], card?: string): DatasetSource {
  return {
    kind: 'data-dir', id, root: `(hub listing of ${id})`, warnings: [],
    listFiles: () => [...files], has: (f) => files.includes(f), path: (f) => f, cardText: () => card,
  };
}

/**
 * Files a loader opens for one split: the first of `configs` that has it (`anySplit`: the config's only split
 * whatever its name, as corpus and queries configs are read). Each task type lists its groups (`dataFiles` of
 * its entry in src/task-types/), so this module never looks at a task type.
 */
export interface FileGroup {
  configs: string[];
  split: string;
  anySplit?: boolean;
}

/** What a task type may ask of a repo listing when it names its file groups (no file reading involved). */
export interface RepoListing {
  /** Whether the repo has any of these configs (dataset-card `configs:` or folder layout). */
  hasConfig(configs: string[]): boolean;
}

/**
 * The files a task's evaluation reads, out of a repo listing: the files of each group the task type names for
 * this listing, plus README.md. Throws (E_SPLIT_MISSING / E_FILE_MISSING) when the listing lacks them; callers may
 * then fall back to downloading everything.
 */
export function selectFiles(
  task: { name: string; dataset: { path: string } },
  files: string[],
  cardText: string | undefined,
  groups: (listing: RepoListing) => FileGroup[],
): string[] {
  const src = listingSource(task.dataset.path, files.filter((f) => !f.split('/').some((s) => s.startsWith('.'))), cardText);
  const keep = new Set<string>();
  for (const g of groups({ hasConfig: (configs) => hasConfig(src, configs) })) {
    const what = `${task.name} ${g.configs[0]}/${g.split}`;
    for (const f of findSplit(src, g.configs, g.split, { anySplit: g.anySplit ?? false, task: task.name, what }).files) keep.add(f);
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
