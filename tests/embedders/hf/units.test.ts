import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHfCheckpoint } from '../../../src/embedders/hf/checkpoint.js';
import { locateCheckpoint } from '../../../src/embedders/hf/hub-path.js';
import { padRows } from '../../../src/embedders/hf/inputs.js';
import { parsePoolingConfig, poolRow, type PoolingConfig } from '../../../src/embedders/hf/pooling.js';
import { choosePrompts } from '../../../src/embedders/hf/prompts.js';
import { BERT_TINY, cleanupTmp, poolingConfig, tmp, variant } from './helpers.js';

afterAll(cleanupTmp);

describe('pooling (sentence-transformers Pooling + Normalize)', () => {
  // 3 real tokens + 1 pad, hidden 2; the pad row holds junk that must never show
  const states = Float32Array.from([1, 2, 3, -4, 5, 0, 99, 99]);
  const run = (cfg: PoolingConfig, promptLength = 0, normalize = false) => {
    const out = new Float32Array(cfg.modes.length * 2);
    poolRow(states, 2, 3, cfg, promptLength, normalize, out);
    return Array.from(out);
  };
  test('each mode on a hand-computed row (padding ignored)', () => {
    expect(run({ modes: ['mean'], includePrompt: true })).toEqual([3, -2 / 3].map(Math.fround));
    expect(run({ modes: ['cls'], includePrompt: true })).toEqual([1, 2]);
    expect(run({ modes: ['max'], includePrompt: true })).toEqual([5, 2]);
    expect(run({ modes: ['lasttoken'], includePrompt: true })).toEqual([5, 0]);
    // weights 1, 2, 3: (1 + 6 + 15) / 6, (2 - 8 + 0) / 6
    expect(run({ modes: ['weightedmean'], includePrompt: true })).toEqual([22 / 6, -1].map(Math.fround));
    expect(run({ modes: ['mean_sqrt_len'], includePrompt: true })).toEqual([9 / Math.sqrt(3), -2 / Math.sqrt(3)].map(Math.fround));
    expect(run({ modes: ['cls', 'mean'], includePrompt: true })).toEqual([1, 2, 3, -2 / 3].map(Math.fround));
  });
  test('include_prompt false masks the prompt tokens (CLS pooling still reads position 0); Normalize divides by the L2 norm', () => {
    expect(run({ modes: ['mean'], includePrompt: false }, 2)).toEqual([5, 0]);
    expect(run({ modes: ['cls'], includePrompt: false }, 2)).toEqual([1, 2]);
    expect(run({ modes: ['max'], includePrompt: true }, 0, true)).toEqual([5 / Math.sqrt(29), 2 / Math.sqrt(29)].map(Math.fround));
  });
  test('config parsing: flags, the string form, nothing enabled', () => {
    expect(parsePoolingConfig(poolingConfig(['cls', 'lasttoken'], false), 'p.json')).toEqual({ modes: ['cls', 'lasttoken'], includePrompt: false });
    expect(parsePoolingConfig({ pooling_mode: 'mean_tokens' }, 'p.json').modes).toEqual(['mean']);
    expect(() => parsePoolingConfig({ pooling_mode: 'median' }, 'p.json')).toThrow(/pooling_mode "median"/);
    expect(() => parsePoolingConfig(poolingConfig([]), 'p.json')).toThrow(expect.objectContaining({ code: 'E_MODEL_LOAD', location: { file: 'p.json' } }) as any);
  });
  test('right padding: pad id, mask 0 on pads', () => {
    const b = padRows([{ ids: [5, 6, 7], promptLength: 0 }, { ids: [8], promptLength: 0 }], 0);
    expect([b.batch, b.seq]).toEqual([2, 3]);
    expect(Array.from(b.inputIds, Number)).toEqual([5, 6, 7, 8, 0, 0]);
    expect(Array.from(b.attentionMask, Number)).toEqual([1, 1, 1, 1, 0, 0]);
  });
});

