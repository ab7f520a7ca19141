/**
 * Leaderboard scoring rules per benchmark: which split, which hf_subsets, which metric, which category, and how
 * per-task values become averages. Kept here (not in the task registry) because they are properties of a
 * leaderboard, not of a task: the same STS22 file is scored by `cos_sim_spearman` on subset `en` for the
 * original MTEB(eng, v1) table, and by a different task (STS22.v2) under MTEB(eng, v2).
 */
import { MtebError } from '../core/errors.js';
import { benchmarkScoring, getBenchmark } from '../registry/index.js';

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

const COS_AP = ['cos_sim_ap', 'cosine_ap'] as const;
const COS_SPEARMAN = ['cos_sim_spearman', 'cosine_spearman'] as const;

const CLASSIC_METRIC: Record<Category, readonly string[]> = {
  Classification: ['accuracy'],
  Clustering: ['v_measure'],
  PairClassification: COS_AP,
  Reranking: ['map'],
  Retrieval: ['ndcg_at_10'],
  STS: COS_SPEARMAN,
  Summarization: COS_SPEARMAN,
  BitextMining: ['f1'],
};

/** What pre-1.11 files (no main_score) meant by main score, for mode 'current'. */
const MAIN_FALLBACK: Record<Category, readonly string[]> = {
  Classification: ['accuracy'],
  Clustering: ['v_measure'],
  PairClassification: ['max_ap', 'ap'],
  Reranking: ['map_at_1000', 'map'],
  Retrieval: ['ndcg_at_10'],
  STS: COS_SPEARMAN,
  Summarization: COS_SPEARMAN,
  BitextMining: ['f1'],
};

export const CQADUPSTACK_FORUMS = [
  'Android', 'English', 'Gaming', 'Gis', 'Mathematica', 'Physics', 'Programmers', 'Stats', 'Tex', 'Unix',
  'Webmasters', 'Wordpress',
].map((f) => `CQADupstack${f}Retrieval`);

const V1_TASKS: Array<[string, Category, string?, string?]> = [
  ['AmazonCounterfactualClassification', 'Classification', 'en'],
  ['AmazonPolarityClassification', 'Classification'],
  ['AmazonReviewsClassification', 'Classification', 'en'],
  ['Banking77Classification', 'Classification'],
  ['EmotionClassification', 'Classification'],
  ['ImdbClassification', 'Classification'],
  ['MassiveIntentClassification', 'Classification', 'en'],
  ['MassiveScenarioClassification', 'Classification', 'en'],
  ['MTOPDomainClassification', 'Classification', 'en'],
  ['MTOPIntentClassification', 'Classification', 'en'],
  ['ToxicConversationsClassification', 'Classification'],
  ['TweetSentimentExtractionClassification', 'Classification'],
  ['ArxivClusteringP2P', 'Clustering'],
  ['ArxivClusteringS2S', 'Clustering'],
  ['BiorxivClusteringP2P', 'Clustering'],
  ['BiorxivClusteringS2S', 'Clustering'],
  ['MedrxivClusteringP2P', 'Clustering'],
  ['MedrxivClusteringS2S', 'Clustering'],
  ['RedditClustering', 'Clustering'],
  ['RedditClusteringP2P', 'Clustering'],
  ['StackExchangeClustering', 'Clustering'],
  ['StackExchangeClusteringP2P', 'Clustering'],
  ['TwentyNewsgroupsClustering', 'Clustering'],
  ['SprintDuplicateQuestions', 'PairClassification'],
  ['TwitterSemEval2015', 'PairClassification'],
  ['TwitterURLCorpus', 'PairClassification'],
  ['AskUbuntuDupQuestions', 'Reranking'],
  ['MindSmallReranking', 'Reranking'],
  ['SciDocsRR', 'Reranking'],
  ['StackOverflowDupQuestions', 'Reranking'],
  ['ArguAna', 'Retrieval'],
  ['ClimateFEVER', 'Retrieval'],
  ['CQADupstackRetrieval', 'Retrieval'],
  ['DBPedia', 'Retrieval'],
  ['FEVER', 'Retrieval'],
  ['FiQA2018', 'Retrieval'],
  ['HotpotQA', 'Retrieval'],
  ['MSMARCO', 'Retrieval', undefined, 'dev'],
  ['NFCorpus', 'Retrieval'],
  ['NQ', 'Retrieval'],
  ['QuoraRetrieval', 'Retrieval'],
  ['SCIDOCS', 'Retrieval'],
  ['SciFact', 'Retrieval'],
  ['Touche2020', 'Retrieval'],
  ['TRECCOVID', 'Retrieval'],
  ['BIOSSES', 'STS'],
  ['SICK-R', 'STS'],
  ['STS12', 'STS'],
  ['STS13', 'STS'],
  ['STS14', 'STS'],
  ['STS15', 'STS'],
  ['STS16', 'STS'],
  ['STS17', 'STS', 'en-en'],
  ['STS22', 'STS', 'en'],
  ['STSBenchmark', 'STS'],
  ['SummEval', 'Summarization'],
];

