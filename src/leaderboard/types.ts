import type { Category, ScoringMode, TaskRule } from './rules.js';

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
  /** model_meta.json of the chosen revision folder, as written by mteb. */
  meta?: Record<string, unknown>;
}

export interface Leaderboard {
  benchmark: string;
  mode: ScoringMode;
  tasks: readonly TaskRule[];
  categories: Category[];
  models: ModelRow[];
}
