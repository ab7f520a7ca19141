import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BERT_TINY = join(process.cwd(), 'fixtures/models/bert-tiny');

export interface HfGoldenCase {
  name: string;
  text: string;
  /** null: embedded with no prompt. */
  role: 'query' | 'passage' | null;
  prompt: string;
  prompt_length: number;
  input_ids: number[];
  plain_ids: number[];
  embeddings: Record<string, number[]>;
}
export interface HfGolden {
  max_seq_length: number;
  batched_vs_single_max_abs_diff: number;
  cases: HfGoldenCase[];
}
export const bertGolden = (): HfGolden => JSON.parse(readFileSync(join(process.cwd(), 'fixtures/models/hf-golden/bert-tiny-golden.json'), 'utf8'));

const made: string[] = [];
export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `mteb-ts-hf-${prefix}-`));
  made.push(d);
  return d;
}
export function cleanupTmp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A copy of a checkpoint with some files rewritten (JSON values) or removed (null). */
export function variant(src: string, edits: Record<string, unknown | null>): string {
  const d = join(tmp('variant'), 'ckpt');
  cpSync(src, d, { recursive: true });
  for (const [f, v] of Object.entries(edits)) {
    if (v === null) rmSync(join(d, f), { force: true, recursive: true });
    else writeFileSync(join(d, f), typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  }
  return d;
}

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

/** A tiny checkpoint under fixtures/models/ and its golden file under fixtures/models/hf-golden/. */
export const tinyModel = (name: string): { dir: string; golden: HfGolden } => ({
  dir: join(process.cwd(), 'fixtures/models', name),
  golden: JSON.parse(readFileSync(join(process.cwd(), `fixtures/models/hf-golden/${name}-golden.json`), 'utf8')),
});

/** 1_Pooling/config.json with exactly these modes on. */
export function poolingConfig(modes: string[], includePrompt = true): Record<string, unknown> {
  const flag: Record<string, string> = {
    cls: 'pooling_mode_cls_token',
    max: 'pooling_mode_max_tokens',
    mean: 'pooling_mode_mean_tokens',
    mean_sqrt_len: 'pooling_mode_mean_sqrt_len_tokens',
    weightedmean: 'pooling_mode_weightedmean_tokens',
    lasttoken: 'pooling_mode_lasttoken',
  };
  const c: Record<string, unknown> = { word_embedding_dimension: 32, include_prompt: includePrompt };
  for (const [m, k] of Object.entries(flag)) c[k] = modes.includes(m);
  return c;
}

/** Rewrites a single-file checkpoint's F32 tensors as F16 (round to nearest even) in place. */
export async function toF16Checkpoint(dir: string): Promise<void> {
  const { toFloat16Bits } = await import('../../../src/onnx/graph-builder.js');
  const path = join(dir, 'model.safetensors');
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out: Record<string, unknown> = { __metadata__: header.__metadata__ };
  const blobs: Buffer[] = [];
  let off = 0;
  for (const [name, info] of Object.entries<any>(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = info.data_offsets;
    const f32 = new Float32Array(buf.buffer.slice(buf.byteOffset + 8 + n + a, buf.byteOffset + 8 + n + b));
    const data = Buffer.from(toFloat16Bits(f32).buffer);
    out[name] = { dtype: 'F16', shape: info.shape, data_offsets: [off, off + data.length] };
    blobs.push(data);
    off += data.length;
  }
  let json = JSON.stringify(out);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([len, Buffer.from(json), ...blobs]));
}
