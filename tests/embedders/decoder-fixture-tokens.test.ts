/**
 * The tiny decoder checkpoints of issue 16 (fixtures/models/e5-mistral-tiny, gte-qwen2-tiny) carry golden ids made
 * by pure-Python tokenizers (runners/nvembed_torch/tokenizer.py, runners/hf_torch/bytelevel_bpe.py). Here the same
 * texts go through @huggingface/tokenizers, the library our embedders use: two independent implementations of each
 * tokenizer.json must give the same ids, or the golden embeddings would test the wrong input.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { loadHfTokenizer } from '../../src/tokenize/hf-tokenizer.js';

interface Golden { max_seq_length: number; texts: string[]; ids: number[][] }
const golden = (name: string): Golden => JSON.parse(readFileSync(`fixtures/golden/decoders/${name}.json`, 'utf8'));

/** Special tokens count towards max_seq_length and are kept (HF tokenizers' truncation with a post-processor). */
function truncate(head: number[], body: number[], tail: number[], max: number): number[] {
  return [...head, ...body.slice(0, Math.max(0, max - head.length - tail.length)), ...tail];
}

describe('tiny decoder checkpoints: golden ids equal @huggingface/tokenizers', () => {
  it('e5-mistral-tiny: <s> text </s> (tokenizer_config add_eos_token over a tokenizer.json that adds only <s>)', () => {
    const g = golden('e5-mistral-tiny');
    const tok = loadHfTokenizer('fixtures/models/e5-mistral-tiny');
    // The tokenizer.json template alone adds only <s>: the trap mteb's e5-mistral entry documents.
    expect(tok.encode('one')).toEqual([1, ...tok.encodePlain('one')]);
    const ids = g.texts.map((t) => truncate([1], tok.encodePlain(t), [2], g.max_seq_length));
    expect(ids).toEqual(g.ids);
    expect(g.ids[6]).toHaveLength(64);
    expect(g.ids[6][63]).toBe(2);
    expect(g.ids[5]).toEqual([1, 624, 2]);
  });

  it('gte-qwen2-tiny: byte-level BPE (NFC, Qwen2 split regex, CJK, emoji, whitespace runs) + <|endoftext|>', () => {
    const g = golden('gte-qwen2-tiny');
    const tok = loadHfTokenizer('fixtures/models/gte-qwen2-tiny');
    const eos = tok.tokenId('<|endoftext|>')!;
    expect(eos).toBe(g.ids[1].at(-1));
    const ids = g.texts.map((t) => {
      const full = tok.encode(t);
      expect(full.at(-1)).toBe(eos);
      return truncate([], full.slice(0, -1), [eos], g.max_seq_length);
    });
    expect(ids).toEqual(g.ids);
    expect(g.ids.map((r) => r.length)).toEqual([43, 9, 49, 50, 34, 4, 64]);
  });
});
