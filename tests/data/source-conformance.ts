import { describe, test, expect } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import type { DatasetSource } from '../../src/data/index.js';
import { layoutOf } from '../../src/data/index.js';
import { loadRetrievalSplit, loadClassificationSplit } from '../../src/task-types/loaders.js';
import { spec } from './helpers.js';

/**
 * One suite every DatasetSource implementation must pass. `beir` must present fixtures/hub/mteb/beir-mini and
 * `multi` fixtures/hub/mteb/clf-multi-mini, in whatever storage the implementation uses.
 */
export function sourceConformance(label: string, make: { beir: () => DatasetSource; multi: () => DatasetSource }): void {
  describe(`DatasetSource conformance: ${label}`, () => {
    test('lists the repo files as sorted posix paths, hidden files excluded', () => {
      expect(make.beir().listFiles()).toEqual(['README.md', 'corpus.jsonl', 'qrels/dev.tsv', 'qrels/test.tsv', 'queries.jsonl']);
      expect(make.multi().listFiles()).toEqual(['de/test.jsonl', 'en/test.jsonl', 'en/train.jsonl']);
    });

    test('has/path address files by relative path', () => {
      const s = make.beir();
      expect(s.has('qrels/test.tsv')).toBe(true);
      expect(s.has('qrels/train.tsv')).toBe(false);
      expect(existsSync(s.path('qrels/test.tsv'))).toBe(true);
      expect(readFileSync(s.path('qrels/dev.tsv'), 'utf8')).toBe('query-id\tcorpus-id\tscore\nq1\td2\t1\n');
    });

    test('layout maps configs and splits', () => {
      const l = layoutOf(make.multi().listFiles());
      expect([...l.keys()].sort()).toEqual(['de', 'en']);
      expect([...l.get('en')!.splits.keys()].sort()).toEqual(['test', 'train']);
    });

    test('loaders give identical data through the source', async () => {
      const r = await loadRetrievalSplit(make.beir(), spec('Retrieval'), 'test');
      expect([...r.queries.keys()]).toEqual(['q1', 'q2', 'q4']);
      expect(r.corpus.size).toBe(6);
      expect(Object.fromEntries([...r.qrels].map(([q, m]) => [q, Object.fromEntries(m)]))).toEqual({
        q1: { d1: 1 }, q2: { d3: 2, d4: 0 }, q4: { d5: 1 },
      });
      const c = await loadClassificationSplit(make.multi(), spec('Classification'), 'test', 'en');
      expect(c).toEqual({ texts: ['love love', 'hate hate', 'fine'], labels: [1, 0, 1] });
    });
  });
}
