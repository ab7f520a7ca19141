/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePythonJson } from '../../../src/output/python-json.js';
import { runMain } from '../../cli/support/run-main.js';
import { REGISTERED_MODEL_PROMPTS } from '../../../src/registry/model-prompts.js';
import { BERT_TINY, bertGolden, cleanupTmp, maxDiff, tinyModel, tmp } from './helpers.js';

const G = bertGolden();
let savedCache: string | undefined;
beforeAll(() => {
  savedCache = process.env.MTEB_TS_CACHE;
  process.env.MTEB_TS_CACHE = tmp('graph-cache');
});
afterAll(() => {
  if (savedCache === undefined) delete process.env.MTEB_TS_CACHE;
  else process.env.MTEB_TS_CACHE = savedCache;
  cleanupTmp();
});

describe('CLI with hf:DIR', () => {
  test('embed -m hf:fixtures/models/bert-tiny equals the float64 reference, query prompt applied', async () => {
    const cases = G.cases.filter((c) => c.role === 'query');
    const f = join(tmp('embed'), 'in.jsonl');
    writeFileSync(f, cases.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n');
    const r = await runMain(['embed', '-m', 'hf:fixtures/models/bert-tiny', '--input', f, '--role', 'query']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.text)).toEqual(cases.map((c) => c.text));
    lines.forEach((l, i) => expect(maxDiff(l.embedding, cases[i].embeddings.mean)).toBeLessThan(1e-5));
  });

  test('prompt flags replace the checkpoint prompts (empty prompt = none)', async () => {
    const cases = G.cases.filter((c) => c.role === null && c.text);
    const f = join(tmp('embed-flag'), 'in.jsonl');
    writeFileSync(f, cases.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n');
    const r = await runMain(['embed', '-m', 'hf:fixtures/models/bert-tiny?query_prompt=', '--input', f, '--role', 'query']);
    expect(r.code).toBe(0);
    r.stdout
      .trim()
      .split('\n')
      .forEach((l, i) => expect(maxDiff(JSON.parse(l).embedding, cases[i].embeddings.mean)).toBeLessThan(1e-5));
  });

  test('run end to end on the DemoRetrieval fixture task: result file with the model meta', async () => {
    const out = tmp('run');
    const r = await runMain(['run', '-m', 'hf:fixtures/models/bert-tiny', '--tasks', join('fixtures', 'tasks', 'DemoRetrieval', 'task.json'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    const dir = join(out, 'mteb-ts__bert-tiny', 'no_revision_available');
    expect(existsSync(join(dir, 'DemoRetrieval.json'))).toBe(true);
    const res = parsePythonJson(readFileSync(join(dir, 'DemoRetrieval.json'), 'utf8')) as any;
    const main = res.scores.test[0].main_score;
    expect(main).toBeGreaterThanOrEqual(0);
    expect(main).toBeLessThanOrEqual(1);
    const meta = JSON.parse(readFileSync(join(dir, 'model_meta.json'), 'utf8'));
    expect(meta).toMatchObject({ name: 'mteb-ts/bert-tiny', embed_dim: 32, max_tokens: 24 });
    expect(meta.loader).toMatch(/BertModel, cpu, pooling mean \+ Normalize, prompts from config_sentence_transformers.json/);
  });

  test.each(['xlmr-tiny', 'mpnet-tiny', 'nomic-tiny'])('embed -m hf:fixtures/models/%s equals the float64 reference (no prompt)', async (name) => {
    const cases = tinyModel(name).golden.cases.filter((c) => c.role === null && c.text);
    const f = join(tmp('embed-family'), 'in.jsonl');
    writeFileSync(f, cases.map((c) => JSON.stringify({ text: c.text })).join('\n') + '\n');
    const r = await runMain(['embed', '-m', `hf:fixtures/models/${name}?passage_prompt=`, '--input', f, '--role', 'passage']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(cases.length);
    lines.forEach((l, i) => expect(maxDiff(l.embedding, cases[i].embeddings.mean)).toBeLessThan(1e-5));
  });

  test.each([
    ['xlmr-tiny', 'XLMRobertaModel'],
    ['mpnet-tiny', 'MPNetModel'],
    ['nomic-tiny', 'NomicBertModel'],
  ])('run end to end with hf:fixtures/models/%s on DemoSTS', async (name, arch) => {
    const out = tmp('run-family');
    const r = await runMain(['run', '-m', `hf:fixtures/models/${name}`, '--tasks', join('fixtures', 'tasks', 'DemoSTS', 'task.json'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    const dir = join(out, `mteb-ts__${name}`, 'no_revision_available');
    const res = parsePythonJson(readFileSync(join(dir, 'DemoSTS.json'), 'utf8')) as any;
    expect(Math.abs(res.scores.test[0].main_score)).toBeLessThanOrEqual(1);
    expect(JSON.parse(readFileSync(join(dir, 'model_meta.json'), 'utf8')).loader).toContain(`(${arch}, cpu, pooling mean + Normalize`);
  });

  test('unknown spec option and missing folder are exit-2 errors naming them', async () => {
    const a = await runMain(['embed', '-m', 'hf:fixtures/models/bert-tiny?pooling=cls', '--input', '/dev/null']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown option "pooling".*known options: device, max_length, query_prompt, passage_prompt, registered, revision, graph/);
    const b = await runMain(['embed', '-m', 'hf:fixtures/models/no-such-model', '--input', '/dev/null']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/no-such-model.*checkpoint folder not found/);
  });

  test('models lists the registered prompts with their sources (table and JSON)', async () => {
    const t = await runMain(['models']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/BAAI\/bge-small-en-v1\.5 .*"Represent this sentence for/);
    expect(t.stdout).toMatch(/intfloat\/e5-base-v2 .*"query: " .*"passage: " .*mteb\/models\/e5_models\.py/);
    expect(t.stdout).toMatch(/nomic-ai\/nomic-embed-text-v1\.5 .*"search_query: " .*"search_document: "/);
    const j = await runMain(['models', '--json']);
    expect(JSON.parse(j.stdout)).toEqual(JSON.parse(JSON.stringify(REGISTERED_MODEL_PROMPTS)));
    for (const m of REGISTERED_MODEL_PROMPTS) expect(m.source).toMatch(/^https:\/\//);
  });

  test.each([
    ['xlmr-tiny', 'intfloat/multilingual-e5-small'],
    ['nomic-tiny', 'nomic-ai/nomic-embed-text-v1.5'],
  ])('%s as registered=%s: the registry prompts reach the embedding (equal to the reference)', async (name, registered) => {
    const { golden } = tinyModel(name);
    for (const c of golden.cases.filter((x) => x.role !== null)) {
      const f = join(tmp('embed-reg'), 'in.jsonl');
      writeFileSync(f, JSON.stringify({ text: c.text }) + '\n');
      const r = await runMain(['embed', '-m', `hf:fixtures/models/${name}?registered=${registered}`, '--input', f, '--role', c.role!]);
      expect(r.code).toBe(0);
      expect(maxDiff(JSON.parse(r.stdout).embedding, c.embeddings.mean)).toBeLessThan(1e-5);
    }
    const bad = await runMain(['embed', '-m', `hf:fixtures/models/${name}?registered=org/unknown`, '--input', '/dev/null']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/registered=org\/unknown is not a registered hf: model/);
    // NV-Embed's entry is an instruction template for nvembed:, not a prefix hf: could apply
    const nv = await runMain(['embed', '-m', `hf:fixtures/models/${name}?registered=nvidia/NV-Embed-v2`, '--input', '/dev/null']);
    expect(nv.code).toBe(2);
  });
});
