import type { TextTokenizer } from '../../tokenize/hf-tokenizer.js';

export const EOS_TEXT = '</s>';
export const PAD_ID = 2;

/** NV-Embed's query template; empty instruction means no prefix (passages). */
export function instructionPrefix(instruction?: string): string {
  return instruction ? `Instruct: ${instruction}\nQuery: ` : '';
}

export interface EncodedText {
  ids: number[];
  /** 1 where the position is pooled (not BOS+instruction), always 1 elsewhere up to ids.length. */
  poolStart: number;
}

/**
 * The reference encode(): prefix + text + "</s>" tokenized with the template's BOS, cut to maxLength from
 * the right (so an over-long text loses its EOS, as in HF), pool mask zeroing the first
 * n = len(tokenize(prefix)) positions: BOS plus the prefix tokens, since the prefix's trailing "▁" merges
 * into the text's first word.
 */
export class NvEmbedEncoder {
  private prefixCache = new Map<string, number>();
  constructor(private tok: TextTokenizer, readonly maxLength: number) {}

  prefixTokens(prefix: string): number {
    if (!prefix) return 0;
    let n = this.prefixCache.get(prefix);
    if (n === undefined) {
      n = this.tok.encodePlain(prefix).length;
      this.prefixCache.set(prefix, n);
    }
    return n;
  }

  encode(text: string, instruction?: string): EncodedText {
    const prefix = instructionPrefix(instruction);
    const ids = this.tok.encode(prefix + text + EOS_TEXT);
    if (ids.length > this.maxLength) ids.length = this.maxLength;
    return { ids, poolStart: this.prefixTokens(prefix) };
  }
}

export interface BatchTensors {
  batch: number;
  seq: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  poolMask: BigInt64Array;
}

/** Right-padded int64 tensors (pad id 2, attention 0 on pads). */
export function padBatch(rows: EncodedText[]): BatchTensors {
  const seq = Math.max(1, ...rows.map((r) => r.ids.length));
  const n = rows.length * seq;
  const inputIds = new BigInt64Array(n).fill(BigInt(PAD_ID));
  const attentionMask = new BigInt64Array(n);
  const poolMask = new BigInt64Array(n);
  rows.forEach((r, b) => {
    const o = b * seq;
    for (let j = 0; j < r.ids.length; j++) {
      inputIds[o + j] = BigInt(r.ids[j]);
      attentionMask[o + j] = 1n;
      poolMask[o + j] = j < r.poolStart ? 0n : 1n;
    }
  });
  return { batch: rows.length, seq, inputIds, attentionMask, poolMask };
}
