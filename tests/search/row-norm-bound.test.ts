// The row-norm bound a chunk's producer takes (row-norm-bound.ts) is the search's own maxRowNorm of the same rows,
// however the rows arrive, and only chunks a producer here registered have one.
import { describe, test, expect } from '@jest/globals';
import { RowNormBound, rowNormBoundOf, trustRowNormBound } from '../../src/search/row-norm-bound.js';
import { maxRowNorm } from '../../src/search/canonical/canonical.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { floatMatrix } from './helpers.js';

describe('row-norm bound taken where vectors are produced', () => {
  test('equals maxRowNorm over the same rows, added in blocks; Inf and NaN rows carry through', () => {
    const dim = 37;
    const m = floatMatrix(300, dim, 3);
    m.data[123 * dim + 5] = 40; // the largest row
    const whole = maxRowNorm(m.data, 300, dim);
    const b = new RowNormBound();
    for (const [s, e] of [[0, 7], [7, 200], [200, 300]]) b.add(m.data.subarray(s * dim, e * dim), e - s, dim);
    expect(b.value).toBe(whole);
    expect(b.value).toBeGreaterThan(Math.hypot(...m.data.subarray(123 * dim, 124 * dim)));
    const inf = Float32Array.from(m.data);
    inf[9] = Infinity;
    expect(new RowNormBound().add(inf, 300, dim).value).toBe(Infinity);
    const nan = Float32Array.from(m.data);
    nan[299 * dim] = NaN;
    nan[9] = Infinity; // a NaN row after an Inf row still makes it NaN (the search then rescans)
    expect(new RowNormBound().add(nan, 300, dim).value).toBeNaN();
    expect(maxRowNorm(nan, 300, dim)).toBeNaN();
  });

  test('matrixCorpus registers float32 chunks (taken when first asked, kept), not fp16 ones; copies of a chunk have none', async () => {
    const dim = 16;
    const m = floatMatrix(250, dim, 4);
    const ids = Array.from({ length: 250 }, (_, j) => `d${j}`);
    const provider = matrixCorpus(ids, m, { chunkRows: 100 });
    let s = 0;
    for await (const chunk of provider.chunks()) {
      const rows = chunk.ids.length;
      expect(rowNormBoundOf(chunk)).toBe(maxRowNorm(m.data.subarray(s * dim, (s + rows) * dim), rows, dim));
      expect(rowNormBoundOf({ ...chunk })).toBeUndefined();
      s += rows;
    }
    for await (const chunk of matrixCorpus(ids, m, { storage: 'float16' }).chunks()) expect(rowNormBoundOf(chunk)).toBeUndefined();
    const own = { ids: ['a'], dim: 2, data: Float32Array.of(3, 4) };
    expect(rowNormBoundOf(trustRowNormBound(own, () => new RowNormBound().add(own.data, 1, 2)))).toBe(5 * (1 + 2 ** -20));
  });
});
