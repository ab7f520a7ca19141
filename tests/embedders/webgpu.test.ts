/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
// The in-process graphs on onnxruntime-node's WebGPU provider. On CPU-only hosts the device is Mesa's software
// Vulkan (lavapipe) that bench/gpu/lavapipe.sh unpacks (.ci/run calls it): the tiny checkpoints are run by
// bench/gpu/webgpu-agreement.ts in a child process, because the Vulkan loader reads VK_ICD_FILENAMES from the
// real environment and jest gives a test a copy of process.env. Skips with the reason when no Vulkan device exists.
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MtebError } from '../../src/core/errors.js';
import { createNvEmbedEmbedder } from '../../src/embedders/nvembed/embedder.js';
import { checkAttention, installHint, parseDevice, WEBGPU_INSTALL_HINT, CUDA_INSTALL_HINT } from '../../src/embedders/nvembed/session.js';

const LAVAPIPE_ICD = join(process.env.MTEB_TS_LAVAPIPE ?? '/opt/mteb-ts/lavapipe', 'lvp_icd.json');
const work = mkdtempSync(join(tmpdir(), 'mteb-ts-webgpu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Row {
  model: string;
  variant: string;
  texts: number;
  alone?: number;
  batched?: number;
  error?: string;
}

/** Runs the quick agreement set on webgpu in a child; null rows and a reason when no adapter could be had. */
function runChild(): { rows: Row[] | null; reason: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() };
  // an ICD the caller chose wins; else the unpacked lavapipe; else whatever the system registers
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(LAVAPIPE_ICD)) env.VK_ICD_FILENAMES = LAVAPIPE_ICD;
  const out = join(work, 'agreement.json');
  const r = spawnSync(process.execPath, ['bin/run-ts.js', 'bench/gpu/webgpu-agreement.ts', '--device', 'webgpu', '--quick', '--json', out], { env, encoding: 'utf8', timeout: 240_000 });
  if (!existsSync(out)) return { rows: null, reason: `agreement script wrote nothing (rc ${r.status}): ${(r.stderr ?? '').slice(-400)}` };
  const rows: Row[] = JSON.parse(readFileSync(out, 'utf8')).rows;
  const noAdapter = rows.find((x) => /adapter|vulkan/i.test(x.error ?? ''));
  if (noAdapter) return { rows: null, reason: `no Vulkan device that Dawn accepts (${noAdapter.error!.replace(/^.*?(Failed to get)/, "$1").slice(0, 200)}); run bench/gpu/lavapipe.sh` };
  return { rows, reason: '' };
}

const child = runChild();
if (!child.rows) process.stdout.write(`webgpu.test.ts: skipping the tiny checkpoints on webgpu: ${child.reason}\n`);
const onDevice = child.rows ? describe : describe.skip;
const row = (model: string, variant: string) => {
  const r = child.rows!.find((x) => x.model === model && x.variant === variant);
  if (!r) throw new Error(`no row ${model} ${variant}`);
  expect(r.error).toBeUndefined();
  return r;
};

onDevice('tiny checkpoints on webgpu vs the float64 PyTorch goldens', () => {
  test('NV-Embed fp32 graph (standard attention): each text alone and padded, <= 1e-5 as on CPU', () => {
    const r = row('nv-embed-tiny', 'fp32 standard');
    expect(r.texts).toBe(11);
    expect(r.alone!).toBeLessThanOrEqual(1e-5);
    expect(r.batched!).toBeLessThanOrEqual(1e-5);
  });
  test('NV-Embed fp16 graph: padded batch within the fp16 tolerance (3e-3)', () => {
    const r = row('nv-embed-tiny', 'fp16 standard');
    expect(r.batched!).toBeLessThanOrEqual(3e-3);
    // fp16 really ran in fp16: no better than fp32 would be
    expect(r.batched!).toBeGreaterThan(1e-5);
  });
  test('hf: encoder (bert-tiny) and decoder (e5-mistral-tiny) padded batches <= 1e-5', () => {
    expect(row('bert-tiny', 'fp32').batched!).toBeLessThanOrEqual(1e-5);
    expect(row('e5-mistral-tiny', 'fp32 causal').batched!).toBeLessThanOrEqual(1e-5);
  });
});

describe('webgpu choices that do not need a device', () => {
  test('attention=mha is refused on webgpu before any graph is built (its MultiHeadAttention lacks the key padding mask)', async () => {
    expect(() => checkAttention(parseDevice('webgpu'), 'mha')).toThrow(/attention=mha is not supported on webgpu/);
    expect(() => checkAttention(parseDevice('webgpu'), 'standard')).not.toThrow();
    expect(() => checkAttention(parseDevice('cuda'), 'mha')).not.toThrow();
    const err = await createNvEmbedEmbedder('fixtures/models/nv-embed-tiny', { device: 'webgpu', attention: 'mha', cacheDir: join(work, 'cache') }).catch((e) => e);
    expect(err).toBeInstanceOf(MtebError);
    expect((err as MtebError).code).toBe('E_MODEL_SPEC');
    expect(existsSync(join(work, 'cache'))).toBe(false);
  });
  test('a provider that does not start names what webgpu needs, not the CUDA install', () => {
    expect(installHint(parseDevice('webgpu'))).toBe(WEBGPU_INSTALL_HINT);
    expect(WEBGPU_INSTALL_HINT).toMatch(/libvulkan1/);
    expect(WEBGPU_INSTALL_HINT).toMatch(/lavapipe/);
    expect(installHint(parseDevice('cuda:1'))).toBe(CUDA_INSTALL_HINT);
  });
  test('in this process (no VK_ICD_FILENAMES set by the test): webgpu either embeds within 1e-5 or fails typed with the webgpu hint', async () => {
    const g = JSON.parse(readFileSync('fixtures/golden/nvembed/tiny-golden.json', 'utf8'));
    const c = g.cases.find((x: { name: string }) => x.name === 'passage');
    try {
      const e = await createNvEmbedEmbedder('fixtures/models/nv-embed-tiny', { device: 'webgpu', dtype: 'fp32', maxLength: c.max_length, cacheDir: join(work, 'cache2') });
      try {
        const v = (await e.embed([c.text], { role: 'passage' })).data;
        expect(Math.max(...c.embedding.map((x: number, i: number) => Math.abs(x - v[i])))).toBeLessThanOrEqual(1e-5);
      } finally {
        await e.close?.();
      }
    } catch (e) {
      expect(e).toBeInstanceOf(MtebError);
      expect((e as MtebError).code).toBe('E_PROVIDER_UNAVAILABLE');
      expect((e as Error).message).toContain(WEBGPU_INSTALL_HINT);
      expect((e as Error).message).not.toContain('ONNXRUNTIME_NODE_INSTALL');
    }
  });
});
