import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedOrderBatches, paddingFraction, tokenBudgetBatches } from '../../src/embedders/nvembed/batching.js';
import { checkTensors, readNvEmbedConfig } from '../../src/embedders/nvembed/config.js';
import { instructionPrefix, padBatch } from '../../src/embedders/nvembed/inputs.js';
import { readCheckpointTensors } from '../../src/embedders/nvembed/safetensors.js';
import { checkProvider, ortBinDir, parseDevice } from '../../src/embedders/nvembed/session.js';
import { toFloat16Bits } from '../../src/onnx/graph-builder.js';
import { TINY, tinyAs, tmp, cleanupTmp } from './helpers.js';
import { afterAll } from '@jest/globals';

afterAll(cleanupTmp);

describe('token-budget batching', () => {
  const lengths = [5, 100, 7, 98, 6, 99, 1, 50];
  test('sorted batches respect the budget and cover every index once', () => {
    const b = tokenBudgetBatches(lengths, 200);
    expect(b.map((x) => x.indices)).toEqual([[1, 5], [3], [7], [2, 4], [0], [6]]);
    expect(b.map((x) => x.seq)).toEqual([100, 98, 50, 7, 5, 1]);
    // without the fill rule, only the budget cuts
    const loose = tokenBudgetBatches(lengths, 200, 0);
    expect(loose.map((x) => x.indices)).toEqual([[1, 5], [3, 7], [2, 4, 0, 6]]);
    for (const x of b) expect(x.seq * x.indices.length).toBeLessThanOrEqual(200);
    expect(b.flatMap((x) => x.indices).sort((a, c) => a - c)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
  test('padding fraction: sorted vs input order', () => {
    const sorted = paddingFraction(tokenBudgetBatches(lengths, 200), lengths);
    const fixed = paddingFraction(fixedOrderBatches(lengths, 200), lengths);
    expect(sorted).toBeCloseTo(1 - 366 / (200 + 98 + 50 + 14 + 5 + 1), 12);
    expect(paddingFraction(tokenBudgetBatches(lengths, 200, 0), lengths)).toBeCloseTo(1 - 366 / (200 + 196 + 28), 12);
    expect(fixed).toBeCloseTo(1 - 366 / (200 + 196 + 198 + 100), 12);
  });
  test('attention-cell bound: rows x seq^2 stays under it', () => {
    const b = tokenBudgetBatches([64, 64, 64, 64, 64], 1e9, 0.75, Infinity, 3 * 64 * 64);
    expect(b.map((x) => x.indices.length)).toEqual([3, 2]);
  });
  test('a text longer than the budget still gets its own batch', () => {
    expect(tokenBudgetBatches([500, 3], 100)).toEqual([{ indices: [0], seq: 500 }, { indices: [1], seq: 3 }]);
  });
});

describe('inputs', () => {
  test('template and padding', () => {
    expect(instructionPrefix('Find it')).toBe('Instruct: Find it\nQuery: ');
    expect(instructionPrefix('')).toBe('');
    const t = padBatch([{ ids: [1, 5, 6, 2], poolStart: 2 }, { ids: [1, 2], poolStart: 0 }]);
    expect([t.batch, t.seq]).toEqual([2, 4]);
    expect(Array.from(t.inputIds, Number)).toEqual([1, 5, 6, 2, 1, 2, 2, 2]);
    expect(Array.from(t.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(t.poolMask, Number)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
  });
  test('fp16 rounding', () => {
    expect(Array.from(toFloat16Bits(Float32Array.from([1, -2, 0.5, 65504, 1e6, 1e-8, 6.103515625e-5, 1 + 2 ** -11])))).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x7c00, 0, 0x0400, 0x3c00]);
  });
});

describe('devices', () => {
  test('parse', () => {
    expect(parseDevice('cuda:1')).toEqual({ kind: 'cuda', index: 1 });
    expect(parseDevice('CPU')).toEqual({ kind: 'cpu', index: 0 });
    expect(() => parseDevice('tpu')).toThrow(/unknown device "tpu"/);
  });
  test('CUDA without provider libraries -> E_PROVIDER_UNAVAILABLE with the install command', () => {
    const lib = join(ortBinDir(), 'libonnxruntime_providers_cuda.so');
    if (existsSync(lib)) return; // a GPU install: nothing to check here
    let err: any;
    try {
      checkProvider(parseDevice('cuda'));
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe('E_PROVIDER_UNAVAILABLE');
    expect(err.message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm install');
  });
});

describe('checkpoint validation', () => {
  test('tiny checkpoint: dims from config, tensors from two shards', () => {
    const d = readNvEmbedConfig(TINY);
    expect(d).toMatchObject({ vocab: 32000, hidden: 16, layers: 2, heads: 4, kvHeads: 2, headDim: 4, latents: 8, crossHeads: 2, crossDimHead: 12 });
    const ck = readCheckpointTensors(TINY);
    expect(ck.shards.map((s) => s.file)).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(checkTensors(d, ck).size).toBe(2 + 9 * 2 + 14);
  });
  test('shape mismatch names the tensor and file', () => {
    const dir = tinyAs('F32');
    const cfgPath = join(dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    cfg.text_config.intermediate_size = 41;
    writeFileSync(cfgPath, JSON.stringify(cfg));
    expect(() => checkTensors(readNvEmbedConfig(dir), readCheckpointTensors(dir))).toThrow(/mlp\.gate_proj\.weight has shape \[40,16\], config\.json implies \[41,16\]/);
  });
  test('missing shard is E_FILE_MISSING', () => {
    const dir = tmp('noshard');
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'x.safetensors' } }));
    expect(() => readCheckpointTensors(dir)).toThrow(expect.objectContaining({ code: 'E_FILE_MISSING' }));
  });
});
