// node bin/run-ts.js bench/nvembed/check-folding.ts — saves onnxruntime's optimised tiny graphs and lists
// which ops survive, to confirm the latent K/V (LayerNorm + to_kv Gemm) is constant-folded and RMSNorm/GELU fused.
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from '../../src/onnx/proto.js';
import { buildOnnx } from '../../src/embedders/nvembed/build-onnx.js';

for (const dtype of ['fp32', 'fp16'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'nvembed-fold-'));
  const r = buildOnnx('fixtures/models/nv-embed-tiny', dir, { dtype });
  const opt = join(dir, 'optimized.onnx');
  const s = await ort.InferenceSession.create(r.modelPath, { graphOptimizationLevel: 'all', optimizedModelFilePath: opt, logSeverityLevel: 3 });
  await s.release();
  const m = onnx.ModelProto.decode(readFileSync(opt));
  const count = new Map<string, number>();
  for (const n of m.graph!.node!) count.set(n.opType!, (count.get(n.opType!) ?? 0) + 1);
  const inits = m.graph!.initializer!.map((t) => t.name!);
  console.log(JSON.stringify({ dtype, built_nodes: r.nodeCount, optimized_nodes: m.graph!.node!.length, to_kv_kept: inits.includes('latent_attention_model.cross_attend_blocks.0.fn.to_kv.weight'), ops: Object.fromEntries([...count].sort((a, b) => b[1] - a[1])) }));
}
