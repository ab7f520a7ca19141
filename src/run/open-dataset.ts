import type { TaskSpec } from '../task-types/spec.js';
import { resolveDatasetSource, type DatasetSource } from '../data/index.js';

export interface DatasetOptions {
  /** `--data-dir`: datasets as `<dataDir>/<org>/<name>/`. */
  dataDir?: string;
  /** `--hf-home`: overrides $HF_HOME for finding the hub cache. */
  hfHome?: string;
}

/** Finds a task's dataset files and says which revision they are at (warnings when not the pinned one). */
export async function openDataset(spec: TaskSpec, opts: DatasetOptions): Promise<{ source: DatasetSource; warnings: string[]; revision?: string }> {
  const env = opts.hfHome ? { ...process.env, HF_HOME: opts.hfHome, HF_HUB_CACHE: undefined } : process.env;
  const source = resolveDatasetSource(spec, { dataDir: opts.dataDir, env });
  return { source, warnings: source.warnings, revision: source.revision ?? spec.dataset.revision };
}
