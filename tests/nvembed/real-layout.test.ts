import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../../src/onnx/proto.js';
import { buildOnnx } from '../../src/embedders/nvembed/build-onnx.js';
import { expectedShapes, readNvEmbedConfig } from '../../src/embedders/nvembed/config.js';
import { cleanupTmp, realLayoutStubs, REAL_FILES } from './helpers.js';

afterAll(cleanupTmp);

describe('the real NV-Embed-v2 layout builds with no special case (headers only, no weights read)', () => {
  const dims = readNvEmbedConfig(REAL_FILES);

  test('config.json gives the documented dims (latent block from class defaults)', () => {
    expect(dims).toMatchObject({ vocab: 32000, hidden: 4096, layers: 32, heads: 32, kvHeads: 8, headDim: 128, intermediate: 14336, latents: 512, crossHeads: 8, crossDimHead: 4096, maxPositions: 32768, torchDtype: 'float16' });
  });

  test('graph for the full-size config: size and external-data layout', () => {
    const dir = realLayoutStubs(expectedShapes(dims));
    const index = JSON.parse(readFileSync(join(REAL_FILES, 'model.safetensors.index.json'), 'utf8'));
    const t0 = Date.now();
    const r = buildOnnx(dir, join(dir, 'out'), { dtype: 'fp16', skipLinks: true });
    const secs = (Date.now() - t0) / 1000;
    // The 4 shards supply every weight in place: 15,702,032,384 bytes = the index's total_size.
    expect(r.external.map((e) => e.file)).toEqual([1, 2, 3, 4].map((i) => `model-0000${i}-of-00004.safetensors`));
    expect(r.external.reduce((s, e) => s + e.bytes, 0)).toBe(index.metadata.total_size);
    expect(r.external.reduce((s, e) => s + e.tensors, 0)).toBe(Object.keys(index.weight_map).length);
    expect(r.external.reduce((s, e) => s + e.tensors, 0)).toBe(2 + 9 * 32 + 14);
    // The .onnx itself holds the graph and the RoPE tables (2 x 32768 x 128 fp32 = 33.5 MB), nothing else big.
    expect(r.inlineBytes).toBeGreaterThan(2 * 32768 * 128 * 4);
    expect(r.inlineBytes).toBeLessThan(2 * 32768 * 128 * 4 + 64 * 1024);
    expect(r.onnxBytes).toBe(statSync(r.modelPath).size);
    expect(r.onnxBytes).toBeLessThan(r.inlineBytes + 1024 * 1024);
    expect(r.nodeCount).toBeGreaterThan(32 * 40);
    expect(r.nodeCount).toBeLessThan(32 * 80);
    expect(secs).toBeLessThan(20);
    process.stderr.write(`real-layout graph: ${r.onnxBytes} bytes (.onnx), ${r.nodeCount} nodes, ${r.initializerCount} initializers, external ${JSON.stringify(r.external)}\n`);

    // Decode what was written: every checkpoint tensor is EXTERNAL at the shard offset its header gives.
    const m = onnx.ModelProto.decode(readFileSync(r.modelPath));
    const ext = m.graph!.initializer!.filter((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
    expect(ext).toHaveLength(Object.keys(index.weight_map).length);
    const q = ext.find((t) => t.name === 'embedding_model.layers.0.self_attn.q_proj.weight')!;
    const kv = Object.fromEntries(q.externalData!.map((e) => [e.key, e.value]));
    expect(kv.location).toBe(index.weight_map['embedding_model.layers.0.self_attn.q_proj.weight']);
    expect(Number(kv.length)).toBe(4096 * 4096 * 2);
    expect(q.dataType).toBe(onnx.TensorProto.DataType.FLOAT16);
    expect(m.graph!.input!.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'pool_mask']);
    expect(m.graph!.output!.map((o) => o.name)).toEqual(['sentence_embeddings']);
    expect(Number(m.opsetImport![0].version)).toBe(17);
  });

  test('the fused-attention (mha) variant: one com.microsoft MultiHeadAttention per layer, no L x L Softmax', () => {
    const dir = realLayoutStubs(expectedShapes(dims));
    const r = buildOnnx(dir, join(dir, 'out'), { dtype: 'fp16', attention: 'mha', skipLinks: true });
    const m = onnx.ModelProto.decode(readFileSync(r.modelPath));
    const ops = m.graph!.node!.map((n) => `${n.domain || ''}:${n.opType}`);
    expect(ops.filter((o) => o === 'com.microsoft:MultiHeadAttention')).toHaveLength(32);
    expect(ops.filter((o) => o === ':Softmax')).toHaveLength(1); // only the latent cross-attention's
    expect(m.opsetImport!.map((o) => o.domain)).toEqual(['', 'com.microsoft']);
    expect(r.external.reduce((s, e) => s + e.tensors, 0)).toBe(304);
  });
});
