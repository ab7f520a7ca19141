import { describe, expect, test } from '@jest/globals';
import { HfTextEncoder } from '../../../src/embedders/hf/inputs.js';
import { loadHfTokenizer } from '../../../src/tokenize/hf-tokenizer.js';
import { BERT_TINY, bertGolden } from './helpers.js';

const G = bertGolden();
const tok = loadHfTokenizer(BERT_TINY);

describe('WordPiece tokenizer.json through @huggingface/tokenizers vs the independent Python WordPiece', () => {
  test.each(G.cases.map((c) => [c.name, c] as const))('%s: plain ids', (_n, c) => {
    expect(tok.encodePlain(c.text)).toEqual(c.plain_ids);
  });
  test.each(G.cases.map((c) => [c.name, c] as const))('%s: ids with prompt, [CLS]/[SEP] and truncation to max_seq_length', (_n, c) => {
    const enc = new HfTextEncoder(tok, G.max_seq_length);
    const r = enc.encode(c.text, c.prompt);
    expect(r.ids).toEqual(c.input_ids);
    expect(r.promptLength).toBe(c.prompt_length);
  });
  test('hand-checked facts: accents stripped and lowercased, CJK split per character, emoji and over-long words are [UNK], specials kept when truncated', () => {
    const id = (t: string) => tok.tokenId(t)!;
    expect(tok.encodePlain('Café naïve RÉSUMÉ')).toEqual([id('cafe'), id('naive'), id('resume')]);
    expect(tok.encodePlain('東京')).toEqual([id('東'), id('京')]);
    expect(tok.encodePlain('🙂 music')).toEqual([id('[UNK]'), id('music')]);
    expect(tok.encodePlain('a'.repeat(101))).toEqual([id('[UNK]')]);
    expect(tok.encodePlain('running')).toEqual([id('run'), id('##n'), id('##ing')]);
    const enc = new HfTextEncoder(tok, 6);
    expect(enc.head).toEqual([id('[CLS]')]);
    expect(enc.tail).toEqual([id('[SEP]')]);
    expect(enc.ids('hello world hello world hello')).toEqual([id('[CLS]'), id('hello'), id('world'), id('hello'), id('world'), id('[SEP]')]);
    // sentence-transformers strips the text before tokenizing
    expect(enc.ids('  \n hello \t')).toEqual(enc.ids('hello'));
  });
  test('very long input (20,000 words): ids are the per-word pieces repeated, cut to the limit with [SEP] kept', () => {
    const unit = 'the capital of France is Paris, naïve café 東京 🙂 running ';
    const once = tok.encodePlain(unit);
    const long = unit.repeat(2000);
    expect(tok.encodePlain(long)).toEqual(Array.from({ length: 2000 }, () => once).flat());
    const enc = new HfTextEncoder(tok, 512);
    const ids = enc.ids(long);
    expect(ids).toHaveLength(512);
    expect(ids).toEqual([...enc.head, ...Array.from({ length: 2000 }, () => once).flat().slice(0, 510), ...enc.tail]);
  });

  test('a limit with no room for text is a usage error', () => {
    expect(() => new HfTextEncoder(tok, 2)).toThrow(/no room for text/);
  });
});
