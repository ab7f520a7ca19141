import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointFingerprint, defaultCacheDir, placeShard } from '../nvembed/build-onnx.js';
import type { CheckpointTensors } from '../nvembed/safetensors.js';
import type { ArchitecturePlan } from './arch/architectures.js';

export interface BuiltHfGraph {
  modelPath: string;
  fingerprint: string;
  /** Checkpoint folder the shards really live in. */
  checkpoint: string;
  linkKind: 'symlink' | 'hardlink' | 'copy';
  nodeCount: number;
  onnxBytes: number;
}

/** Bumped when the graph builders change what they emit, so cached graphs from older code are rebuilt. */
const GRAPH_VERSION = '1';

/**
 * The checkpoint's graph under `<cache>/hf-<fingerprint>/model.onnx`, built on first use, with each safetensors
 * shard linked next to it (onnxruntime resolves external data inside the model's folder only): the weights are
 * read in place, never converted.
 */
export function ensureHfGraph(dir: string, ck: CheckpointTensors, plan: ArchitecturePlan, cacheDir = defaultCacheDir()): BuiltHfGraph {
  const fingerprint = checkpointFingerprint(dir, ck);
  const out = join(cacheDir, `hf-${fingerprint}${plan.variant ? `-${plan.variant}` : ''}-v${GRAPH_VERSION}`);
  const info = join(out, 'build.json');
  if (existsSync(info) && existsSync(join(out, 'model.onnx'))) {
    try {
      const r = JSON.parse(readFileSync(info, 'utf8')) as BuiltHfGraph;
      if (r.fingerprint === fingerprint && r.checkpoint === dir && ck.shards.every((s) => existsSync(join(out, s.file)))) return r;
    } catch {
      /* rebuilt below */
    }
  }
  process.stderr.write(`hf: building ONNX graph (${plan.label}) for ${dir} in ${out}\n`);
  const built = plan.build({ checkpoint_fingerprint: fingerprint, architecture: plan.label });
  mkdirSync(out, { recursive: true });
  let linkKind: BuiltHfGraph['linkKind'] = 'hardlink';
  for (const s of ck.shards) linkKind = placeShard(join(dir, s.file), join(out, s.file), 'hardlink') as BuiltHfGraph['linkKind'];
  const modelPath = join(out, 'model.onnx');
  writeAtomic(modelPath, built.bytes);
  const r: BuiltHfGraph = { modelPath, fingerprint, checkpoint: dir, linkKind, nodeCount: built.nodeCount, onnxBytes: built.bytes.byteLength };
  writeAtomic(info, JSON.stringify(r, null, 2) + '\n');
  return r;
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
