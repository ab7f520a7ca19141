import { describe, test, expect, afterAll } from '@jest/globals';
import type { Embedder } from '../../src/core/embedder.js';
import type { Matrix } from '../../src/core/matrix.js';

export interface ConformanceOptions {
  /** Max abs difference allowed between a text embedded alone and inside a batch (padding effects). */
  batchTolerance?: number;
  /** Texts the embedder knows (precomputed files only know some texts). */
  texts?: string[];
  /** Whether vectors are L2-normalised by the model. */
  normalized?: boolean;
  /** Reasons for skipped checks, by check name (hono-style skip list). */
  skip?: Record<string, string>;
}

const DEFAULT_TEXTS = [
  'What is the capital of France?',
  'Paris is the capital and most populous city of France.',
  'Ünïcödé façade — naïve café 東京 🚀🎉',
  '',
  'a',
  'The quick brown fox jumps over the lazy dog. '.repeat(20),
];

function rowOf(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.dim, (i + 1) * m.dim);
}
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** The shared suite every Embedder implementation passes (run from each backend's own test file). */
export function runEmbedderConformance(name: string, factory: () => Promise<Embedder>, opts: ConformanceOptions = {}): void {
  const texts = opts.texts ?? DEFAULT_TEXTS;
  const tol = opts.batchTolerance ?? 1e-6;
  const check = (id: string, fn: () => Promise<void>) => (opts.skip?.[id] ? test.skip(`${id} (skipped: ${opts.skip[id]})`, fn) : test(id, fn));
  describe(`Embedder conformance: ${name}`, () => {
    let e: Embedder;
    const get = async () => (e ??= await factory());
    afterAll(async () => {
      await e?.close?.();
    });

    check('reports name, revision and a positive dimension', async () => {
      const m = await get();
      expect(typeof m.name).toBe('string');
      expect(m.name.length).toBeGreaterThan(0);
      expect(typeof m.revision).toBe('string');
      expect(Number.isInteger(m.dimension) && m.dimension > 0).toBe(true);
    });

    check('returns one finite row of `dimension` values per text', async () => {
      const m = await get();
      const out = await m.embed(texts, { role: 'passage' });
      expect(out.rows).toBe(texts.length);
      expect(out.dim).toBe(m.dimension);
      expect(out.data.length).toBe(texts.length * m.dimension);
      expect(out.data.every((v) => Number.isFinite(v))).toBe(true);
    });

    check('empty batch gives an empty matrix', async () => {
      const m = await get();
      const out = await m.embed([], { role: 'query' });
      expect(out.rows).toBe(0);
      expect(out.data.length).toBe(0);
    });

    check('is deterministic', async () => {
      const m = await get();
      const a = await m.embed(texts, { role: 'query', instruction: 'Find the answer' });
      const b = await m.embed(texts, { role: 'query', instruction: 'Find the answer' });
      expect(maxAbsDiff(a.data, b.data)).toBe(0);
    });

    check('a text alone and inside a batch give the same vector', async () => {
      const m = await get();
      const batch = await m.embed(texts, { role: 'passage' });
      for (let i = 0; i < texts.length; i++) {
        const alone = await m.embed([texts[i]], { role: 'passage' });
        expect(maxAbsDiff(rowOf(alone, 0), rowOf(batch, i))).toBeLessThanOrEqual(tol);
      }
    });

    check('keeps input order', async () => {
      const m = await get();
      const fwd = await m.embed(texts, { role: 'passage' });
      const rev = await m.embed([...texts].reverse(), { role: 'passage' });
      for (let i = 0; i < texts.length; i++) expect(maxAbsDiff(rowOf(fwd, i), rowOf(rev, texts.length - 1 - i))).toBeLessThanOrEqual(tol);
    });

    if (opts.normalized) {
      check('vectors are L2-normalised', async () => {
        const m = await get();
        const out = await m.embed(texts.filter((t) => t), { role: 'passage' });
        for (let i = 0; i < out.rows; i++) {
          const r = rowOf(out, i);
          let s = 0;
          for (const v of r) s += v * v;
          expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-4);
        }
      });
    }
  });
}