const V2_TASKS: Array<[string, Category, string?]> = [
  ['AmazonCounterfactualClassification', 'Classification', 'en'],
  ['Banking77Classification', 'Classification'],
  ['ImdbClassification', 'Classification'],
  ['MTOPDomainClassification', 'Classification', 'en'],
  ['MassiveIntentClassification', 'Classification', 'en'],
  ['MassiveScenarioClassification', 'Classification', 'en'],
  ['ToxicConversationsClassification', 'Classification'],
  ['TweetSentimentExtractionClassification', 'Classification'],
  ['ArXivHierarchicalClusteringP2P', 'Clustering'],
  ['ArXivHierarchicalClusteringS2S', 'Clustering'],
  ['BiorxivClusteringP2P.v2', 'Clustering'],
  ['MedrxivClusteringP2P.v2', 'Clustering'],
  ['MedrxivClusteringS2S.v2', 'Clustering'],
  ['StackExchangeClustering.v2', 'Clustering'],
  ['StackExchangeClusteringP2P.v2', 'Clustering'],
  ['TwentyNewsgroupsClustering.v2', 'Clustering'],
  ['SprintDuplicateQuestions', 'PairClassification'],
  ['TwitterSemEval2015', 'PairClassification'],
  ['TwitterURLCorpus', 'PairClassification'],
  ['AskUbuntuDupQuestions', 'Reranking'],
  ['MindSmallReranking', 'Reranking'],
  ['ArguAna', 'Retrieval'],
  ['CQADupstackGamingRetrieval', 'Retrieval'],
  ['CQADupstackUnixRetrieval', 'Retrieval'],
  ['ClimateFEVERHardNegatives', 'Retrieval'],
  ['FEVERHardNegatives', 'Retrieval'],
  ['FiQA2018', 'Retrieval'],
  ['HotpotQAHardNegatives', 'Retrieval'],
  ['SCIDOCS', 'Retrieval'],
  ['TRECCOVID', 'Retrieval'],
  ['Touche2020Retrieval.v3', 'Retrieval'],
  ['BIOSSES', 'STS'],
  ['SICK-R', 'STS'],
  ['STS12', 'STS'],
  ['STS13', 'STS'],
  ['STS14', 'STS'],
  ['STS15', 'STS'],
  ['STSBenchmark', 'STS'],
  ['STS17', 'STS', 'en-en'],
  ['STS22.v2', 'STS', 'en'],
  ['SummEvalSummarization.v2', 'Summarization'],
];

export const MTEB_ENG_V1: BenchmarkRules = {
  name: 'MTEB(eng, v1)',
  aliases: ['MTEB(eng, classic)', 'MTEB', 'mteb-eng-v1', 'eng-v1'],
  mode: 'classic',
  splitMislabels: { dev: ['test'] },
  tasks: V1_TASKS.map(([name, category, subset, split]) => ({
    name,
    category,
    split: split ?? 'test',
    subsets: [subset ?? 'default'],
    metric: CLASSIC_METRIC[category],
    ...(name === 'CQADupstackRetrieval' ? { aggregateOf: CQADUPSTACK_FORUMS } : {}),
  })),
};

export const MTEB_ENG_V2: BenchmarkRules = {
  name: 'MTEB(eng, v2)',
  aliases: ['MTEB(eng)', 'mteb-eng-v2', 'eng-v2'],
  mode: 'current',
  splitMislabels: {},
  tasks: V2_TASKS.map(([name, category, subset]) => ({
    name,
    category,
    split: 'test',
    subsets: [subset ?? 'default'],
    metric: 'main_score',
    mainScoreFallback: MAIN_FALLBACK[category],
  })),
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
        mainScoreFallback: MAIN_FALLBACK[category],
        ...(t.aggregate_of ? { aggregateOf: t.aggregate_of } : {}),
      };
    }),
  };
}
