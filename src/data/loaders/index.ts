import type {
  BitextSplit,
  ClassificationSplit,
  ClusteringFastSplit,
  ClusteringLegacySplit,
  PairClassificationSplit,
  RerankingLegacySplit,
  RetrievalSplit,
  STSSplit,
  SummarizationSplit,
} from '../../core/datasets.js';
import type { TaskSpec } from '../../core/task-spec.js';
import { hasConfig } from '../layout.js';
import type { DatasetSource } from '../source.js';
import type { LoadOptions } from './common.js';
import { loadRetrievalSplit } from './retrieval.js';
import {
  loadBitextSplit,
  loadClassificationSplit,
  loadClusteringFastSplit,
  loadClusteringLegacySplit,
  loadPairClassificationSplit,
  loadRerankingLegacySplit,
  loadSTSSplit,
  loadSummarizationSplit,
} from './tables.js';

export type LoadedSplit =
  | { kind: 'retrieval'; data: RetrievalSplit }
  | { kind: 'reranking-legacy'; data: RerankingLegacySplit }
  | { kind: 'classification'; data: ClassificationSplit }
  | { kind: 'clustering-legacy'; data: ClusteringLegacySplit }
  | { kind: 'clustering-fast'; data: ClusteringFastSplit }
  | { kind: 'pair-classification'; data: PairClassificationSplit }
  | { kind: 'sts'; data: STSSplit }
  | { kind: 'summarization'; data: SummarizationSplit }
  | { kind: 'bitext'; data: BitextSplit };

/** Whether a reranking task's data is in retrieval format (mteb 2 repos with corpus/queries/top_ranked configs). */
export function isRetrievalFormat(source: DatasetSource, spec: TaskSpec, subset = 'default'): boolean {
  if (spec.type === 'Retrieval') return true;
  if (spec.type !== 'Reranking') return false;
  const p = subset === 'default' ? '' : `${subset}-`;
  return spec.protocol === 'mteb-2' || hasConfig(source, [`${p}corpus`, `${p}top_ranked`]);
}

/** Loads one (split, subset) of any task with the loader its type and layout call for. */
export async function loadSplit(source: DatasetSource, spec: TaskSpec, split: string, subset = 'default', opts: LoadOptions = {}): Promise<LoadedSplit> {
  switch (spec.type) {
    case 'Retrieval':
      return { kind: 'retrieval', data: await loadRetrievalSplit(source, spec, split, subset, opts) };
    case 'Reranking':
      return isRetrievalFormat(source, spec, subset)
        ? { kind: 'retrieval', data: await loadRetrievalSplit(source, spec, split, subset, opts) }
        : { kind: 'reranking-legacy', data: await loadRerankingLegacySplit(source, spec, split, subset, opts) };
    case 'Classification':
      return { kind: 'classification', data: await loadClassificationSplit(source, spec, split, subset, opts) };
    case 'Clustering':
      return spec.clustering_variant === 'fast'
        ? { kind: 'clustering-fast', data: await loadClusteringFastSplit(source, spec, split, subset, opts) }
        : { kind: 'clustering-legacy', data: await loadClusteringLegacySplit(source, spec, split, subset, opts) };
    case 'PairClassification':
      return { kind: 'pair-classification', data: await loadPairClassificationSplit(source, spec, split, subset, opts) };
    case 'STS':
      return { kind: 'sts', data: await loadSTSSplit(source, spec, split, subset, opts) };
    case 'Summarization':
      return { kind: 'summarization', data: await loadSummarizationSplit(source, spec, split, subset, opts) };
    case 'BitextMining':
      return { kind: 'bitext', data: await loadBitextSplit(source, spec, split, subset, opts) };
  }
}

export {
  loadRetrievalSplit,
  loadRerankingLegacySplit,
  loadClassificationSplit,
  loadClusteringLegacySplit,
  loadClusteringFastSplit,
  loadPairClassificationSplit,
  loadSTSSplit,
  loadSummarizationSplit,
  loadBitextSplit,
};
export type { LoadOptions };
