/** Every task type's split loader, by name (each lives in src/task-types/<type>/load.ts beside its adapter). */
export { loadRetrievalSplit, LIMIT_DISTRACTORS_PER_QUERY, type RetrievalLoadOptions } from './retrieval/load.js';
export { loadRerankingLegacySplit } from './reranking/load.js';
export { loadClassificationSplit } from './classification/load.js';
export { loadClusteringLegacySplit, loadClusteringFastSplit } from './clustering/load.js';
export { loadPairClassificationSplit } from './pair-classification/load.js';
export { loadSTSSplit } from './sts/load.js';
export { loadSummarizationSplit } from './summarization/load.js';
export { loadBitextSplit } from './bitext-mining/load.js';
