import { describe, test, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableToIPC, makeTable, vectorFromArray, Field, FixedSizeList, Float32, Utf8 } from 'apache-arrow';
import { readRows } from '../../src/data/readers/rows.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';
import { loadRetrievalSplit } from '../../src/task-types/retrieval/load.js';
import { FolderSource } from '../../src/data/source.js';
import { MtebError } from '../../src/core/errors.js';
import type { TaskSpec } from '../../src/task-types/spec.js';

/**
 * Class: no stack traces for bad input. Every reader × every malformation ends in a typed MtebError naming
 * the file (and the line where there is one). Adding a reader or a malformation is one line of a table.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'hostile-readers-'));
const LIMIT = 64; // the line-length limit the readers get here, instead of writing a 512 MB line

/** How each reader reads a file (only what is needed to drain it). */
const READERS: Record<string, { ext: string; good: () => Buffer; read: (f: string) => Promise<unknown> }> = {
  jsonl: { ext: 'jsonl', good: () => Buffer.from('{"_id": "1", "text": "a"}\n'), read: (f) => drain(readRows(f, { maxLineBytes: LIMIT })) },
  'jsonl.gz': { ext: 'jsonl.gz', good: () => gzipSync('{"_id": "1", "text": "a"}\n'), read: (f) => drain(readRows(f, { maxLineBytes: LIMIT })) },
  json: { ext: 'json', good: () => Buffer.from('[{"_id": "1", "text": "a"}]'), read: (f) => drain(readRows(f)) },
  tsv: { ext: 'tsv', good: () => Buffer.from('query-id\tcorpus-id\tscore\nq\td\t1\n'), read: (f) => drain(readRows(f, { maxLineBytes: LIMIT })) },
  'tsv.gz': { ext: 'tsv.gz', good: () => gzipSync('query-id\tcorpus-id\tscore\nq\td\t1\n'), read: (f) => drain(readRows(f, { maxLineBytes: LIMIT })) },
  csv: { ext: 'csv', good: () => Buffer.from('query-id,corpus-id,score\nq,d,1\n'), read: (f) => drain(readRows(f, { maxLineBytes: LIMIT })) },
  parquet: {
    ext: 'parquet',
    good: () => readFileSync(path.join('fixtures', 'hub', 'mteb', 'rerank-v2-mini', 'corpus', 'test-00000-of-00001.parquet')),
    read: (f) => drain(readRows(f)),
  },
  'precomputed jsonl': {
    ext: 'pre.jsonl',
    good: () => Buffer.from('{"text": "a", "embedding": [1, 2]}\n'),
    read: (f) => PrecomputedEmbedder.load(f, { maxLineBytes: LIMIT }),
  },
  'precomputed arrow': {
    ext: 'arrow',
    good: () => {
      const texts = Array.from({ length: 50 }, (_, i) => `text ${i}`);
      const emb = vectorFromArray(texts.map((_, i) => Float32Array.from([i, 1, 2])), new FixedSizeList(3, new Field('item', new Float32())));
      return Buffer.from(tableToIPC(makeTable({ text: vectorFromArray(texts, new Utf8()), embedding: emb } as any), 'file'));
    },
    read: (f) => PrecomputedEmbedder.load(f),
  },
};

async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

/** Each malformation: how to make the file, which error code, what the message says, whether a line is named. */
const MALFORMATIONS: Record<string, { make: (f: string, good: Buffer, ext: string) => void; code: string; message: RegExp; line?: boolean; only?: string[] }> = {
  'a folder where the file belongs': { make: (f) => mkdirSync(f), code: 'E_FILE_MISSING', message: /is a folder, expected/ },
  'missing file': { make: () => {}, code: 'E_FILE_MISSING', message: /not found/ },
  'truncated to half': { make: (f, g) => writeFileSync(f, g.subarray(0, g.length >> 1)), code: 'E_PARSE', message: /./, only: ['jsonl.gz', 'tsv.gz', 'json', 'parquet', 'precomputed arrow'] },
  'random bytes': { make: (f) => writeFileSync(f, Buffer.from([0x1f, 0x8b, 8, 0, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])), code: 'E_PARSE', message: /./, only: ['jsonl.gz', 'tsv.gz', 'parquet', 'precomputed arrow'] },
  'empty file': { make: (f) => writeFileSync(f, ''), code: 'E_PARSE', message: /./, only: ['parquet', 'precomputed arrow', 'precomputed jsonl'] },
  'a line over the length limit': {
    make: (f, _g, ext) => {
      const line = `{"_id": "2", "text": "${'x'.repeat(LIMIT * 3)}"}\n`;
      const body = ext.startsWith('tsv') ? `query-id\tcorpus-id\tscore\nq\t${'x'.repeat(LIMIT * 3)}\t1\n` : ext === 'csv' ? `query-id,corpus-id,score\nq,${'x'.repeat(LIMIT * 3)},1\n` : `{"text": "a", "embedding": [1]}\n${line}`;
      writeFileSync(f, ext.endsWith('.gz') ? gzipSync(body) : body);
    },
    code: 'E_PARSE',
    message: new RegExp(`line is longer than ${LIMIT} bytes`),
    line: true,
    only: ['jsonl', 'jsonl.gz', 'tsv', 'tsv.gz', 'csv', 'precomputed jsonl'],
  },
};

const CASES: [string, string][] = [];
for (const r of Object.keys(READERS)) for (const [m, spec] of Object.entries(MALFORMATIONS)) if (!spec.only || spec.only.includes(r)) CASES.push([r, m]);

