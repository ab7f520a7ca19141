import { createHash } from 'node:crypto';
import type { EmbedOptions, Embedder } from '../../src/core/embedder.js';
import type { Matrix } from '../../src/core/matrix.js';

/**
 * Deterministic test model: each vector is a function of (role, instruction, text) only, so any batching,
 * caching or transport must reproduce it bit for bit. Counts what it was asked to embed.
 */
export class StubEmbedder implements Embedder {
  readonly name = 'test/stub';
  readonly revision = 'r1';
  calls = 0;
  textsEmbedded = 0;
  batches: number[] = [];
  constructor(
    readonly dimension = 8,
    private readonly hooks: { beforeCall?: (call: number, texts: string[]) => Promise<void> | void } = {},
  ) {}

  async embed(texts: string[], options: EmbedOptions): Promise<Matrix> {
    this.calls++;
    await this.hooks.beforeCall?.(this.calls, texts);
    this.textsEmbedded += texts.length;
    this.batches.push(texts.length);
    const data = new Float32Array(texts.length * this.dimension);
    texts.forEach((t, i) => data.set(stubVector(t, options, this.dimension), i * this.dimension));
    return { rows: texts.length, dim: this.dimension, data };
  }
}

export function stubVector(text: string, options: EmbedOptions, dim: number): Float32Array {
  const out = new Float32Array(dim);
  let block = Buffer.alloc(0);
  for (let j = 0; j < dim; j++) {
    if (j % 8 === 0) block = createHash('sha256').update(`${options.role}\u0000${options.instruction ?? '\u0001'}\u0000${text}\u0000${j}`).digest();
    out[j] = block.readInt32LE((j % 8) * 4) / 2 ** 31;
  }
  return out;
}
