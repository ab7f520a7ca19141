/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 *
 * The decoder families of `hf:` (issue 16): MistralModel (e5-mistral-tiny: fp16 shards, add_eos_token over a
 * tokenizer.json that adds only <s>) and Qwen2 (gte-qwen2-tiny: Qwen2ForCausalLM layout with "model." prefix and
 * lm_head, q/k/v biases, bf16, byte-level BPE + <|endoftext|>) against the float64 PyTorch reference
 * (runners/hf_torch/decoder.py, fixtures/golden/decoders/*.json).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../../src/core/embedder.js';
import { buildOnnx } from '../../../src/embedders/nvembed/build-onnx.js';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { HfTextEncoder, padRows } from '../../../src/embedders/hf/inputs.js';
import { parsePythonJson } from '../../../src/output/python-json.js';
import { registeredModelPrompts } from '../../../src/registry/model-prompts.js';
import { loadHfTokenizer } from '../../../src/tokenize/hf-tokenizer.js';
import { runMain } from '../../cli/support/run-main.js';
import { cleanupTmp, maxDiff, tmp, variant } from './helpers.js';

interface DecoderGolden {
  max_seq_length: number;
  texts: string[];
  ids: number[][];
  pad_id: number;
  causal: number[][];
  bidirectional?: number[][];
}
const golden = (name: string): DecoderGolden => JSON.parse(readFileSync(`fixtures/golden/decoders/${name}.json`, 'utf8'));
const dirOf = (name: string) => join(process.cwd(), 'fixtures/models', name);
const NO_PROMPTS = { query: '', passage: '', source: 'test' };
const INSTRUCTION = 'Given a web search query, retrieve relevant passages that answer the query';

const cache = tmp('decoders');
const open: Embedder[] = [];
let savedCache: string | undefined;
beforeAll(() => {
  savedCache = process.env.MTEB_TS_CACHE;
  process.env.MTEB_TS_CACHE = tmp('graph-cache');
});
afterAll(async () => {
  for (const e of open) await e.close?.();
  if (savedCache === undefined) delete process.env.MTEB_TS_CACHE;
  else process.env.MTEB_TS_CACHE = savedCache;
  cleanupTmp();
});

async function embedder(dir: string, opts: Parameters<typeof createHfEmbedder>[1] = {}): Promise<Embedder> {
  const e = await createHfEmbedder(dir, { cacheDir: cache, prompts: NO_PROMPTS, ...opts });
  open.push(e);
  return e;
}

/** Worst difference to the golden rows: each text alone, and all texts in mixed-length batches (the token budget splits them). */
async function worstAgainst(e: Embedder, texts: string[], want: number[][]): Promise<{ alone: number; batched: number }> {
  let alone = 0;
  for (let i = 0; i < texts.length; i++) alone = Math.max(alone, maxDiff((await e.embed([texts[i]], { role: 'passage' })).data, want[i]));
  const m = await e.embed(texts, { role: 'passage' });
  let batched = 0;
  texts.forEach((_, i) => (batched = Math.max(batched, maxDiff(m.data.subarray(i * m.dim, (i + 1) * m.dim), want[i]))));
  return { alone, batched };
}

const CASES: [string, 'causal' | 'bidirectional', string][] = [
  ['e5-mistral-tiny', 'causal', 'MistralModel, causal'],
  ['gte-qwen2-tiny', 'causal', 'Qwen2ForCausalLM, causal'],
  ['gte-qwen2-tiny', 'bidirectional', 'Qwen2ForCausalLM, bidirectional'],
];

describe('token ids: the checkpoint tokenizer rules', () => {
  test.each(['e5-mistral-tiny', 'gte-qwen2-tiny'])('%s: ids equal the golden ids (special tokens counted in max_seq_length and kept)', (name) => {
    const g = golden(name);
    const enc = new HfTextEncoder(loadHfTokenizer(dirOf(name), { llamaSpecialTokens: true }), g.max_seq_length);
    expect(g.texts.map((t) => enc.encode(t).ids)).toEqual(g.ids);
    expect(g.ids[6]).toHaveLength(64);
  });

  test('LlamaTokenizer: tokenizer_config add_bos_token / add_eos_token rebuild the template; without the rule tokenizer.json adds only <s>', () => {
    const dir = dirOf('e5-mistral-tiny');
    const plain = loadHfTokenizer(dir).encode('one');
    expect(plain).toEqual([1, 624]);
    expect(loadHfTokenizer(dir, { llamaSpecialTokens: true }).encode('one')).toEqual([1, 624, 2]);
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    const noBos = variant(dir, { 'tokenizer_config.json': { ...cfg, add_bos_token: false } });
    expect(loadHfTokenizer(noBos, { llamaSpecialTokens: true }).encode('one')).toEqual([624, 2]);
    const noEos = variant(dir, { 'tokenizer_config.json': { ...cfg, add_eos_token: false } });
    expect(loadHfTokenizer(noEos, { llamaSpecialTokens: true }).encode('one')).toEqual([1, 624]);
    // Another tokenizer class keeps tokenizer.json's template whatever the flags say.
    const other = variant(dir, { 'tokenizer_config.json': { ...cfg, tokenizer_class: 'PreTrainedTokenizerFast' } });
    expect(loadHfTokenizer(other, { llamaSpecialTokens: true }).encode('one')).toEqual([1, 624]);
  });
});

describe.each(CASES)('%s %s attention equals the float64 reference', (name, attention, label) => {
  test('library embedder: each text alone and in mixed-length batches <= 1e-5', async () => {
    const g = golden(name);
    const e = await embedder(dirOf(name), { attention, tokenBudget: 100 });
    expect(e.dimension).toBe(16);
    expect(e.meta!().loader).toContain(`(${label}, cpu, pooling lasttoken + Normalize`);
    const w = await worstAgainst(e, g.texts, g[attention]!);
    expect(w.alone).toBeLessThan(1e-5);
    expect(w.batched).toBeLessThan(1e-5);
  });
});

describe.each(CASES)('%s %s attention, left padding (the side does not change a vector)', (name, attention) => {
  test.each(['left', 'right'] as const)('padding_side=%s: alone and in mixed-length batches <= 1e-5', async (side) => {
    const g = golden(name);
    const e = await embedder(dirOf(name), { attention, tokenBudget: 100, paddingSide: side });
    expect(e.meta!().loader!.includes('left padding')).toBe(side === 'left');
    const w = await worstAgainst(e, g.texts, g[attention]!);
    expect(w.alone).toBeLessThan(1e-5);
    expect(w.batched).toBeLessThan(1e-5);
  });
});

describe('padding side', () => {
  test('padRows puts the pad ids before (left) or after (right) each row', () => {
    const rows = [{ ids: [5, 6, 7], promptLength: 0 }, { ids: [8], promptLength: 0 }];
    const l = padRows(rows, 0, 'left');
    expect([...l.inputIds].map(Number)).toEqual([5, 6, 7, 0, 0, 8]);
    expect([...l.attentionMask].map(Number)).toEqual([1, 1, 1, 0, 0, 1]);
    expect([...padRows(rows, 0, 'right').inputIds].map(Number)).toEqual([5, 6, 7, 8, 0, 0]);
  });

  test("tokenizer_config.json's padding_side is honoured by decoders; padding_side=left is refused for encoders", async () => {
    const dir = dirOf('e5-mistral-tiny');
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(cfg.padding_side).toBe('right');
    const left = await embedder(variant(dir, { 'tokenizer_config.json': { ...cfg, padding_side: 'left' } }), { tokenBudget: 100 });
    expect(left.meta!().loader).toContain('(MistralModel, causal, cpu, left padding, pooling lasttoken');
    const g = golden('e5-mistral-tiny');
    expect((await worstAgainst(left, g.texts, g.causal)).batched).toBeLessThan(1e-5);
    const bad = variant(dir, { 'tokenizer_config.json': { ...cfg, padding_side: 'middle' } });
    await expect(createHfEmbedder(bad, { cacheDir: cache })).rejects.toThrow('padding_side must be "left" or "right"');
    await expect(createHfEmbedder('fixtures/models/bert-tiny', { cacheDir: cache, paddingSide: 'left' })).rejects.toThrow('padding_side=left applies to the rotary decoders only; BertModel pads right');
    const r = await runMain(['embed', '-m', 'hf:fixtures/models/e5-mistral-tiny?padding_side=up', '--input', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('option padding_side=up must be one of left, right');
  });
});

describe('attention setting', () => {
  test('config.json "is_causal": false makes the graph bidirectional; attention=causal overrides it back', async () => {
    const g = golden('gte-qwen2-tiny');
    const dir = dirOf('gte-qwen2-tiny');
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const bi = variant(dir, { 'config.json': { ...cfg, is_causal: false } });
    const fromConfig = await embedder(bi);
    expect(maxDiff((await fromConfig.embed([g.texts[1]], { role: 'passage' })).data, g.bidirectional![1])).toBeLessThan(1e-5);
    const forced = await embedder(bi, { attention: 'causal' });
    expect(maxDiff((await forced.embed([g.texts[1]], { role: 'passage' })).data, g.causal[1])).toBeLessThan(1e-5);
    // The two settings really differ on this text, so the checks above could fail.
    expect(maxDiff(g.causal[1], g.bidirectional![1])).toBeGreaterThan(1e-2);
    expect(fromConfig.fingerprint).not.toBe(forced.fingerprint);
  });

  test('attention= is refused on an encoder and with a bad value', async () => {
    await expect(createHfEmbedder('fixtures/models/bert-tiny', { cacheDir: cache, attention: 'causal' })).rejects.toThrow('attention=causal applies to decoder checkpoints only; BertModel is an encoder');
    const r = await runMain(['embed', '-m', 'hf:fixtures/models/e5-mistral-tiny?attention=sideways', '--input', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('option attention=sideways must be one of causal, bidirectional');
  });

  test('refused configs name config.json and the field', async () => {
    const dir = dirOf('e5-mistral-tiny');
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const scaled = variant(dir, { 'config.json': { ...cfg, rope_scaling: { type: 'linear', factor: 2 } } });
    await expect(createHfEmbedder(scaled, { cacheDir: cache })).rejects.toThrow('rope_scaling is not supported');
    const head = variant(dir, { 'config.json': { ...cfg, architectures: ['MistralForSequenceClassification'] } });
    await expect(createHfEmbedder(head, { cacheDir: cache })).rejects.toThrow('architecture MistralForSequenceClassification is not supported for model_type mistral (MistralModel, MistralForCausalLM)');
    // Mistral's sliding window caps the accepted length (the graph has no window).
    const window = variant(dir, { 'config.json': { ...cfg, sliding_window: 32 } });
    await expect(createHfEmbedder(window, { cacheDir: cache })).rejects.toThrow('max_length 64 exceeds the 32 positions the model has');
  });
});

describe('CLI', () => {
  const jsonl = (texts: string[]) => {
    const f = join(tmp('embed'), 'in.jsonl');
    writeFileSync(f, texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    return f;
  };
  const vectors = (stdout: string): number[][] => stdout.trim().split('\n').map((l) => JSON.parse(l).embedding);

  test.each(CASES)('embed -m hf:fixtures/models/%s (%s) equals the golden', async (name, attention) => {
    const g = golden(name);
    const spec = `hf:fixtures/models/${name}${attention === 'bidirectional' ? '?attention=bidirectional' : ''}`;
    const r = await runMain(['embed', '-m', spec, '--input', jsonl(g.texts), '--role', 'passage']);
    expect(r.code).toBe(0);
    vectors(r.stdout).forEach((v, i) => expect(maxDiff(v, g[attention]![i])).toBeLessThan(1e-5));
  });

  test('registered e5-mistral: the task instruction goes into "Instruct: …\\nQuery: " on queries only', async () => {
    const g = golden('e5-mistral-tiny');
    expect(g.texts[0]).toBe(`Instruct: ${INSTRUCTION}\nQuery: what is a tiny model`);
    const spec = 'hf:fixtures/models/e5-mistral-tiny?registered=intfloat/e5-mistral-7b-instruct';
    const q = await runMain(['embed', '-m', spec, '--input', jsonl(['what is a tiny model']), '--role', 'query', '--instruction', INSTRUCTION]);
    expect(q.code).toBe(0);
    expect(maxDiff(vectors(q.stdout)[0], g.causal[0])).toBeLessThan(1e-5);
    // Documents stay plain even with an instruction (apply_instruction_to_passages=False).
    const p = await runMain(['embed', '-m', spec, '--input', jsonl([g.texts[1]]), '--role', 'passage', '--instruction', INSTRUCTION]);
    expect(maxDiff(vectors(p.stdout)[0], g.causal[1])).toBeLessThan(1e-5);
  });

  test.each(['e5-mistral-tiny', 'gte-qwen2-tiny'])('run end to end on the DemoRetrieval fixture task with %s', async (name) => {
    const out = tmp('run');
    const r = await runMain(['run', '-m', `hf:fixtures/models/${name}`, '--tasks', join('fixtures', 'tasks', 'DemoRetrieval', 'task.json'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    const dir = join(out, `mteb-ts__${name}`, 'no_revision_available');
    const res = parsePythonJson(readFileSync(join(dir, 'DemoRetrieval.json'), 'utf8')) as any;
    const main = res.scores.test[0].main_score;
    expect(main).toBeGreaterThanOrEqual(0);
    expect(main).toBeLessThanOrEqual(1);
    const meta = JSON.parse(readFileSync(join(dir, 'model_meta.json'), 'utf8'));
    expect(meta).toMatchObject({ name: `mteb-ts/${name}`, embed_dim: 16, max_tokens: 64 });
  });
});

describe('registry and NV-Embed', () => {
  test('the decoder models are registered with the instruction template and their sources', () => {
    for (const name of ['intfloat/e5-mistral-7b-instruct', 'Salesforce/SFR-Embedding-Mistral', 'Salesforce/SFR-Embedding-2_R', 'Alibaba-NLP/gte-Qwen2-7B-instruct', 'Alibaba-NLP/gte-Qwen2-1.5B-instruct']) {
      const r = registeredModelPrompts(name)!;
      expect(r).toMatchObject({ query: '', passage: '', queryTemplate: 'Instruct: {instruction}\nQuery: ' });
      expect(r.source).toMatch(/^https:\/\/github.com\/embeddings-benchmark\/mteb\//);
      expect(r.taskInstructions!.ArguAna).toEqual({ v1: 'Given a claim, find documents that refute the claim', v2: 'Given a claim, find documents that refute the claim' });
    }
    expect(registeredModelPrompts('Alibaba-NLP/gte-Qwen2-7B-instruct')!.publishedAttention).toEqual({
      attention: 'causal',
      source: 'https://github.com/embeddings-benchmark/mteb/blob/1.12.90/mteb/models/gte_models.py (attn="cccc")',
    });
  });

  test("NV-Embed's graphs are byte-identical to before the decoder stack was shared", () => {
    const want: Record<string, string> = {
      'fp32 standard': 'ecbb074f199859a7bed20c8b4de7f6679432a50c92c8743ee57d8ad6ecf998ab',
      'fp32 mha': '071fb98d7babc872489f92da54b278ab0c82d5a5510eb6a65e53f6a81e7a8274',
      'fp16 standard': 'e03bc175e8c16845d03663fa4f6cf7eab47c75a632f89e901776826eec273672',
      'fp16 mha': 'c17bc6b28668a4ae8d0f92ab6ffc2f46d725063e9c0cb878893f51ef485c7e6d',
    };
    for (const key of Object.keys(want)) {
      const [dtype, attention] = key.split(' ') as ['fp32' | 'fp16', 'standard' | 'mha'];
      const r = buildOnnx('fixtures/models/nv-embed-tiny', tmp('nvgraph'), { dtype, attention, skipLinks: true });
      expect([key, createHash('sha256').update(readFileSync(r.modelPath)).digest('hex')]).toEqual([key, want[key]]);
    }
  });
});
