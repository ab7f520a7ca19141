import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOpenAIEmbedder } from '../../src/embedders/openai/index.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { MtebError } from '../../src/core/errors.js';
import type { Embedder } from '../../src/core/embedder.js';
import { goodData, responseBody, startFakeEmbeddingServer } from './inputs-server.js';

/**
 * Class: every vector from outside is checked once, by src/core/vector-check.ts — numbers only, finite as
 * float32, the right dimension and count, an integer unique index. One row per fault; each asserts the error
 * code and the message, and that the request was not retried into a silent success.
 */
type Item = Record<string, unknown>;
const FAULTS: [name: string, mutate: (d: Item[]) => unknown[], code: string, message: RegExp][] = [
  ['null value', (d) => ((d[1].embedding as unknown[])[2] = null, d), 'E_EMBEDDING_NAN', /gave null as value 2 of item 1 of the response/],
  ['true value', (d) => ((d[0].embedding as unknown[])[0] = true, d), 'E_EMBEDDING_NAN', /gave true \(boolean\) as value 0 of item 0/],
  ['string value', (d) => ((d[0].embedding as unknown[])[1] = '0.5', d), 'E_EMBEDDING_NAN', /gave the string "0.5" as value 1/],
  ['NaN as a string', (d) => ((d[2].embedding as unknown[])[0] = 'NaN', d), 'E_EMBEDDING_NAN', /gave the string "NaN" as value 0 of item 2/],
  ['float32 overflow', (d) => ((d[0].embedding as unknown[])[0] = 1e39, d), 'E_EMBEDDING_NAN', /gave 1e\+39 as value 0 of item 0 .*not a finite float32 number/],
  ['object value', (d) => ((d[0].embedding as unknown[])[0] = {}, d), 'E_EMBEDDING_NAN', /gave \{\} \(object\) as value 0/],
  ['embedding not an array', (d) => ((d[1].embedding = 7), d), 'E_EMBEDDING_NAN', /gave 7 for the embedding of item 1 of the response \(text #1\), not an array of numbers/],
  ['embedding missing', (d) => (delete d[1].embedding, d), 'E_EMBEDDING_NAN', /gave undefined .* for the embedding of item 1/],
  ['empty embedding', (d) => ((d[0].embedding = []), d), 'E_EMBEDDING_DIM', /gave an empty embedding for item 0/],
  ['wrong dimension', (d) => ((d[2].embedding as unknown[]).push(1), d), 'E_EMBEDDING_DIM', /gave 4 values for item 2 of the response \(text #2\), expected 3/],
  ['too few vectors', (d) => d.slice(0, 2), 'E_EMBEDDING_DIM', /returned 2 embeddings for 3 texts/],
  ['too many vectors', (d) => [...d, { index: 3, embedding: [1, 2, 3] }], 'E_EMBEDDING_DIM', /returned 4 embeddings for 3 texts/],
  ['non-integer index', (d) => ((d[1].index = 1.5), d), 'E_BAD_VALUE', /item 1 of the response has index 1.5, expected an integer in \[0, 3\)/],
  ['string index', (d) => ((d[1].index = '1'), d), 'E_BAD_VALUE', /item 1 of the response has index the string "1"/],
  ['index out of range', (d) => ((d[2].index = 3), d), 'E_BAD_VALUE', /item 2 of the response has index 3/],
  ['negative index', (d) => ((d[0].index = -1), d), 'E_BAD_VALUE', /item 0 of the response has index -1/],
  ['duplicate index', (d) => ((d[2].index = 0), d), 'E_BAD_VALUE', /index 0 appears twice in the response/],
  ['index missing on one item', (d) => (delete d[1].index, d), 'E_BAD_VALUE', /item 1 of the response has no "index" while others do/],
  ['base64 not whole floats', (d) => ((d[0].embedding = Buffer.from([1, 2, 3]).toString('base64')), d), 'E_EMBEDDING_DIM', /base64 embedding of 3 bytes for item 0/],
  ['base64 NaN', (d) => ((d[0].embedding = Buffer.from(new Float32Array([1, NaN, 2]).buffer).toString('base64')), d), 'E_EMBEDDING_NAN', /gave NaN as value 1 of item 0/],
];

describe('hostile vectors from an OpenAI-style server', () => {
  let mode: (d: Item[]) => unknown[] = (d) => d;
  let server: Awaited<ReturnType<typeof startFakeEmbeddingServer>>;
  beforeAll(async () => {
    server = await startFakeEmbeddingServer((input) => ({ body: responseBody(mode(goodData(input.length) as unknown as Item[])) }));
  });
  afterAll(async () => server.close());

  test('the well-formed response passes, in index order, even shuffled', async () => {
    mode = (d) => [d[2], d[0], d[1]];
    const e = createOpenAIEmbedder(`openai:${server.url}#m?retries=0`);
    const m = await e.embed(['a', 'b', 'c'], { role: 'passage' });
    expect(Array.from(m.data)).toEqual([1, 0.5, -0.25, 2, 0.5, -0.25, 3, 0.5, -0.25]);
    mode = (d) => d.map((x) => ({ embedding: x.embedding })); // no index at all: positional
    expect(Array.from((await e.embed(['a', 'b', 'c'], { role: 'passage' })).data).slice(0, 3)).toEqual([1, 0.5, -0.25]);
  });

  test.each(FAULTS)('%s: a typed error, never a silent value, no retry', async (_name, mutate, code, message) => {
    mode = mutate;
    const before = server.requests.length;
    const e = createOpenAIEmbedder(`openai:${server.url}#m?retries=3&dim=3`, { backoffBaseMs: 1 });
    const err = await e.embed(['a', 'b', 'c'], { role: 'passage' }).then(() => null, (x) => x);
    expect(err).toBeInstanceOf(MtebError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`http://127.0.0.1:${server.port}/v1/embeddings`);
    expect(server.requests.length - before).toBe(1); // a parsed but wrong answer is not retried
  });

  test('the first response fixes the dimension when none is given; a later one that differs is refused', async () => {
    let dim = 3;
    mode = (d) => d.map((x) => ({ ...x, embedding: Array.from({ length: dim }, () => 0.1) }));
    const e = createOpenAIEmbedder(`openai:${server.url}#m?retries=0`);
    await e.embed(['a'], { role: 'query' });
    expect(e.dimension).toBe(3);
    dim = 5;
    await expect(e.embed(['a'], { role: 'query' })).rejects.toMatchObject({ code: 'E_EMBEDDING_DIM' });
  });
});

/** The same bad values, written into a precomputed JSONL file and an in-process model's output matrix. */
const FILE_FAULTS: [name: string, embeddingJson: string, code: string, message: RegExp][] = [
  ['null value', '[1, null, 3]', 'E_EMBEDDING_NAN', /gave null as value 1/],
  ['true value', '[1, true, 3]', 'E_EMBEDDING_NAN', /gave true \(boolean\) as value 1/],
  ['string value', '[1, "2", 3]', 'E_EMBEDDING_NAN', /gave the string "2" as value 1/],
  ['NaN as a string', '[1, "NaN", 3]', 'E_EMBEDDING_NAN', /gave the string "NaN" as value 1/],
  ['float32 overflow', '[1, 1e39, 3]', 'E_EMBEDDING_NAN', /gave 1e\+39 as value 1 .*not a finite float32 number/],
  ['wrong dimension', '[1, 2]', 'E_EMBEDDING_DIM', /gave 2 values for this embedding \(the first row's dimension\), expected 3/],
  ['not an array', '"1,2,3"', 'E_EMBEDDING_NAN', /gave the string "1,2,3" for the embedding/],
  ['empty', '[]', 'E_EMBEDDING_DIM', /gave an empty embedding/],
];

describe('hostile vectors in a precomputed file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-pre-'));
  test.each(FILE_FAULTS)('%s: error naming file, line 2 and field', async (name, emb, code, message) => {
    const f = path.join(dir, `${name.replace(/\W+/g, '_')}.jsonl`);
    writeFileSync(f, `{"text": "a", "embedding": [0.5, 0.5, 0.5]}\n{"text": "b", "embedding": ${emb}}\n`);
    const err = await PrecomputedEmbedder.load(f).then(() => null, (x) => x);
    expect(err).toBeInstanceOf(MtebError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.location).toEqual({ file: f, line: 2, field: 'embedding' });
  });
});

describe('hostile output matrix of an in-process model (validating)', () => {
  const model = (data: Float32Array, rows: number, dim: number): Embedder => ({
    name: 'bad',
    revision: 'r',
    dimension: 3,
    embed: async () => ({ rows, dim, data }),
  });
  const CASES: [string, Embedder, string, string][] = [
    ['NaN', model(new Float32Array([1, NaN, 0]), 1, 3), 'E_EMBEDDING_NAN', 'model bad returned NaN in the vector of text #0 "x"'],
    ['Infinity', model(new Float32Array([1, 0, Infinity]), 1, 3), 'E_EMBEDDING_NAN', 'model bad returned Infinity in the vector of text #0 "x"'],
    ['wrong dimension', model(new Float32Array(4), 1, 4), 'E_EMBEDDING_DIM', 'model bad returned vectors of dimension 4, expected 3'],
    ['wrong count', model(new Float32Array(6), 2, 3), 'E_EMBEDDING_DIM', 'model bad returned 2 vectors for 1 texts'],
    ['data shorter than rows x dim', model(new Float32Array(2), 1, 3), 'E_EMBEDDING_DIM', 'model bad returned 2 values for 1x3 vectors'],
  ];
  test.each(CASES)('%s', async (_n, m, code, message) => {
    await expect(validating(m).embed(['x'], { role: 'query' })).rejects.toMatchObject({ code, message });
  });
});
