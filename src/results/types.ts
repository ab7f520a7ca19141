/**
 * One mteb result file, normalised. Every format mteb has written (pre-1.11 nested per-split dicts, 1.11+
 * `scores -> split -> [entries]`, model-card `external` files) becomes the same shape, so scoring rules never
 * care which version wrote a file.
 */
export type ResultFormat = 'pre-1.11' | '1.11+';

export interface SubsetScores {
  hfSubset: string;
  /** Flat metric map: nested dicts are joined with `_` (`cos_sim.ap` -> `cos_sim_ap`). Values as stored (0-1). */
  metrics: Record<string, number>;
  /** The file's `main_score`; absent in pre-1.11 files. */
  mainScore?: number;
}

export interface TaskResult {
  taskName: string;
  file: string;
  format: ResultFormat;
  mtebVersion: string | null;
  datasetRevision: string | null;
  /** split name -> one entry per hf_subset. */
  splits: Record<string, SubsetScores[]>;
  /** Notes the reader made while normalising (placeholder metrics, odd shapes); reported, never fatal. */
  notes: string[];
  /** Unix timestamp when the file says (mteb >= 2 writes `date`). */
  date?: number;
}

export interface ModelMetaFile {
  name?: string;
  revision?: string;
  [key: string]: unknown;
}
