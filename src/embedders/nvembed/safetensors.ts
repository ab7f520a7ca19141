import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { readJsonFile } from '../../util/json-file.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32';

export const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4 };

/** Where one tensor's raw little-endian bytes sit inside a shard file. */
export interface TensorRef {
  name: string;
  /** Shard file name, relative to the checkpoint folder. */
  file: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte offset in the shard (8 + header length + data_offsets[0]). */
  offset: number;
  length: number;
}

export interface ShardInfo {
  file: string;
  size: number;
  headerLength: number;
  /** The header's bytes, used for the checkpoint fingerprint. */
  header: Buffer;
}

export interface CheckpointTensors {
  dir: string;
  tensors: Map<string, TensorRef>;
  shards: ShardInfo[];
}

/** Reads only the 8-byte length and JSON header of a shard: enough to place every tensor, no weights read. */
export function readShardHeader(dir: string, file: string): { shard: ShardInfo; refs: TensorRef[] } {
  const path = join(dir, file);
  if (!existsSync(path)) throw new MtebError('E_FILE_MISSING', `safetensors shard ${file} is missing`, { file: path });
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const lenBuf = Buffer.alloc(8);
    if (readSync(fd, lenBuf, 0, 8, 0) !== 8) throw new MtebError('E_PARSE', 'file shorter than the 8-byte safetensors header length', { file: path });
    const n = Number(lenBuf.readBigUInt64LE(0));
    if (n <= 0 || n + 8 > size || n > 100 * 1024 * 1024) {
      throw new MtebError('E_PARSE', `safetensors header length ${n} does not fit a ${size}-byte file`, { file: path });
    }
    const header = Buffer.alloc(n);
    readSync(fd, header, 0, n, 8);
    let json: Record<string, any>;
    try {
      json = JSON.parse(header.toString('utf8'));
    } catch (e) {
      throw new MtebError('E_PARSE', `safetensors header is not JSON: ${(e as Error).message}`, { file: path });
    }
    const refs: TensorRef[] = [];
    for (const [name, info] of Object.entries(json)) {
      if (name === '__metadata__') continue;
      const dtype = info?.dtype as SafetensorsDtype;
      if (!(dtype in DTYPE_BYTES)) throw new MtebError('E_BAD_VALUE', `tensor ${name} has unsupported dtype ${info?.dtype}`, { file: path, field: name });
      const [a, b] = info.data_offsets as [number, number];
      const shape = info.shape as number[];
      const count = shape.reduce((p, x) => p * x, 1);
      if (b - a !== count * DTYPE_BYTES[dtype] || 8 + n + b > size) {
        throw new MtebError('E_PARSE', `tensor ${name}: data_offsets [${a}, ${b}] do not match shape ${JSON.stringify(shape)} ${dtype} in a ${size}-byte file`, { file: path, field: name });
      }
      refs.push({ name, file, dtype, shape, offset: 8 + n + a, length: b - a });
    }
    return { shard: { file, size, headerLength: n, header }, refs };
  } finally {
    closeSync(fd);
  }
}

/** All tensors of a checkpoint folder: sharded (model.safetensors.index.json) or a single model.safetensors. */
export function readCheckpointTensors(dir: string): CheckpointTensors {
  const indexPath = join(dir, 'model.safetensors.index.json');
  let files: string[];
  let weightMap: Record<string, string> | null = null;
  if (existsSync(indexPath)) {
    weightMap = (readJsonFile(indexPath).value as { weight_map?: Record<string, string> } | null)?.weight_map ?? null;
    if (!weightMap || typeof weightMap !== 'object') throw new MtebError('E_PARSE', 'no "weight_map" object', { file: indexPath, field: 'weight_map' });
    files = [...new Set(Object.values(weightMap))].sort();
  } else if (existsSync(join(dir, 'model.safetensors'))) {
    files = ['model.safetensors'];
  } else {
    throw new MtebError('E_FILE_MISSING', 'checkpoint has neither model.safetensors.index.json nor model.safetensors', { file: dir });
  }
  const tensors = new Map<string, TensorRef>();
  const shards: ShardInfo[] = [];
  for (const f of files) {
    const { shard, refs } = readShardHeader(dir, f);
    shards.push(shard);
    for (const r of refs) tensors.set(r.name, r);
  }
  if (weightMap) {
    for (const [name, file] of Object.entries(weightMap)) {
      const r = tensors.get(name);
      if (!r) throw new MtebError('E_PARSE', `index lists ${name} in ${file} but that shard's header lacks it`, { file: indexPath, field: name });
      if (r.file !== file) throw new MtebError('E_PARSE', `index puts ${name} in ${file}, found in ${r.file}`, { file: indexPath, field: name });
    }
  }
  return { dir, tensors, shards };
}
