import type { ErrorCode } from '../core/errors.js';
import type { Category, ScoringMode, TaskRule } from './rules.js';

/**
 * A result file a benchmark task needed that could not be scored. `broken`: the file itself is bad (unreadable,
 * invalid JSON, wrong shape, non-finite score) — report/compare/gate exit 2. Not broken: a readable file that
 * lacks the benchmark's split/subset/metric (official files often hold other languages) — a warning, and for
 * the gate an input problem when the task has no score on that side.
 */
export interface UnusableFile {
  task: string;
  file: string;
  /** `<source>:<folder>` of the layer, as in warnings. */
  layer: string;
  code: ErrorCode;
  reason: string;
  broken: boolean;
}

/** What the file a score came from says about how it was produced (null: the file does not record it). */
export interface Provenance {
  mtebVersion: string | null;
  datasetRevision: string | null;
  /** `mteb_ts.protocol` (mteb-ts runs only). */
  protocol: string | null;
  /** `mteb_ts.limit` of a `--limit` dry run; null for a full evaluation. */
  limit: number | null;
}

export interface ScoreSource {
  /** `<kind>:<folder>` of the layer the value came from, e.g. `external:external`, `revision:570834af…`. */
  layer: string;
  file: string;
}

export interface TaskScore {
  task: string;
  category: Category;
  /** 0-100 scale; classic mode: already rounded to 2 decimals like the original leaderboard. Null = missing. */
  value: number | null;
  /** Unrounded 0-1 value behind `value`. */
  raw: number | null;
  source?: ScoreSource;
  /** Metric key actually read (`cos_sim_ap`, `main_score`, …). */
  metric?: string;
  /** Why the value is missing or what is odd about it. */
  warnings: string[];
  /** Files of this task that could not be scored (also named in `warnings`). */
  unusable?: UnusableFile[];
  /** Provenance of the file(s) the value came from. */
  provenance?: Provenance;
}

export interface ModelRow {
  model: string;
  /** The revision folder whose files were used (null: none, only external/flat files). */
  revision: string | null;
  /** Every layer consulted, highest precedence first. */
  layers: string[];
  average: number | null;
  /** Mean of per-category means (mode 'current'); null when any category is blank. */
  typeAverage: number | null;
  categories: Partial<Record<Category, number | null>>;
  tasks: Record<string, TaskScore>;
  rank: number | null;
  /** Borda count (mode 'current'). */
  borda?: number;
  warnings: string[];
  /** Every unusable result file of the benchmark's tasks, in task order. */
  unusable?: UnusableFile[];
  /** model_meta.json of the chosen revision folder, as written by mteb. */
  meta?: Record<string, unknown>;
}

export interface Leaderboard {
  benchmark: string;
  mode: ScoringMode;
  tasks: readonly TaskRule[];
  categories: Category[];
  models: ModelRow[];
  /**
   * Set when `--tasks`/`--types` narrowed the columns shown: the benchmark's task count, which the averages
   * (computed over every task, as the leaderboard ranks) still cover.
   */
  allTasks?: number;
  /** Unusable result files of every model found, including models left out of a `current` ranking. */
  unusable?: UnusableFile[];
}
