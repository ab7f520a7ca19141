import { describe, test, expect } from '@jest/globals';
import { layoutOf } from '../../src/data/layout.js';

describe('one file per stem', () => {
  test('a split stored in two formats is read once; shards all stay', () => {
    const l = layoutOf(['test.jsonl', 'test.jsonl.gz', 'train-00000-of-00002.parquet', 'train-00001-of-00002.parquet', 'train-00000-of-00002.jsonl'], null);
    const d = l.get('default')!;
    expect(d.splits.get('test')).toEqual(['test.jsonl']);
    expect(d.splits.get('train')).toEqual(['train-00000-of-00002.parquet', 'train-00001-of-00002.parquet']);
  });
});
