import { describe, test, expect } from '@jest/globals';
import { benchmarkTaskSpecs, getBenchmark } from '../../src/registry/index.js';
import { loadSplit, resolveDatasetSource } from '../../src/data/index.js';

describe('demo benchmark (fixtures/tasks/)', () => {
  test('every demo task file validates, resolves to its own folder and loads with the loader of its type', async () => {
    const specs = benchmarkTaskSpecs(getBenchmark('demo'));
    const kinds: string[][] = [];
    for (const s of specs) {
      const src = resolveDatasetSource(s, { env: {} });
      expect([src.kind, src.root]).toEqual(['local', s.source_dir]);
      kinds.push([s.name, s.type, (await loadSplit(src, s, s.eval_splits[0], 'default', { limit: 3 })).kind]);
    }
    expect(kinds).toEqual([
      ['DemoRetrieval', 'Retrieval', 'retrieval'],
      ['DemoReranking', 'Reranking', 'reranking-legacy'],
      ['DemoClassification', 'Classification', 'classification'],
      ['DemoClustering', 'Clustering', 'clustering-legacy'],
      ['DemoPairClassification', 'PairClassification', 'pair-classification'],
      ['DemoSTS', 'STS', 'sts'],
      ['DemoSummarization', 'Summarization', 'summarization'],
      ['DemoBitextMining', 'BitextMining', 'bitext'],
    ]);
  });
});
