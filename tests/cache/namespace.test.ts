/** The cache's in-memory namespace bookkeeping (src/cache/namespace.ts), without any file. */
import { describe, expect, test } from '@jest/globals';
import { DIGEST_BYTES } from '../../src/cache/chunk-file.js';
import { textDigest } from '../../src/cache/keys.js';
import { addPending, digestKey, forgetChunk, locate, newNamespace, registerChunk, takePending, ROW_SPAN } from '../../src/cache/namespace.js';

const info = { fingerprint: 'fp', model: 'm', revision: 'r', role: 'query' as const, instruction: null };
const digests = (texts: string[]) => {
  const d = new Uint8Array(texts.length * DIGEST_BYTES);
  texts.forEach((t, i) => d.set(textDigest(t), i * DIGEST_BYTES));
  return d;
};
const key = (t: string) => textDigest(t).toString('latin1');

describe('namespace index', () => {
  test('locates each text at its chunk file and row; a text indexed twice keeps its first place', () => {
    const ns = newNamespace('/x', info);
    registerChunk(ns, 'a.arrow', digests(['one', 'two']));
    registerChunk(ns, 'b.arrow', digests(['three', 'one']));
    expect(['one', 'two', 'three'].map((t) => locate(ns, key(t)))).toEqual([
      { file: 'a.arrow', row: 0 },
      { file: 'a.arrow', row: 1 },
      { file: 'b.arrow', row: 0 },
    ]);
    expect(locate(ns, key('four'))).toBeUndefined();
    expect(digestKey(digests(['x', 'two']), 1)).toBe(key('two'));
  });

  test('forgetting a chunk makes its texts misses; other files keep their ids', () => {
    const ns = newNamespace('/x', info);
    registerChunk(ns, 'a.arrow', digests(['one']));
    registerChunk(ns, 'b.arrow', digests(['two']));
    forgetChunk(ns, 'a.arrow');
    expect([locate(ns, key('one')), locate(ns, key('two'))]).toEqual([undefined, { file: 'b.arrow', row: 0 }]);
    expect(ns.byDigest.get(key('two'))).toBe(1 * ROW_SPAN + 0);
  });

  test('pending blocks merge into one, in order, and the buffer empties', () => {
    const ns = newNamespace('/x', info);
    addPending(ns, { digests: digests(['a']), vectors: Float32Array.from([1, 2]), rows: 1, dim: 2 });
    addPending(ns, { digests: digests(['b', 'c']), vectors: Float32Array.from([3, 4, 5, 6]), rows: 2, dim: 2 });
    expect([ns.pendingRows, ns.dim]).toEqual([3, 2]);
    const merged = takePending(ns);
    expect([merged.rows, merged.dim, Array.from(merged.vectors)]).toEqual([3, 2, [1, 2, 3, 4, 5, 6]]);
    expect(digestKey(merged.digests, 2)).toBe(key('c'));
    expect([ns.pending.length, ns.pendingRows]).toEqual([0, 0]);
  });
});
