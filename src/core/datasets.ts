/**
 * In-memory shapes of one (split, hf_subset) of each task type, as the dataset loaders (src/data/) return
 * them and the task-type adapters (src/task-types/<type>/adapter.ts) consume them. Field semantics follow mteb's loaders.
 */
export interface CorpusDoc {
  title: string;
  text: string;
}

/** One corpus chunk in corpus order: positions start..start+ids.length-1. */
export interface CorpusTextChunk {
  start: number;
  ids: string[];
  docs: CorpusDoc[];
}

/**
 * A retrieval corpus (src/data/corpus-text.ts): ids in corpus order and their texts, which a large corpus does
 * not hold in memory but reads back from its file(s) in corpus order (`chunks`, `docsOf`). `get` and iteration
 * work only where the text is held (`inMemory`).
 */
export interface CorpusTexts extends Iterable<[string, CorpusDoc]> {
  readonly size: number;
  readonly inMemory: boolean;
  /** The data files the rows come from (src/data/corpus-text.ts), and whether the rows were left unread (merge). */
  readonly files?: readonly string[];
  readonly unread?: boolean;
  has(id: string): boolean;
  /** Ids in corpus order. */
  keys(): IterableIterator<string>;
  get(id: string): CorpusDoc | undefined;
  entries(): IterableIterator<[string, CorpusDoc]>;
  /** Documents in corpus order, `rows` at a time, within ascending disjoint [start, end) position ranges. */
  chunks(rows: number, ranges?: [number, number][]): AsyncGenerator<CorpusTextChunk>;
  /** The texts of these ids (unknown ids left out). */
  docsOf(ids: Iterable<string>): Promise<Map<string, CorpusDoc>>;
}

export interface RetrievalSplit {
  /** Insertion order = file order of first occurrence (mteb 1.x MRR tie order depends on it); text of the last. */
  corpus: CorpusTexts;
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
