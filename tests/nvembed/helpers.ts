import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TINY = join(process.cwd(), 'fixtures/models/nv-embed-tiny');
/** config.json + index of the real NV-Embed-v2 (committed copy, no weights). */
export const REAL_FILES = join(process.cwd(), 'fixtures/models/nv-embed-v2-layout');
export const SMALL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export interface GoldenCase {
  name: string;
  text: string;
  instruction: string;
  max_length: number;
  input_ids: number[];
  pool_mask: number[];
  embedding: number[];
}
export const golden = (): { cases: GoldenCase[]; batched_vs_single_max_abs_diff: number } =>
  JSON.parse(readFileSync(join(process.cwd(), 'fixtures/golden/nvembed/tiny-golden.json'), 'utf8'));

const made: string[] = [];
export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `mteb-ts-nvembed-${prefix}-`));
  made.push(d);
  return d;
}
/** Removes every temp folder this test file made. */
export function cleanupTmp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Rewrites every F16 tensor of a shard as F32 or BF16 (bf16 = top half of the f32 bits, truncated). */
function convertShard(src: string, dst: string, to: 'F32' | 'BF16'): void {
  const buf = readFileSync(src);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const blobs: Buffer[] = [];
  const out: Record<string, unknown> = { __metadata__: header.__metadata__ };
  let off = 0;
  for (const [name, info] of Object.entries<any>(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = info.data_offsets;
    const raw = buf.subarray(8 + n + a, 8 + n + b);
    const count = (b - a) / 2;
    const f32 = new Float32Array(count);
    for (let i = 0; i < count; i++) f32[i] = f16ToF32(raw.readUInt16LE(2 * i));
    let data: Buffer;
    if (to === 'F32') data = Buffer.from(f32.buffer);
    else {
      const u = new Uint32Array(f32.buffer);
      const bf = new Uint16Array(count);
      for (let i = 0; i < count; i++) bf[i] = u[i] >>> 16;
      data = Buffer.from(bf.buffer);
    }
    out[name] = { dtype: to, shape: info.shape, data_offsets: [off, off + data.length] };
    off += data.length;
    blobs.push(data);
  }
  const h = Buffer.from(JSON.stringify(out));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeFileSync(dst, Buffer.concat([len, h, ...blobs]));
}

/** A copy of the tiny checkpoint with its weights widened to fp32 (same values) or cut to bf16. */
export function tinyAs(to: 'F32' | 'BF16'): string {
  const dir = tmp(to.toLowerCase());
  for (const f of [...SMALL_FILES, 'model.safetensors.index.json']) copyFileSync(join(TINY, f), join(dir, f));
  for (const s of ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']) convertShard(join(TINY, s), join(dir, s), to);
  return dir;
}

/**
 * Header-only stand-ins for the real NV-Embed-v2 shards: each holds the right header (dtype F16, shapes the
 * real config implies, offsets in index order) and is extended to its full size as a sparse file, so
 * nothing is read or written beyond the headers.
 */
export function realLayoutStubs(shapes: Map<string, number[]>): string {
  const dir = tmp('real');
  for (const f of ['config.json', 'model.safetensors.index.json']) copyFileSync(join(REAL_FILES, f), join(dir, f));
  // the real tokenizer files are the tiny fixture's (copied unchanged)
  for (const f of SMALL_FILES.slice(1)) copyFileSync(join(TINY, f), join(dir, f));
  const index = JSON.parse(readFileSync(join(REAL_FILES, 'model.safetensors.index.json'), 'utf8'));
  const byShard = new Map<string, string[]>();
  for (const [name, file] of Object.entries<string>(index.weight_map)) byShard.set(file, [...(byShard.get(file) ?? []), name]);
  for (const [file, names] of byShard) {
    const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    let off = 0;
    for (const name of names.sort()) {
      const shape = shapes.get(name);
      if (!shape) throw new Error(`index tensor ${name} has no expected shape`);
      const len = shape.reduce((p, x) => p * x, 1) * 2;
      header[name] = { dtype: 'F16', shape, data_offsets: [off, off + len] };
      off += len;
    }
    const h = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(h.length));
    const path = join(dir, file);
    writeFileSync(path, Buffer.concat([len, h]));
    // sparse extension: the file reports its full size without any data blocks
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, 8 + h.length + off);
    closeSync(fd);
  }
  mkdirSync(join(dir, 'out'), { recursive: true });
  return dir;
}
