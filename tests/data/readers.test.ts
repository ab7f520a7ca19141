import { describe, test, expect } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { readRows, dataExtension, type LocatedRow } from '../../src/data/index.js';
import { fixtureDir, rejected, tmp } from './helpers.js';

async function all(file: string): Promise<LocatedRow[]> {
  const out: LocatedRow[] = [];
  for await (const r of readRows(file)) out.push(r);
  return out;
}
const rowsOf = async (file: string) => (await all(file)).map((r) => r.row);

const dir = tmp('readers-');
const write = (name: string, data: string | Buffer) => {
  const f = join(dir, name);
  writeFileSync(f, data);
  return f;
};

describe('readRows: formats', () => {
  test('jsonl keeps order and line numbers; blank lines skipped', async () => {
    const f = write('a.jsonl', '{"x":1}\n\n{"x":2}\r\n');
    expect((await all(f)).map((r) => [r.row.x, r.line, r.index])).toEqual([[1, 1, 0], [2, 3, 1]]);
  });

  test('jsonl.gz streams through gunzip', async () => {
    expect(await rowsOf(join(fixtureDir('sts-mini'), 'test.jsonl.gz'))).toEqual([
      { sentence1: 'a cat', sentence2: 'a kitten', score: 4.2 },
      { sentence1: 'a dog', sentence2: 'a car', score: 0.5 },
    ]);
  });

  test('json.gz single object = one row; .json array; .json holding JSON lines', async () => {
    expect(await rowsOf(join(fixtureDir('pair-mini'), 'test.json.gz'))).toEqual([{ sent1: ['a', 'b', 'c'], sent2: ['A', 'x', 'C'], labels: [1, 0, 1] }]);
    expect(await rowsOf(write('arr.json', '[{"a":1},{"a":2}]'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await rowsOf(write('lines.json', '{"a":1}\n{"a":2}\n'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await rowsOf(write('arr.json.gz', gzipSync('[{"a":3}]')))).toEqual([{ a: 3 }]);
  });

  test('tsv with header; headerless 3- and 4-column qrels', async () => {
    expect(await rowsOf(join(fixtureDir('beir-mini'), 'qrels', 'dev.tsv'))).toEqual([{ 'query-id': 'q1', 'corpus-id': 'd2', score: '1' }]);
    expect(await rowsOf(write('h3.tsv', 'q1\td1\t1\n'))).toEqual([{ 'query-id': 'q1', 'corpus-id': 'd1', score: '1' }]);
    expect(await rowsOf(write('trec.tsv', 'q1 0 d1 2\n'))).toEqual([{ 'query-id': 'q1', iteration: '0', 'corpus-id': 'd1', score: '2' }]);
  });

  test('parquet: row groups in order, INT64 -> number, list columns -> arrays', async () => {
    const corpus = await rowsOf(join(fixtureDir('rerank-v2-mini'), 'corpus', 'test-00000-of-00001.parquet'));
    expect(corpus.map((r) => r._id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(corpus[4]).toEqual({ _id: 'd5', title: '', text: 'epsilon text' });
    expect(await rowsOf(join(fixtureDir('rerank-v2-mini'), 'default', 'test-00000-of-00001.parquet'))).toEqual([
      { 'query-id': 'q1', 'corpus-id': 'd1', score: 1 },
      { 'query-id': 'q2', 'corpus-id': 'd3', score: 2 },
      { 'query-id': 'q2', 'corpus-id': 'd4', score: 0 },
      { 'query-id': 'q4', 'corpus-id': 'd5', score: 1 },
    ]);
    const tr = await rowsOf(join(fixtureDir('rerank-v2-mini'), 'top_ranked', 'test-00000-of-00001.parquet'));
    expect(tr[2]).toEqual({ 'query-id': 'q4', 'corpus-ids': ['d5', 'd1'] });
  });

  test('dataExtension picks the longest known suffix', () => {
    expect(['a.jsonl.gz', 'b.json.gz', 'c.parquet', 'd.tsv', 'e.txt'].map(dataExtension)).toEqual(['jsonl.gz', 'json.gz', 'parquet', 'tsv', undefined]);
  });
});

describe('readRows: malformed input', () => {
  test('bad JSON line: E_PARSE at file:line', async () => {
    const f = write('bad.jsonl', '{"a":1}\n{"a":\n');
    const e = await rejected(all(f));
    expect([e.code, e.location.file, e.location.line]).toEqual(['E_PARSE', f, 2]);
    expect(e.message).toMatch(/^invalid JSON: /);
  });

  test('non-object JSON line', async () => {
    const e = await rejected(all(write('arr.jsonl', '[1,2]\n')));
    expect([e.code, e.location.line, e.message]).toEqual(['E_PARSE', 1, 'expected a JSON object per line, got an array']);
  });

  test('malformed JSON array names the line', async () => {
    const e = await rejected(all(write('badarr.json', '[\n{"a":1},\n{"a" 2}\n]')));
    expect([e.code, e.location.line]).toEqual(['E_PARSE', 3]);
  });

  test('tsv row with a wrong column count', async () => {
    const e = await rejected(all(write('q.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\n')));
    expect([e.code, e.location.line, e.message]).toEqual(['E_PARSE', 2, 'expected 3 tab-separated columns (query-id, corpus-id, score), got 2']);
  });

  test('missing file, truncated gzip, corrupt parquet, unknown extension', async () => {
    expect((await rejected(all(join(dir, 'nope.jsonl')))).code).toBe('E_FILE_MISSING');
    expect((await rejected(all(write('t.jsonl.gz', gzipSync('{"a":1}\n{"a":2}\n').subarray(0, 20))))).code).toBe('E_PARSE');
    const pq = await rejected(all(write('bad.parquet', 'PAR1 definitely not parquet PAR1')));
    expect(pq.code).toBe('E_PARSE');
    expect(pq.message).toMatch(/^not a readable parquet file: /);
    expect(() => readRows(write('x.txt', 'hi'))).toThrow('unsupported data file type');
  });
});
