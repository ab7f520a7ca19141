import { RandomState } from '../../../src/rng/numpy-random-state.js';

/** `hier_docs()` of make_goldens.py: 2-level labels (every 7th doc lacks level 1) and float32 embeddings. */
export function hierDocs(seed: number, nDocs: number, d: number): { data: Float32Array; labels: string[][] } {
  const rs = new RandomState(seed);
  const topics: number[] = [];
  for (let i = 0; i < nDocs; i++) topics.push(rs.randint(0, 4));
  const subs: number[] = [];
  for (let i = 0; i < nDocs; i++) subs.push(rs.randint(0, 3));
  const centers = rs.randomSample(12 * d);
  for (let i = 0; i < centers.length; i++) centers[i] = centers[i] * 6.0;
  const u = rs.randomSample(nDocs * d);
  const data = new Float32Array(nDocs * d);
  const labels: string[][] = [];
  for (let i = 0; i < nDocs; i++) {
    const c = topics[i] * 3 + subs[i];
    for (let f = 0; f < d; f++) data[i * d + f] = centers[c * d + f] + (u[i * d + f] - 0.5) * 5.0;
    const lab = [`t${topics[i]}`, `t${topics[i]}.s${subs[i]}`];
    labels.push(i % 7 === 3 ? lab.slice(0, 1) : lab);
  }
  return { data, labels };
}
