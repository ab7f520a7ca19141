/**
 * In-memory shapes of one (split, hf_subset) of each task type, as the dataset loaders (src/data/) return
 * them and the task adapters (src/adapters/) consume them. Field semantics follow mteb's loaders.
 */
export interface CorpusDoc {
  title: string;
  text: string;
}

export interface RetrievalSplit {
  /** Insertion order = file order (mteb 1.x MRR tie order depends on it). */
  corpus: Map<string, CorpusDoc>;
  /** Query id -> text (list-valued for multi-sub-query reranking, e.g. MindSmall). */
  queries: Map<string, string>;
  /** Query id -> (doc id -> graded relevance, int). */
  qrels: Map<string, Map<string, number>>;
  /** Reranking in retrieval format (mteb 2.x `top_ranked`): query id -> candidate doc ids. */
  topRanked?: Map<string, string[]>;
}

export interface RerankingLegacyRow {
  query: string | string[];
  positive: string[];
  negative: string[];
}
export interface RerankingLegacySplit {
  rows: RerankingLegacyRow[];
}

export type Label = string | number;
export interface ClassificationSplit {
  texts: string[];
  labels: Label[];
}

export interface ClusteringLegacySplit {
  /** Each row of the file is an independent cluster set. */
  sets: { sentences: string[]; labels: Label[] }[];
}
export interface ClusteringFastSplit {
  sentences: string[];
  /** labels[i] = hierarchy levels of document i (one element for flat tasks). */
  labels: Label[][];
}

export interface PairClassificationSplit {
  sentence1: string[];
  sentence2: string[];
  labels: number[];
}

export interface STSSplit {
  sentence1: string[];
  sentence2: string[];
  scores: number[];
}

export interface SummarizationRow {
  id?: string;
  text: string;
  human_summaries: string[];
  machine_summaries: string[];
  relevance: number[];
}
export interface SummarizationSplit {
  rows: SummarizationRow[];
}

export interface BitextSplit {
  sentence1: string[];
  sentence2: string[];
}