describe('every reader × every malformation: a typed error naming the file', () => {
  test.each(Object.keys(READERS))('%s: the well-formed file reads', async (r) => {
    const f = path.join(dir, `good-${r.replace(/\W+/g, '_')}.${READERS[r].ext}`);
    writeFileSync(f, READERS[r].good());
    await expect(READERS[r].read(f)).resolves.toBeTruthy();
  });

  test.each(CASES)('%s × %s', async (r, m) => {
    const spec = MALFORMATIONS[m];
    const f = path.join(dir, `${r.replace(/\W+/g, '_')}-${m.replace(/\W+/g, '_')}.${READERS[r].ext}`);
    spec.make(f, READERS[r].good(), READERS[r].ext);
    const err = await READERS[r].read(f).then(() => null, (e) => e);
    expect(err).toBeInstanceOf(MtebError);
    expect(err.code).toBe(spec.code);
    expect(err.message).toMatch(spec.message);
    expect(err.location.file).toBe(f);
    if (spec.line) expect(err.location.line).toBe(2);
    expect(err.message).not.toMatch(/\n\s+at /);
  });
});

/** Qrels score fields: one rule (common.ts `num`) for every qrels format. */
const QRELS_FORMATS: Record<string, (rows: [string, string, string][]) => [string, string]> = {
  tsv: (rows) => ['qrels/test.tsv', 'query-id\tcorpus-id\tscore\n' + rows.map((r) => r.join('\t')).join('\n') + '\n'],
  jsonl: (rows) => ['qrels/test.jsonl', rows.map(([q, d, s]) => JSON.stringify({ 'query-id': q, 'corpus-id': d, score: s === '' ? '' : s === 'null' ? null : s === 'high' || s === '' ? s : Number.isNaN(Number(s)) ? s : Number(s) })).join('\n') + '\n'],
};
const SCORE_FAULTS: [string, string, RegExp][] = [
  ['empty score', '', /expected a number, got ""/],
  ['non-numeric score', 'high', /expected a number, got "high"/],
  ['null score', 'null', /expected a number, got (null|"null")/],
];
const spec = { name: 'HostileQrels', type: 'Retrieval', eval_splits: ['test'], main_score: 'ndcg_at_10' } as unknown as TaskSpec;

function beirFolder(name: string, qrels: [string, string], extra: { corpus?: string; queries?: string } = {}): string {
  const root = path.join(dir, name);
  mkdirSync(path.join(root, 'qrels'), { recursive: true });
  writeFileSync(path.join(root, 'corpus.jsonl'), extra.corpus ?? '{"_id": "d1", "text": "one"}\n{"_id": "d2", "text": "two"}\n');
  writeFileSync(path.join(root, 'queries.jsonl'), extra.queries ?? '{"_id": "q1", "text": "first"}\n');
  writeFileSync(path.join(root, qrels[0]), qrels[1]);
  return root;
}

describe('qrels scores and duplicate ids: the same rule in every format', () => {
  const cases = Object.keys(QRELS_FORMATS).flatMap((fmt) => SCORE_FAULTS.map(([n, v, m]) => [fmt, n, v, m] as const));
  test.each(cases)('%s: %s is an error on line 2, never relevance 0', async (fmt, n, v, message) => {
    const root = beirFolder(`qrels-${fmt}-${n.replace(/\W+/g, '_')}`, QRELS_FORMATS[fmt]([['q1', 'd1', '1'], ['q1', 'd2', v]]));
    const err = await loadRetrievalSplit(new FolderSource('local', 'hostile', root), spec, 'test').then(() => null, (e) => e);
    expect(err).toBeInstanceOf(MtebError);
    expect(err.code).toBe('E_BAD_VALUE');
    expect(err.message).toMatch(message);
    expect(err.location).toMatchObject({ field: 'score', line: fmt === 'tsv' ? 3 : 2, task: 'HostileQrels' });
  });

  test.each(Object.keys(QRELS_FORMATS))('%s: a pair judged twice with different scores, a query and a document repeated with other text: warnings with counts, last wins', async (fmt) => {
    const root = beirFolder(`dups-${fmt}`, QRELS_FORMATS[fmt]([['q1', 'd1', '1'], ['q1', 'd1', '2'], ['q1', 'd2', '0'], ['q1', 'd2', '0']]), {
      corpus: '{"_id": "d1", "text": "one"}\n{"_id": "d1", "text": "uno"}\n{"_id": "d2", "text": "two"}\n{"_id": "d2", "text": "two"}\n',
      queries: '{"_id": "q1", "text": "first"}\n{"_id": "q1", "text": "premier"}\n',
    });
    const warnings: string[] = [];
    const s = await loadRetrievalSplit(new FolderSource('local', 'hostile', root), spec, 'test', 'default', { warn: (m) => warnings.push(m) });
    expect(s.qrels.get('q1')).toEqual(new Map([['d1', 2], ['d2', 0]]));
    expect(s.corpus.get('d1')?.text).toBe('uno');
    expect(s.queries.get('q1')).toBe('premier');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/1 \(query, document\) pair is judged again with a different score; the last one counts \(as in mteb\), e\.g\. "q1"\/"d1": 1 then 2/);
    expect(warnings[1]).toMatch(/1 query id appears again with a different text; the last one is used/);
    expect(warnings[2]).toMatch(/1 document id appears again with a different title or text; the last one is used .* "d1"/);
  });
});
