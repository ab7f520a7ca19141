import { describe, test, expect } from '@jest/globals';
import { runEmbedderConformance } from './conformance.js';
import { RandomEmbedder } from '../../src/embedders/baselines/random-embedder.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { resolveEmbedder } from '../../src/embedders/resolve.js';
import { MtebError } from '../../src/core/errors.js';

runEmbedderConformance('random:64', async () => new RandomEmbedder(64), { normalized: true });
runEmbedderConformance('hash:128', async () => new HashEmbedder(128));

function cos(a: Float32Array, b: Float32Array): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / Math.sqrt(na * nb);
}

describe('baselines', () => {
  test('random vectors depend on the seed and the text only', async () => {
    const a = await new RandomEmbedder(16, 1).embed(['x', 'y'], { role: 'query' });
    const b = await new RandomEmbedder(16, 2).embed(['x'], { role: 'passage' });
    const c = await new RandomEmbedder(16, 1).embed(['x'], { role: 'passage', instruction: 'ignored' });
    expect(Array.from(a.data.subarray(0, 16))).toEqual(Array.from(c.data));
    expect(Array.from(a.data.subarray(0, 16))).not.toEqual(Array.from(b.data));
  });

  test('hash embedder: shared words raise cosine, disjoint words give 0', async () => {
    const h = new HashEmbedder(4096);
    const m = await h.embed(['galaxy telescope orbit', 'telescope orbit comet', 'pasta garlic butter'], { role: 'query' });
    const r = (i: number) => m.data.subarray(i * 4096, (i + 1) * 4096);
    expect(cos(r(0), r(1))).toBeGreaterThan(0.3);
    expect(Math.abs(cos(r(0), r(2)))).toBeLessThan(0.05);
  });

  test('hash embedder of an empty text is the zero vector', async () => {
    const m = await new HashEmbedder(8).embed([''], { role: 'query' });
    expect(Array.from(m.data)).toEqual(new Array(8).fill(0));
  });

  test('resolveEmbedder parses specs and rejects bad ones precisely', async () => {
    expect((await resolveEmbedder('random:32')).dimension).toBe(32);
    expect((await resolveEmbedder('hash:64')).name).toBe('mteb-ts/hash-64');
    await expect(resolveEmbedder('random:0')).rejects.toThrow(MtebError);
    await expect(resolveEmbedder('bogus:1')).rejects.toThrow(/unknown model spec "bogus:1"/);
    await expect(resolveEmbedder('precomputed:/nonexistent.jsonl')).rejects.toMatchObject({ code: 'E_FILE_MISSING' });
  });
});
