import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { MtebError } from '../../core/errors.js';
import { checkTensors, readNvEmbedConfig, type NvEmbedDims } from './config.js';
import { buildNvEmbedGraph, type AttentionImpl, type GraphDtype } from './build-graph.js';
import { readCheckpointTensors, type CheckpointTensors } from './safetensors.js';

export interface BuildOnnxOptions {
  dtype?: GraphDtype;
  attention?: AttentionImpl;
  /** RoPE table length (default max_position_embeddings). */
  maxPositions?: number;
  /** Only write model.onnx; do not link the shards next to it (for size checks on header-only stubs). */
  skipLinks?: boolean;
  /** Which link to try first for the shards (default hardlink; symlink when the cache is on another filesystem). */
  link?: 'hardlink' | 'symlink';
}

export interface BuildOnnxResult {
  dir: string;
  modelPath: string;
  fingerprint: string;
  dims: NvEmbedDims;
  dtype: GraphDtype;
  attention: AttentionImpl;
  onnxBytes: number;
  inlineBytes: number;
  nodeCount: number;
  initializerCount: number;
  /** Per shard: tensors and bytes the graph reads from it, in place. */
  external: { file: string; tensors: number; bytes: number }[];
  /** Checkpoint folder the graph was built from (the shards' real home). */
  checkpoint: string;
  /** Whether the shards were placed next to model.onnx as symlinks, hard links or copies. */
  linkKind: 'symlink' | 'hardlink' | 'copy' | 'none';
}

/** Identity of a checkpoint's weights and config, cheap to compute: config, index, shard names, sizes and headers. */
export function checkpointFingerprint(dir: string, ck: CheckpointTensors): string {
  const h = createHash('sha256');
  for (const f of ['config.json', 'model.safetensors.index.json', 'tokenizer.json']) {
    const p = join(dir, f);
    if (existsSync(p)) h.update(f).update(readFileSync(p));
  }
  for (const s of ck.shards) h.update(`${s.file}:${s.size}:`).update(s.header);
  return h.digest('hex').slice(0, 16);
}

/**
 * Writes `outDir/model.onnx` for the checkpoint in `checkpoint`. ONNX external data paths are relative to the
 * model's folder and onnxruntime refuses paths that leave it, so each shard is linked into `outDir` under its
 * own name (symlink, else hard link, else a copy — printed on stderr since it costs the disk space the links
 * avoid).
 */
export function buildOnnx(checkpoint: string, outDir: string, opts: BuildOnnxOptions = {}): BuildOnnxResult {
  const dir = resolve(checkpoint);
  const dtype = opts.dtype ?? 'fp32';
  const attention = opts.attention ?? 'standard';
  const dims = readNvEmbedConfig(dir);
  const ck = readCheckpointTensors(dir);
  const tensors = checkTensors(dims, ck);
  const fingerprint = checkpointFingerprint(dir, ck);
  const built = buildNvEmbedGraph(dims, tensors, {
    dtype,
    attention,
    maxPositions: opts.maxPositions,
    metadata: { checkpoint_fingerprint: fingerprint, checkpoint_name: dims.name, nvembed_dims: JSON.stringify(dims) },
  });
  mkdirSync(outDir, { recursive: true });
  let linkKind: BuildOnnxResult['linkKind'] = 'none';
  if (!opts.skipLinks) {
    for (const s of ck.shards) linkKind = placeShard(join(dir, s.file), join(outDir, s.file), opts.link ?? 'hardlink');
  }
  const modelPath = join(outDir, 'model.onnx');
  writeAtomic(modelPath, built.bytes);
  const result: BuildOnnxResult = {
    dir: outDir,
    modelPath,
    fingerprint,
    dims,
    dtype,
    attention,
    onnxBytes: built.bytes.byteLength,
    inlineBytes: built.inlineBytes,
    nodeCount: built.nodeCount,
    initializerCount: built.initializerCount,
    external: [...built.external].map(([file, v]) => ({ file, ...v })),
    checkpoint: dir,
    linkKind,
  };
  writeAtomic(join(outDir, 'build.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

export function defaultCacheDir(): string {
  return process.env.MTEB_TS_CACHE ? join(process.env.MTEB_TS_CACHE, 'onnx') : join(homedir(), '.cache', 'mteb-ts', 'onnx');
}

/** The cached graph for this checkpoint+dtype, built on first use (keyed by the checkpoint fingerprint). */
export function ensureOnnx(checkpoint: string, opts: { dtype?: GraphDtype; attention?: AttentionImpl; cacheDir?: string; link?: 'hardlink' | 'symlink' } = {}): BuildOnnxResult {
  const dir = resolve(checkpoint);
  const dtype = opts.dtype ?? 'fp32';
  const attention = opts.attention ?? 'standard';
  const ck = readCheckpointTensors(dir);
  const fp = checkpointFingerprint(dir, ck);
  const out = join(opts.cacheDir ?? defaultCacheDir(), `${fp}-${dtype}${attention === 'standard' ? '' : '-' + attention}`);
  const info = join(out, 'build.json');
  if (existsSync(info) && existsSync(join(out, 'model.onnx'))) {
    try {
      const r = JSON.parse(readFileSync(info, 'utf8')) as BuildOnnxResult;
      // Same weights may live at another path now: the links must point at this checkpoint.
      if (r.fingerprint === fp && r.checkpoint === dir && ck.shards.every((s) => existsSync(join(out, s.file)))) return r;
    } catch {
      /* rebuild below */
    }
  }
  process.stderr.write(`nvembed: building ONNX graph (${dtype}, ${attention} attention) for ${dir} in ${out}\n`);
  return buildOnnx(dir, out, { dtype, attention, link: opts.link });
}

export function placeShard(src: string, dst: string, prefer: 'hardlink' | 'symlink'): BuildOnnxResult['linkKind'] {
  const tmp = `${dst}.tmp-${process.pid}`;
  const attempt = (kind: 'hardlink' | 'symlink'): boolean => {
    rmSync(tmp, { force: true });
    try {
      if (kind === 'hardlink') linkSync(src, tmp);
      else symlinkSync(src, tmp);
      renameSync(tmp, dst);
      return true;
    } catch {
      rmSync(tmp, { force: true });
      return false;
    }
  };
  // A hard link is a plain file inside the folder, which onnxruntime's external-data path check accepts;
  // a symlink is resolved by that check and rejected, so the session loader works around it (session.ts).
  const order: ('hardlink' | 'symlink')[] = prefer === 'hardlink' ? ['hardlink', 'symlink'] : ['symlink', 'hardlink'];
  for (const k of order) if (attempt(k)) return k;
  process.stderr.write(`nvembed: cannot link ${src}; copying it to ${dst}\n`);
  try {
    copyFileSync(src, tmp);
    renameSync(tmp, dst);
  } catch (e) {
    throw new MtebError('E_CACHE', `cannot place shard next to the ONNX graph: ${(e as Error).message}`, { file: dst });
  }
  return 'copy';
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
