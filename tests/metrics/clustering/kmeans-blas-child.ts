// Child process of kmeans-blas.test.ts (OpenBLAS picks its kernel from OPENBLAS_CORETYPE when it loads): fits a
// tie-heavy and two embedding-like sets with the system BLAS and with the WebAssembly products and prints
// { products, blas, wasm } (the BLAS's description and a hash of every output of each path) as JSON.
import { createHash } from 'node:crypto';
import { fitMiniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { resolveScoreProducts } from '../../../src/metrics/clustering/blas-products.js';
import { embeddings, grid } from './kmeans-data.js';

const sets: [{ rows: number; dim: number; data: Float32Array }, number, number][] = [
  [grid(600, 10, 5), 40, 64],
  [embeddings(1500, 257, 20, 1), 20, 500],
  // k-means++ from the DSYRK's Gram matrix (196 candidates on a 300-row subsample), certified under each kernel
  [embeddings(900, 129, 40, 4), 40, 100],
];
const hash = (products: 'auto' | 'off') => {
  const h = createHash('sha256');
  for (const [X, k, batch] of sets) {
    const r = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 2, products });
    for (const a of [r.labels, r.centers, r.counts]) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    h.update(`${r.inertia}|${r.nSteps}`);
  }
  return h.digest('hex');
};
console.log(JSON.stringify({ products: resolveScoreProducts('auto')?.description ?? null, blas: hash('auto'), wasm: hash('off') }));
