// The rescoring step's workload on the shape, shared by rescore-parts.ts and rescore-native.ts: 1,000
// queries x two 50,000 x 1,024 float32 chunks (seeded uniform values), `per` random candidate rows per query in each
// chunk (51 is exact search's k = 100, 513 its k = 1,000), as scoreBatch takes them (rows, starts, counts).
import { mulberry32 } from '../../src/util/mulberry32.js';

export function pairWorkload(per: number) {
  const [M, N, D] = [1000, 50_000, 1024];
  const r = mulberry32(5);
  const chunk = () => Float32Array.from({ length: N * D }, () => r() * 2 - 1);
  const c1 = chunk();
  const c2 = chunk();
  const queries = Float32Array.from({ length: M * D }, () => r() * 2 - 1);
  const total = M * 2 * per;
  const rows = new Int32Array(total);
  const starts = new Int32Array(M);
  const counts = new Int32Array(M).fill(2 * per);
  for (let i = 0; i < M; i++) {
    starts[i] = i * 2 * per;
    for (let c = 0; c < per; c++) {
      rows[starts[i] + c] = Math.floor(r() * N);
      rows[starts[i] + per + c] = N + Math.floor(r() * N);
    }
  }
  return { M, N, D, c1, c2, queries, total, rows, starts, counts };
}
