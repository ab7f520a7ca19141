/**
 * The dense64 products' rate per kernel choice: the WebAssembly kernels, the native AVX2 path and the native
 * AVX-512 path (dense64-native.c), on one shape, interleaved round by round, with a bit-for-bit check of every
 * path's forward and gradient against the wasm's. GMAC/s = n·p·K multiply-adds per product / median seconds.
 *
 *   node bin/run-ts.js bench/evaluators/dense64-rate.ts [n,p,K = 10000,1024,77] [threads = 1] [rounds = 5]
 */
import { Dense64Workspace } from '../../src/metrics/numeric/dense64/workspace.js';
import { dense64Native } from '../../src/metrics/numeric/dense64/native-kernels.js';

const [n, p, K] = (process.argv[2] ?? '10000,1024,77').split(',').map(Number);
const threads = Number(process.argv[3] ?? 1);
const rounds = Number(process.argv[4] ?? 5);
function values(m: number, seed: number): Float64Array {
  const o = new Float64Array(m);
  let s = seed;
  for (let i = 0; i < m; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    o[i] = s / 2 ** 31 - 1;
  }
  return o;
}
const X = values(n * p, 1);
const w = values(p * K, 2);
const gp = values(n * K, 3);
const levels = [0, ...[1, 2].filter((l) => l <= (dense64Native()?.level ?? 0))];
const wss = levels.map((l) => new Dense64Workspace(threads, { nativeLevel: l }));
const times: Record<string, number[]> = {};
let ref: [Float64Array, Float64Array] | undefined;
const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
for (let round = 0; round < rounds; round++) {
  for (const ws of round % 2 ? [...wss].reverse() : wss) {
    ws.setProblem(n, p, K).set(X);
    let t = performance.now();
    const f = ws.forward(w);
    const tf = performance.now() - t;
    ws.gradient(gp); // packs X once
    t = performance.now();
    const g = ws.gradient(gp);
    const tg = performance.now() - t;
    (times[`${ws.kernels} forward`] ??= []).push(tf);
    (times[`${ws.kernels} gradient`] ??= []).push(tg);
    if (ws.kernels === 'wasm') ref ??= [f, g];
    else if (ref && (!same(f, ref[0]) || !same(g, ref[1]))) throw new Error(`${ws.kernels}: bits differ from the wasm kernels'`);
  }
}
wss.forEach((ws) => ws.close());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { median_ms: +median(v).toFixed(2), gmac_s: +((n * p * K) / median(v) / 1e6).toFixed(2), rounds_ms: v.map((x) => +x.toFixed(1)) }]));
process.stdout.write(JSON.stringify({ shape: { n, p, K }, threads, same_bits_as_wasm: true, results: out }, null, 1) + '\n');
