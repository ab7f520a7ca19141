// The in-process NV-Embed graph on one onnxruntime device, timed on the inputs random-checkpoint.ts wrote:
// tokens/s per batch shape (one warm-up run, then --iters timed runs), and the check batch's embeddings
// against a reference (torch-same-inputs.py's fp32 output) when --reference is given.
//   node bin/run-ts.js bench/gpu/graph-throughput.ts CKPT_DIR [--device webgpu] [--dtype fp16] [--iters 3]
//        [--reference ref.json] [--json out.json] [--cache DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureOnnx } from '../../src/embedders/nvembed/build-onnx.js';
import { checkAttention, createSession, parseDevice } from '../../src/embedders/nvembed/session.js';
import { loadOnnxruntime } from '../../src/native/optional-module.js';

const [ckpt] = process.argv.slice(2);
const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const dev = parseDevice(arg('device', 'webgpu'));
const dtype = arg('dtype', 'fp16') as 'fp16' | 'fp32';
const attention = dev.kind === 'cuda' || dev.kind === 'tensorrt' ? 'mha' : 'standard';
checkAttention(dev, attention);
const iters = Number(arg('iters', '3'));
const jsonOut = arg('json', '');
const refPath = arg('reference', '');
const inputs = JSON.parse(readFileSync(join(ckpt, 'inputs.json'), 'utf8')) as { runs: { batch: number; seq: number; ids: number[][] }[]; check: { batch: number; seq: number; ids: number[][] } };
const result: Record<string, unknown> = { device: `${dev.kind}:${dev.index}`, dtype, attention, node: process.version, runs: [] as unknown[] };
const save = () => jsonOut && writeFileSync(jsonOut, JSON.stringify(result, null, 1) + '\n');

const ort = await loadOnnxruntime('bench/gpu/graph-throughput.ts');
let t = performance.now();
const built = ensureOnnx(ckpt, { dtype, attention, cacheDir: arg('cache', join(ckpt, '.onnx-cache')) });
result.build_s = +((performance.now() - t) / 1000).toFixed(2);
t = performance.now();
const session = await createSession(built.modelPath, dev, built.linkKind === 'symlink' ? built.checkpoint : undefined);
result.session_s = +((performance.now() - t) / 1000).toFixed(2);
save();

// every row full length: attention and pool masks all ones, as bench_random.py's unpadded runs
const feeds = (ids: number[][]) => {
  const B = ids.length;
  const L = ids[0].length;
  const flat = BigInt64Array.from(ids.flat().map(BigInt));
  const ones = new BigInt64Array(B * L).fill(1n);
  return { input_ids: new ort.Tensor('int64', flat, [B, L]), attention_mask: new ort.Tensor('int64', ones, [B, L]), pool_mask: new ort.Tensor('int64', ones.slice(), [B, L]) };
};
const output = session.outputNames[0];

const check = (await session.run(feeds(inputs.check.ids)))[output].data as Float32Array;
const dim = check.length / inputs.check.batch;
result.check_finite = check.every(Number.isFinite);
if (refPath) {
  const ref = JSON.parse(readFileSync(refPath, 'utf8')) as { dtype: string; embeddings: number[][] };
  let maxAbs = 0;
  let maxCos = 0;
  ref.embeddings.forEach((r, i) => {
    const v = check.subarray(i * dim, (i + 1) * dim);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = 0; j < dim; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(v[j] - r[j]));
      dot += v[j] * r[j];
      na += v[j] * v[j];
      nb += r[j] * r[j];
    }
    maxCos = Math.max(maxCos, 1 - dot / Math.sqrt(na * nb));
  });
  result.vs_reference = { reference_dtype: ref.dtype, rows: ref.embeddings.length, max_abs_diff: maxAbs, max_cosine_distance: maxCos };
}
save();
process.stderr.write(JSON.stringify({ build_s: result.build_s, session_s: result.session_s, vs_reference: result.vs_reference }) + '\n');

for (const r of inputs.runs) {
  const run: Record<string, unknown> = { batch: r.batch, seq: r.seq };
  try {
    const f = feeds(r.ids);
    await session.run(f);
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await session.run(f);
    const s = (performance.now() - t0) / 1000 / iters;
    Object.assign(run, { seconds: +s.toFixed(4), tokens_per_s: +((r.batch * r.seq) / s).toPrecision(4) });
  } catch (e) {
    run.error = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 300);
  }
  (result.runs as unknown[]).push(run);
  process.stderr.write(JSON.stringify(run) + '\n');
  save();
}
await session.release();
process.stdout.write(JSON.stringify(result) + '\n');
