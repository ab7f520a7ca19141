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
  /**
   * Keys (flattened, `main_score` included) whose value was NaN, ±Infinity or null: Python's json writes NaN for
   * a degenerate metric. A rule that needs one of them cannot score the file (reported, never read as missing).
   */
  nonFinite?: string[];
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
  /** mteb-ts provenance (`mteb_ts` block); absent in official mteb files. */
  protocol?: string;
  /** `mteb_ts.limit`: a `run --limit N` dry run scored only N items per split. */
  limit?: number;
  /** The first non-finite token (NaN, Infinity, -Infinity) the file held, for messages. */
  nonFiniteToken?: string;
}

export interface ModelMetaFile {
  name?: string;
  revision?: string;
  [key: string]: unknown;
}
