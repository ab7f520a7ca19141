import { describe, test, expect, beforeAll } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableToIPC, makeTable, vectorFromArray, Field, FixedSizeList, Float32, Utf8, tableFromArrays } from 'apache-arrow';
import { runEmbedderConformance } from './conformance.js';
import { PrecomputedEmbedder } from '../../src/embedders/precomputed/precomputed-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { formatError, MtebError } from '../../src/core/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'precomp-'));
const TEXTS = ['alpha', 'beta gamma', 'Ünïcödé 🚀', ''];
const vec = (i: number) => [i + 0.5, -i - 0.25, 1 / (i + 1)];
const jsonl = path.join(dir, 'emb.jsonl');
writeFileSync(jsonl, TEXTS.map((t, i) => JSON.stringify({ text: t, embedding: vec(i) })).join('\n') + '\n');

/** TEXTS and their vectors as an Arrow IPC file with the same columns as the JSONL one. */
function writeArrow(f: string): void {
  const embType = new FixedSizeList(3, new Field('item', new Float32()));
  const table = makeTable({
    text: vectorFromArray(TEXTS, new Utf8()),
    embedding: vectorFromArray(TEXTS.map((_, i) => Float32Array.from(vec(i))), embType),
  } as any);
  writeFileSync(f, tableToIPC(table, 'file'));
}

function bad(name: string, lines: unknown[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return f;
}

runEmbedderConformance('precomputed:jsonl', () => PrecomputedEmbedder.load(jsonl), { texts: TEXTS });
runEmbedderConformance(
  'precomputed:arrow',
  async () => {
    const f = path.join(dir, 'conformance.arrow');
    writeArrow(f);
    return PrecomputedEmbedder.load(f);
  },
  { texts: TEXTS },
);
runEmbedderConformance('validating(precomputed:jsonl)', async () => validating(await PrecomputedEmbedder.load(jsonl)), { texts: TEXTS });

describe('precomputed embedder', () => {
  test('returns the stored vectors in input order', async () => {
    const e = await PrecomputedEmbedder.load(jsonl);
    expect(e.dimension).toBe(3);
    const m = await e.embed(['beta gamma', 'alpha'], { role: 'query' });
    expect(Array.from(m.data)).toEqual([...vec(1), ...vec(0)].map((x) => Math.fround(x)));
  });

  test('role- and instruction-specific entries win over generic ones', async () => {
    const f = bad('roles.jsonl', [
      { text: 'x', embedding: [1, 0] },
      { text: 'x', role: 'query', instruction: 'I', embedding: [0, 1] },
    ]);
    const e = await PrecomputedEmbedder.load(f);
    expect(Array.from((await e.embed(['x'], { role: 'query', instruction: 'I' })).data)).toEqual([0, 1]);
    expect(Array.from((await e.embed(['x'], { role: 'passage' })).data)).toEqual([1, 0]);
  });

  test('reads Arrow IPC files with the same columns', async () => {
    const f = path.join(dir, 'emb.arrow');
    writeArrow(f);
    const e = await PrecomputedEmbedder.load(f);
    const m = await e.embed(['Ünïcödé 🚀'], { role: 'passage' });
    expect(Array.from(m.data)).toEqual(vec(2).map((x) => Math.fround(x)));
    void tableFromArrays;
  });

  test('a text missing from the file is an error naming it', async () => {
    const e = await PrecomputedEmbedder.load(jsonl);
    await expect(e.embed(['delta'], { role: 'query' })).rejects.toThrow(/no vector for text "delta"/);
  });

  test('a task with many texts missing: one error before any batch, with the count and the first three', async () => {
    const e = validating(await PrecomputedEmbedder.load(jsonl));
    const { embedTexts } = await import('../../src/run/embed-texts.js');
    const { silentProgress } = await import('../../src/util/progress.js');
    const texts = ['delta', 'alpha', 'epsilon', 'zeta', 'eta', 'delta'];
    const calls: number[] = [];
    const spy = { ...e, embed: (t: string[], o: { role: 'query' | 'passage' }) => (calls.push(t.length), e.embed(t, o)) };
    const err = await embedTexts(spy as typeof e, texts, { role: 'query', batchSize: 2, progress: silentProgress, label: 't' }).catch((x) => x);
    expect(err).toBeInstanceOf(MtebError);
    expect((err as MtebError).message).toBe('4 of 5 texts have no vector (role query), e.g. "delta", "epsilon", "zeta", ...');
    expect(calls).toEqual([]); // nothing embedded before the refusal
  });

  test('malformed files give one precise line each', async () => {
    const cases: [string, unknown[], string][] = [
      ['badjson.jsonl', [{ text: 'a', embedding: [1, 2] }, '{"text": "b", "embedding": [1, 2'], 'error[E_PARSE] ' + path.join(dir, 'badjson.jsonl') + ':2: invalid JSON'],
      ['dim.jsonl', [{ text: 'a', embedding: [1, 2] }, { text: 'b', embedding: [1, 2, 3] }], 'error[E_EMBEDDING_DIM] ' + path.join(dir, 'dim.jsonl') + ':2 field "embedding": the file gave 3 values for this embedding (the first row\'s dimension), expected 2'],
      ['nan.jsonl', [{ text: 'a', embedding: [1, 2] }, '{"text": "b", "embedding": [1, NaN]}'], 'error[E_PARSE] ' + path.join(dir, 'nan.jsonl') + ':2: invalid JSON'],
      ['null.jsonl', [{ text: 'a', embedding: [1, null] }], 'error[E_EMBEDDING_NAN] ' + path.join(dir, 'null.jsonl') + ':1 field "embedding": the file gave null as value 1 of this embedding, not a finite number (NaN or Infinity written as JSON null?)'],
      ['notext.jsonl', [{ embedding: [1, 2] }], 'error[E_COLUMN_MISSING] ' + path.join(dir, 'notext.jsonl') + ':1 field "text": expected a string "text"'],
    ];
    for (const [name, lines, expected] of cases) {
      const f = bad(name, lines);
      const err = await PrecomputedEmbedder.load(f).then(() => null, (e) => e);
      expect(err).toBeInstanceOf(MtebError);
      expect(formatError(err)).toContain(expected);
    }
  });

  test('the validating wrapper rejects NaN and wrong-dimension output from any embedder', async () => {
    const nanModel = { name: 'nan-model', revision: 'r', dimension: 2, embed: async () => ({ rows: 1, dim: 2, data: Float32Array.from([1, NaN]) }) };
    await expect(validating(nanModel).embed(['hello'], { role: 'query' })).rejects.toThrow('model nan-model returned NaN in the vector of text #0 "hello"');
    const dimModel = { name: 'dim-model', revision: 'r', dimension: 3, embed: async () => ({ rows: 1, dim: 2, data: Float32Array.from([1, 2]) }) };
    await expect(validating(dimModel).embed(['x'], { role: 'query' })).rejects.toMatchObject({ code: 'E_EMBEDDING_DIM' });
  });
});

describe('precomputed fingerprint', () => {
  test('changes when the file is rewritten, so a cache never serves the old vectors', async () => {
    const f = bad('fp.jsonl', [{ text: 'a', embedding: [1, 2] }]);
    const before = (await PrecomputedEmbedder.load(f)).fingerprint;
    writeFileSync(f, JSON.stringify({ text: 'a', embedding: [3, 4, 5] }) + '\n');
    const after = (await PrecomputedEmbedder.load(f)).fingerprint;
    expect(after).not.toBe(before);
    expect(after.startsWith(`precomputed:${f}:`)).toBe(true);
  });
});