describe('checkpoint reader: every sentence-transformers file, errors naming the file', () => {
  test('the tiny BERT as read', () => {
    const ck = readHfCheckpoint(BERT_TINY);
    expect(ck).toMatchObject({ modelType: 'bert', architectures: ['BertModel'], nameOrPath: 'mteb-ts/bert-tiny', normalize: true, maxSeqLength: 24, doLowerCase: false });
    expect(ck.pooling).toEqual({ modes: ['mean'], includePrompt: true });
    expect(ck.prompts).toEqual({ query: 'query: ', passage: 'passage: ' });
    expect(ck.onnxModel).toBeNull();
  });
  test('a plain transformers folder (no sentence-transformers files): mean pooling, no Normalize, max_seq_length from the model', () => {
    const d = variant(BERT_TINY, { 'modules.json': null, '1_Pooling': null, '2_Normalize': null, 'sentence_bert_config.json': null, 'config_sentence_transformers.json': null });
    const ck = readHfCheckpoint(d);
    expect(ck).toMatchObject({ normalize: false, maxSeqLength: 64, prompts: {}, defaultPromptName: null, similarity: 'cosine' });
    expect(ck.pooling.modes).toEqual(['mean']);
  });
  test.each([
    ['config.json', { architectures: ['BertModel'] }, /no "model_type"/, 'config.json'],
    ['modules.json', [{ type: 'sentence_transformers.models.Dense', path: '2_Dense' }], /Dense is not supported/, 'modules.json'],
    ['1_Pooling/config.json', '{"pooling_mode_mean_tokens": tru', /invalid JSON/, '1_Pooling/config.json'],
    ['config_sentence_transformers.json', { prompts: { query: 'q: ' }, default_prompt_name: 'passage' }, /default_prompt_name "passage" is not one of the prompts \(query\)/, 'config_sentence_transformers.json'],
    ['sentence_bert_config.json', { max_seq_length: 1 }, /max_seq_length must be an integer >= 2/, 'sentence_bert_config.json'],
  ])('broken %s', (file, content, msg, named) => {
    const d = variant(BERT_TINY, { [file]: content });
    let err: any;
    try {
      readHfCheckpoint(d);
    } catch (e) {
      err = e;
    }
    expect(err?.message).toMatch(msg);
    expect(err.location.file).toBe(join(d, named));
  });
});

describe('prompts', () => {
  const ck = readHfCheckpoint(BERT_TINY);
  test('from the checkpoint per role; override per side; default_prompt_name; document as the passage prompt', () => {
    expect(choosePrompts(ck)).toEqual({ query: 'query: ', passage: 'passage: ', source: 'config_sentence_transformers.json' });
    expect(choosePrompts(ck, { query: 'Q: ', source: 'flag' })).toEqual({ query: 'Q: ', passage: 'passage: ', source: 'flag' });
    expect(choosePrompts({ ...ck, prompts: { search_query: 's: ' }, defaultPromptName: 'search_query' })).toMatchObject({ query: 's: ', passage: 's: ' });
    expect(choosePrompts({ ...ck, prompts: { query: 'q ', document: 'd ' } })).toMatchObject({ query: 'q ', passage: 'd ' });
    expect(choosePrompts({ ...ck, prompts: {} })).toEqual({ query: '', passage: '', source: 'none' });
  });
});

describe('hf:PATH location', () => {
  test('a local folder, else a hub id in the HF cache (refs/main, or an explicit revision), else an error naming both places', () => {
    expect(locateCheckpoint(BERT_TINY)).toEqual({ dir: BERT_TINY, hubId: null, revision: null });
    const hub = tmp('hub');
    const repo = join(hub, 'models--org--tiny');
    mkdirSync(join(repo, 'refs'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', 'abc123'), { recursive: true });
    mkdirSync(join(repo, 'snapshots', 'def456'), { recursive: true });
    writeFileSync(join(repo, 'refs', 'main'), 'abc123\n');
    const env = { HF_HUB_CACHE: hub };
    expect(locateCheckpoint('org/tiny', { env })).toEqual({ dir: join(repo, 'snapshots', 'abc123'), hubId: 'org/tiny', revision: 'abc123' });
    expect(locateCheckpoint('org/tiny', { env, revision: 'def456' }).dir).toBe(join(repo, 'snapshots', 'def456'));
    expect(() => locateCheckpoint('org/other', { env })).toThrow(/org\/other is neither a local folder nor in the Hugging Face cache/);
    expect(() => locateCheckpoint('org/tiny', { env, revision: 'zzz' })).toThrow(/at revision zzz/);
  });
});

describe('registry prompts in the choice order', () => {
  const ck = readHfCheckpoint(BERT_TINY);
  const reg = { query: 'R: ', passage: 'P: ', source: 'registry (x)' };
  test('checkpoint role prompts > registry > default_prompt_name; a flag overrides all', () => {
    expect(choosePrompts(ck, undefined, reg).source).toBe('config_sentence_transformers.json');
    expect(choosePrompts({ ...ck, prompts: {} }, undefined, reg)).toEqual({ query: 'R: ', passage: 'P: ', source: 'registry (x)' });
    // nomic's checkpoint names its prompts search_query/search_document: the registry maps them to the roles
    expect(choosePrompts({ ...ck, prompts: { search_query: 's' }, defaultPromptName: null }, undefined, reg)).toMatchObject({ query: 'R: ', passage: 'P: ' });
    expect(choosePrompts({ ...ck, prompts: {} }, { passage: '', source: 'flag' }, reg)).toEqual({ query: 'R: ', passage: '', source: 'flag' });
  });
});
