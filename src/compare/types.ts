import type { Category, ScoringMode } from '../leaderboard/rules.js';
import type { Provenance, UnusableFile } from '../leaderboard/types.js';
import type { BootstrapResult, RandomizationResult } from './paired-tests.js';

export type TestKind = 'randomization' | 'bootstrap' | 'both';

export interface ItemSignificance {
  /** Items scored on both sides (ids present on one side only are dropped and counted). */
  n: number;
  droppedItems: number;
  metric: string;
  randomization?: RandomizationResult;
  bootstrap?: BootstrapResult;
  /** Randomization p < alpha when that test ran, else the bootstrap interval excludes 0. */
  significant: boolean;
}

export interface TaskDelta {
  task: string;
  category: Category;
  baseline: number | null;
  candidate: number | null;
  /** candidate - baseline, 0-100 scale; null when either side is missing. */
  delta: number | null;
  significance: ItemSignificance | null;
  /** Why significance is unknown, when it is. */
  significanceNote?: string;
  /** Why `delta` is null: which side lacks the score and why (file, split, subset or metric). */
  blank?: string;
  /** Provenance of the file each side's value came from (absent when that side has no value). */
  baselineProvenance?: Provenance;
  candidateProvenance?: Provenance;
}

/** What two sides must agree on for their scores to be comparable. */
export type MismatchField = 'protocol' | 'mteb-version' | 'dataset-revision' | 'limit';

export const MISMATCH_FIELDS: readonly MismatchField[] = ['protocol', 'mteb-version', 'dataset-revision', 'limit'];

/** Tasks whose two files record different values of one field (grouped by the pair of values). */
export interface Mismatch {
  field: MismatchField;
  baseline: string;
  candidate: string;
  tasks: string[];
  message: string;
}

export interface CategoryDelta {
  category: Category;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Why `delta` is null: the tasks each side lacks. */
  blank?: string;
  /** Mean delta over the category's tasks scored on both sides (when some are missing). */
  common?: { n: number; of: number; delta: number };
}

export interface SideInfo {
  model: string;
  revision: string | null;
  layers: string[];
  average: number | null;
  warnings: string[];
  /** Result files of this side that could not be scored (see UnusableFile). */
  unusable: UnusableFile[];
}

export interface Comparison {
  benchmark: string;
  mode: ScoringMode;
  alpha: number;
  baseline: SideInfo;
  candidate: SideInfo;
  tasks: TaskDelta[];
  categories: CategoryDelta[];
  average: {
    baseline: number | null;
    candidate: number | null;
    delta: number | null;
    /** Mean over the tasks scored on both sides, with a bootstrap over tasks of the mean delta. */
    common: { n: number; baseline: number; candidate: number; delta: number; bootstrap?: BootstrapResult } | null;
    /** The benchmark's task count (`common.n` of them are on both sides). */
    tasks: number;
    /** Why `delta` is null: the tasks each side lacks. */
    blank?: string;
  };
  warnings: string[];
  /** Provenance disagreements between the files compared (also in `warnings`). */
  mismatches: Mismatch[];
}
