/**
 * The multinomial objective's per-row work as a dense64 row kernel (run split over the workspace's threads):
 * for each row i, the scores plus intercepts, their log-sum-exp, the row's loss and its gradient input
 * G[i, k] = softmax(i, k) - [k = y_i] (divided by n for the '1.4' objective). Each value takes exactly the
 * operations, in the order, of the single-threaded loop it replaced, so splitting rows changes no bit; the sums
 * that run ACROSS rows (the loss, the intercept gradients) are left to the caller, in row order.
 *
 * It is a string because every worker thread compiles it from source (workspace.ts registerRowKernel); it reads
 * byte offsets as unsigned (the memory may pass 2 GiB).
 *
 * params: 0 scores (float64, row i at i * stride), 1 stride, 2 G's panels (gradientInput's layout), 3 n4, 4 K,
 * 5 labels (int32), 6 per-row losses (float64, out), 7 intercepts (K float64), 8 divide G by n (0 / 1), 9 n.
 */
import { registerRowKernel } from '../numeric/dense64/workspace.js';

const SOURCE = `(buffer, a, i0, i1) => {
  const stride = a[1], n4 = a[3], K = a[4], scale = a[8] === 1, n = a[9];
  const raw = new Float64Array(buffer, a[0] >>> 0, n * stride);
  const gp = new Float64Array(buffer, a[2] >>> 0, Math.ceil(K / 4) * n4 * 4);
  const y = new Int32Array(buffer, a[5] >>> 0, n);
  const loss = new Float64Array(buffer, a[6] >>> 0, n);
  const b = new Float64Array(buffer, a[7] >>> 0, K);
  const probs = new Float64Array(K);
  for (let i = i0; i < i1; i++) {
    const r = i * stride;
    for (let k = 0; k < K; k++) raw[r + k] += b[k];
    let mx = raw[r];
    for (let k = 1; k < K; k++) if (raw[r + k] > mx) mx = raw[r + k];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      probs[k] = Math.exp(raw[r + k] - mx);
      sum += probs[k];
    }
    const yk = y[i];
    loss[i] = Math.log(sum) + mx - raw[r + yk];
    for (let k = 0; k < K; k++) {
      let v = probs[k] / sum - (k === yk ? 1 : 0);
      if (scale) v /= n;
      gp[((k >> 2) * n4 + i) * 4 + (k & 3)] = v;
    }
  }
}`;

/** The kernel's id in the workspace's registry. */
export const SOFTMAX_ROWS = registerRowKernel(SOURCE);

/** Rough operations per (row, output) for the thread split's threshold (an exp is worth a few multiply-adds). */
export const SOFTMAX_WORK_PER_OUTPUT = 16;
