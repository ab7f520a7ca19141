// node bin/run-ts.js bench/gpu/build-tiny.ts OUT_DIR fp32|fp16 — the tiny graph with hard-linked shards.
import { buildOnnx } from '../../src/embedders/nvembed/build-onnx.js';
const [out, dtype] = process.argv.slice(2);
const r = buildOnnx('fixtures/models/nv-embed-tiny', out, { dtype: dtype as 'fp32' | 'fp16', link: 'hardlink' });
console.log(JSON.stringify({ out, nodes: r.nodeCount, bytes: r.onnxBytes, link: r.linkKind }));
