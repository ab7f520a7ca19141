import type { GraphBuilder } from './graph-builder.js';
import type { ElemType } from './proto.js';

/** Where one checkpoint tensor's bytes sit in a file (a safetensors shard): what an external initializer needs. */
export interface StoredTensor {
  /** File name relative to the checkpoint folder (the graph's folder holds a link of the same name). */
  file: string;
  dtype: string;
  shape: number[];
  offset: number;
  length: number;
}

const STORE: Record<string, ElemType> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

/** ONNX TensorProto data type numbers for Cast's `to`. */
export function castTo(t: ElemType): number {
  return { float32: 1, float16: 10, bfloat16: 16, int64: 7, int32: 6, bool: 9 }[t];
}

/** Built only when used, so an unused piece (an attention form, a mask) leaves no dead nodes in the graph. */
export function once<V>(fn: () => V): () => V {
  let v: V | undefined;
  return () => (v ??= fn());
}

/**
 * Checkpoint weights as external initializers read in place from their safetensors files, each added once,
 * cast to the compute dtype only when the stored one differs (onnxruntime folds the Cast at load, so the file
 * is never converted on disk). Linear layers are Gemm(transB=1) on the weight as stored ([out, in]).
 */
export class CheckpointWeights {
  private added = new Set<string>();

  constructor(
    private g: GraphBuilder,
    private tensors: Map<string, StoredTensor>,
    /** Compute dtype of the graph. */
    readonly T: ElemType,
  ) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** The initializer in its stored dtype. */
  raw(name: string): { name: string; stored: ElemType } {
    const r = this.tensors.get(name);
    if (!r) throw new Error(`internal: tensor ${name} not checked`);
    const stored = STORE[r.dtype];
    if (!stored) throw new Error(`internal: tensor ${name} has dtype ${r.dtype}, not a float`);
    if (!this.added.has(name)) this.g.externalInit(name, stored, r.shape, { location: r.file, offset: r.offset, length: r.length });
    this.added.add(name);
    return { name, stored };
  }

  cast(x: string, to: ElemType): string {
    return this.g.op('Cast', [x], { to: castTo(to) });
  }

  /** A weight in dtype `to` (default the compute dtype). */
  W(name: string, to: ElemType = this.T): string {
    const r = this.raw(name);
    return r.stored === to ? r.name : this.cast(r.name, to);
  }

  /** x [N, in] -> [N, out] with the stored [out, in] weight (and optional bias). */
  linear(x: string, w: string, bias?: string, t: ElemType = this.T): string {
    return this.g.op('Gemm', bias ? [x, this.W(w, t), this.W(bias, t)] : [x, this.W(w, t)], { transB: 1 });
  }
}
