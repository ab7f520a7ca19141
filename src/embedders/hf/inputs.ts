import { MtebError } from '../../core/errors.js';
import type { TextTokenizer } from '../../tokenize/hf-tokenizer.js';

export interface EncodedRow {
  ids: number[];
  /** Tokens the prompt takes at the start, [CLS]-style head included (sentence-transformers' prompt_length). */
  promptLength: number;
}

/**
 * sentence-transformers' input side: `prompt + text`, stripped (Transformer.tokenize strips every text) and
 * lowercased when sentence_bert_config.json says do_lower_case, tokenized with the checkpoint's post-processor
 * template, truncated to max_seq_length from the right of the text so the template's special tokens stay
 * (truncation="longest_first" on a single text). prompt_length = len(tokenize(prompt)) - 1, as
 * SentenceTransformer.encode computes it.
 */
export class HfTextEncoder {
  /** The template's special ids before and after the text (e.g. [CLS] / [SEP], <s> / </s>). */
  readonly head: number[];
  readonly tail: number[];
  private promptCache = new Map<string, number>();

  constructor(
    private tok: TextTokenizer,
    readonly maxLength: number,
    private lowerCase = false,
  ) {
    const probe = 'a';
    const full = tok.encode(probe);
    const plain = tok.encodePlain(probe);
    const k = findRun(full, plain);
    if (k < 0) throw new MtebError('E_MODEL_LOAD', 'the tokenizer template does not keep the text tokens contiguous; cannot place the special tokens');
    this.head = full.slice(0, k);
    this.tail = full.slice(k + plain.length);
    if (this.head.length + this.tail.length >= maxLength) {
      throw new MtebError('E_USAGE', `max_seq_length ${maxLength} leaves no room for text after ${this.head.length + this.tail.length} special tokens`, { field: 'max_seq_length' });
    }
  }

  private prepare(text: string): string {
    const t = text.trim();
    return this.lowerCase ? t.toLowerCase() : t;
  }

  /** Ids of one input with the special tokens, cut to maxLength. */
  ids(text: string): number[] {
    const body = this.tok.encodePlain(this.prepare(text));
    const room = this.maxLength - this.head.length - this.tail.length;
    return [...this.head, ...(body.length > room ? body.slice(0, room) : body), ...this.tail];
  }

  promptLength(prompt: string): number {
    if (!prompt) return 0;
    let n = this.promptCache.get(prompt);
    if (n === undefined) {
      n = this.ids(prompt).length - 1;
      this.promptCache.set(prompt, n);
    }
    return n;
  }

  encode(text: string, prompt = ''): EncodedRow {
    return { ids: this.ids(prompt + text), promptLength: this.promptLength(prompt) };
  }
}

function findRun(hay: number[], needle: number[]): number {
  outer: for (let k = 0; k + needle.length <= hay.length; k++) {
    for (let j = 0; j < needle.length; j++) if (hay[k + j] !== needle[j]) continue outer;
    return k;
  }
  return -1;
}

export interface PaddedBatch {
  batch: number;
  seq: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
}

/**
 * Padded int64 tensors, the pad ids after each row's tokens (`right`) or before them (`left`, the tokenizer's
 * padding_side for some decoders); the pad id never reaches an output (attention 0, pooling skips it).
 */
export function padRows(rows: EncodedRow[], padId: number, side: 'left' | 'right' = 'right'): PaddedBatch {
  const seq = Math.max(1, ...rows.map((r) => r.ids.length));
  const n = rows.length * seq;
  const inputIds = new BigInt64Array(n).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(n);
  rows.forEach((r, b) => {
    const start = b * seq + (side === 'left' ? seq - r.ids.length : 0);
    for (let j = 0; j < r.ids.length; j++) {
      inputIds[start + j] = BigInt(r.ids[j]);
      attentionMask[start + j] = 1n;
    }
  });
  return { batch: rows.length, seq, inputIds, attentionMask };
}
