/**
 * Leaderboard scoring rules per benchmark. Which tasks, splits and hf_subsets count comes from the task registry
 * (tasks/benchmarks.json); what is kept here are the properties of a leaderboard, not of a task: which metric
 * each category is ranked by and how per-task values become averages (the same STS22 file is scored by
 * `cos_sim_spearman` on subset `en` for the original MTEB(eng, v1) table, by its main score under v2 rules).
 */
import { MtebError } from '../core/errors.js';
import { benchmarkScoring, getBenchmark, getTask } from '../registry/index.js';
import { taskType } from '../task-types/index.js';

export type Category =
  | 'Classification'
  | 'Clustering'
  | 'PairClassification'
  | 'Reranking'
  | 'Retrieval'
  | 'STS'
  | 'Summarization'
  | 'BitextMining';

export const CATEGORIES: readonly Category[] = [
  'Classification', 'Clustering', 'PairClassification', 'Reranking', 'Retrieval', 'STS', 'Summarization', 'BitextMining',
];

export interface TaskRule {
  name: string;
  category: Category;
  split: string;
  /** hf_subsets that count; a task's score is the mean over them. */
  subsets: string[];
  /** Metric spellings in order of preference, or 'main_score' for the value the file stores as main score. */
  metric: readonly string[] | 'main_score';
  /**
   * Spellings read when none of `metric` is in the file, except under `--strict`: v1 Reranking files written by
   * mteb >= 2 store `map_at_1000` (their main_score) instead of `map`.
   */
  mteb2Metric?: readonly string[];
  /** Metric spellings used when a pre-1.11 file has no main_score (mode 'current'). */
  mainScoreFallback?: readonly string[];
  /** Aggregate task: score = mean of these tasks' scores (CQADupstackRetrieval). */
  aggregateOf?: readonly string[];
}

/**
 * 'classic': the original HF-space leaderboard (x100, Python round to 2 decimals per task, mean over tasks,
 *   blank when any task is missing). 'current': the leaderboard inside mteb >= 1.16 (main_score as stored,
 *   mean over tasks and over task types, Borda rank).
 */
export type ScoringMode = 'classic' | 'current';

export interface BenchmarkRules {
  name: string;
  aliases: readonly string[];
  mode: ScoringMode;
  tasks: readonly TaskRule[];
  /** Splits that may stand in for `split` when a file holds only that one, flagged as a mislabel. */
  splitMislabels: Readonly<Record<string, readonly string[]>>;
}

/** Each task type's metric spellings (classic table, pre-1.11 main score) are a field of its task-type entry. */
const metricsOf = (c: Category) => taskType(c).leaderboard;

/** Task list, split, subsets and aggregates of a benchmark, as the task registry (tasks/benchmarks.json) defines them. */
function registryTaskList(benchmark: string): Array<{ name: string; category: Category; split: string; subsets: string[]; aggregateOf?: string[] }> {
  return benchmarkScoring(getBenchmark(benchmark)).map((t) => ({
    name: t.name,
    category: t.type as Category,
    split: t.split,
    subsets: t.subsets,
    ...(t.aggregate_of ? { aggregateOf: t.aggregate_of.map((id) => getTask(id).name) } : {}),
  }));
}

/** The 12 forum tasks the CQADupstackRetrieval aggregate averages. */
export const CQADUPSTACK_FORUMS: readonly string[] = getTask('CQADupstackRetrieval').aggregate_of!.map((id) => getTask(id).name);

/** The original HF-space leaderboard of MTEB(eng, v1): the registry's tasks, scored by the classic rules. */
export const MTEB_ENG_V1: BenchmarkRules = {
  name: 'MTEB(eng, v1)',
  aliases: ['MTEB(eng, classic)', 'MTEB', 'mteb-eng-v1', 'eng-v1'],
  mode: 'classic',
  splitMislabels: { dev: ['test'] },
  tasks: registryTaskList('MTEB(eng, v1)').map((t) => ({
    ...t,
    metric: metricsOf(t.category).classicMetric,
    ...(metricsOf(t.category).classicMteb2Metric ? { mteb2Metric: metricsOf(t.category).classicMteb2Metric } : {}),
  })),
};

/** The leaderboard inside mteb >= 1.16 for MTEB(eng, v2): main_score as stored. */
export const MTEB_ENG_V2: BenchmarkRules = {
  name: 'MTEB(eng, v2)',
  aliases: ['MTEB(eng)', 'mteb-eng-v2', 'eng-v2'],
  mode: 'current',
  splitMislabels: {},
  tasks: registryTaskList('MTEB(eng, v2)').map((t) => ({ ...t, metric: 'main_score' as const, mainScoreFallback: metricsOf(t.category).mainScoreFallback })),
};

const ALL: readonly BenchmarkRules[] = [MTEB_ENG_V1, MTEB_ENG_V2];

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');

export function benchmarkNames(): string[] {
  return ALL.map((b) => b.name);
}

/**
 * MTEB(eng, v1) and MTEB(eng, v2) use the leaderboard rules above; any other benchmark of the task registry
 * (tasks/benchmarks.json: BEIR, demo, a CI benchmark) is scored by its registry scoring under the current rules.
 */
export function getBenchmarkRules(name: string): BenchmarkRules {
  const n = norm(name);
  const hit = ALL.find((b) => norm(b.name) === n || b.aliases.some((a) => norm(a) === n));
  if (hit) return hit;
  let spec;
  try {
    spec = getBenchmark(name);
  } catch (e) {
    if (e instanceof MtebError && e.code === 'E_UNKNOWN_BENCHMARK') {
      throw new MtebError('E_UNKNOWN_BENCHMARK', `${e.message}; leaderboard rules built in for: ${benchmarkNames().join(', ')}`, {
        field: 'benchmark',
      });
    }
    throw e;
  }
  return registryRules(spec.name, spec.aliases ?? [], benchmarkScoring(spec));
}

/** Rules from the registry's resolved scoring (one entry per benchmark task). */
export function registryRules(
  name: string,
  aliases: readonly string[],
  scoring: Array<{ name: string; type: string; split: string; subsets: string[]; metric: string; aggregate_of?: string[] }>,
): BenchmarkRules {
  return {
    name,
    aliases,
    mode: 'current',
    splitMislabels: {},
    tasks: scoring.map((t) => {
      const category = (CATEGORIES as readonly string[]).includes(t.type) ? (t.type as Category) : 'Retrieval';
      return {
        name: t.name,
        category,
        split: t.split,
        subsets: t.subsets,
        metric: t.metric === 'main_score' ? 'main_score' : [t.metric],
        mainScoreFallback: metricsOf(category).mainScoreFallback,
        ...(t.aggregate_of ? { aggregateOf: t.aggregate_of } : {}),
      };
    }),
  };
}
