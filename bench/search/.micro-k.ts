import { ExactSearch } from '/work/main/src/search/exact.js';
import { matrixCorpus } from '/work/main/src/search/corpus.js';
const M = 1000, N = 50000, D = 1024;
const q = { rows: M, dim: D, data: new Float32Array(M * D).map(() => Math.random() - 0.5) };
const c = { rows: N, dim: D, data: new Float32Array(N * D).map(() => Math.random() - 0.5) };
const ids = Array.from({ length: N }, (_, i) => `d${i}`);
const s = new ExactSearch();
for (let round = 0; round < 3; round++) for (const sim of ['dot', 'cosine'] as const) {
  const t = performance.now();
  await s.search(q, matrixCorpus(ids, c), 100, { similarity: sim });
  const sec = (performance.now() - t) / 1000;
  console.log(round, sim, sec.toFixed(3), (2 * M * N * D / sec / 1e9).toFixed(1), 'GFLOP/s');
}
await s.close();
