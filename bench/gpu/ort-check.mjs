// Runs the tiny NV-Embed graphs (fp32, fp16) on each onnxruntime-node execution provider it can start and
// compares the first golden case with the float64 reference. Plain JS so the device machine needs only
// node + the carried onnxruntime packages (tmp/nvembed-gpu/node_modules), no tsx and no npm.
// usage: node bench/gpu/ort-check.mjs CARRY_DIR OUT_JSON
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [carryArg, outPath] = process.argv.slice(2);
const carry = resolve(carryArg);
const require = createRequire(join(carry, 'node_modules', 'x.js'));
const ort = require('onnxruntime-node');
const golden = JSON.parse(readFileSync(join(carry, 'golden.json'), 'utf8'));
const c = golden.cases.find((x) => x.name === 'passage');
const result = { node: process.version, backends: ort.listSupportedBackends?.(), runs: [] };
const L = c.input_ids.length;
const B = 64;
const feeds = () => {
  const rep = (a) => BigInt64Array.from(Array.from({ length: B }, () => a).flat().map((v) => BigInt(v)));
  return {
    input_ids: new ort.Tensor('int64', rep(c.input_ids), [B, L]),
    attention_mask: new ort.Tensor('int64', rep(c.input_ids.map(() => 1)), [B, L]),
    pool_mask: new ort.Tensor('int64', rep(c.pool_mask), [B, L]),
  };
};
for (const ep of ['cpu', 'webgpu', 'cuda']) {
  for (const dtype of ['fp32', 'fp16']) {
    const run = { ep, dtype };
    try {
      const t0 = Date.now();
      const s = await ort.InferenceSession.create(join(carry, `tiny-${dtype}`, 'model.onnx'), { executionProviders: [ep], graphOptimizationLevel: 'all' });
      run.create_ms = Date.now() - t0;
      const f = feeds();
      await s.run(f);
      const t1 = Date.now();
      const n = 5;
      let out;
      for (let i = 0; i < n; i++) out = await s.run(f);
      run.run_ms = (Date.now() - t1) / n;
      const e = out.sentence_embeddings.data;
      run.max_abs_diff = Math.max(...c.embedding.map((v, j) => Math.abs(v - e[j])));
      run.tokens_per_s = Math.round((B * L) / (run.run_ms / 1000));
      await s.release();
    } catch (err) {
      run.error = String(err?.message ?? err).split('\n')[0].slice(0, 400);
    }
    result.runs.push(run);
    console.error(JSON.stringify(run));
  }
}
writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
