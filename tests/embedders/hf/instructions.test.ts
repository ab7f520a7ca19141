/**
 * @jest-environment ./tests/nvembed/ort-environment.cjs
 *
 * Per-model per-task instructions (issue 16): a registered instruct decoder (e5-mistral, SFR, gte-Qwen2) gets
 * mteb's own text for a task through the Embedder `instructionFor` hook, the cache and the result identity follow
 * it, and NV-Embed keeps the task file's instruction.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../../src/core/embedder.js';
import { createHfEmbedder } from '../../../src/embedders/hf/index.js';
import { HfTextEncoder } from '../../../src/embedders/hf/inputs.js';
import { instructionFor as chooseInstruction } from '../../../src/embedders/hf/prompts.js';
import { createNvEmbedEmbedder } from '../../../src/embedders/nvembed/index.js';
import { parsePythonJson } from '../../../src/output/python-json.js';
import { MTEB_TASK_INSTRUCTIONS } from '../../../src/registry/instruct-task-instructions.js';
import { registeredModelPrompts } from '../../../src/registry/model-prompts.js';
import { instructionFor } from '../../../src/run/embed-texts.js';
import { runMain } from '../../cli/support/run-main.js';
import { cleanupTmp, tmp } from './helpers.js';

const E5 = 'hf:fixtures/models/e5-mistral-tiny?registered=intfloat/e5-mistral-7b-instruct';
/** ArguAna's task file instruction (NV-Embed's instructions.json) and mteb's text for e5-mistral (1.12 and 2.x agree). */
const ARGUANA_FILE = 'Given a claim, retrieve documents that support or refute the claim';
const ARGUANA_MTEB = 'Given a claim, find documents that refute the claim';

const open: Embedder[] = [];
let savedCache: string | undefined;
beforeAll(() => {
  savedCache = process.env.MTEB_TS_CACHE;
  process.env.MTEB_TS_CACHE = tmp('graph-cache');
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  for (const e of open) await e.close?.();
  if (savedCache === undefined) delete process.env.MTEB_TS_CACHE;
  else process.env.MTEB_TS_CACHE = savedCache;
  cleanupTmp();
});

/** The DemoRetrieval fixture under another task name (its data, its own file instruction). */
function fixtureTask(name: string, protocol = 'mteb-1', query = ARGUANA_FILE): string {
  const dir = join(tmp('task'), name);
  cpSync(join('fixtures', 'tasks', 'DemoRetrieval'), dir, { recursive: true });
  const t = JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8'));
  writeFileSync(join(dir, 'task.json'), JSON.stringify({ ...t, name, protocol, instruction: { query, passage: null, source: 'test' } }));
  return join(dir, 'task.json');
}

describe('the data: mteb’s per-task texts', () => {
  test('every MTEB(eng, v1) difference is listed, with 1.12 and 2.x texts where they differ from the task file', () => {
    expect(Object.keys(MTEB_TASK_INSTRUCTIONS)).toHaveLength(36);
    expect(MTEB_TASK_INSTRUCTIONS.ArguAna).toEqual({ v1: ARGUANA_MTEB, v2: ARGUANA_MTEB });
    // CQADupstack has no instruction in mteb's registry: 1.12 and 2.x fall back to the retrieval default.
    expect(MTEB_TASK_INSTRUCTIONS.CQADupstackUnixRetrieval).toEqual({ v1: 'Retrieve text based on user query.', v2: 'Retrieve text based on user query.' });
    // v2-only tasks carry 2.x's text only.
    expect(MTEB_TASK_INSTRUCTIONS['Touche2020Retrieval.v3']).toEqual({ v2: 'Retrieve text based on user query.' });
    expect(MTEB_TASK_INSTRUCTIONS.STSBenchmark).toEqual({ v1: 'Retrieve semantically similar text.', v2: 'Retrieve semantically similar text.' });
    for (const m of ['intfloat/e5-mistral-7b-instruct', 'Salesforce/SFR-Embedding-Mistral', 'Alibaba-NLP/gte-Qwen2-1.5B-instruct']) {
      expect(registeredModelPrompts(m)!.taskInstructions).toBe(MTEB_TASK_INSTRUCTIONS);
    }
  });

  test('the choice: query side mteb’s text by protocol, else the file’s; documents none; models without a template keep the file’s', () => {
    const p = { query: '', passage: '', source: 't', queryTemplate: 'Instruct: {instruction}\nQuery: ', taskInstructions: { T: { v1: 'one', v2: 'two' }, U: { v2: 'only two' } } };
    expect(chooseInstruction(p, { name: 'T', type: 'Retrieval', protocol: 'mteb-1' }, 'query', 'file')).toBe('one');
    expect(chooseInstruction(p, { name: 'T', type: 'Retrieval', protocol: 'mteb-2' }, 'query', 'file')).toBe('two');
    expect(chooseInstruction(p, { name: 'U', type: 'Retrieval', protocol: 'mteb-1' }, 'query', 'file')).toBe('file');
    expect(chooseInstruction(p, { name: 'V', type: 'Retrieval', protocol: 'mteb-2' }, 'query', undefined)).toBeUndefined();
    expect(chooseInstruction(p, { name: 'T', type: 'Retrieval', protocol: 'mteb-1' }, 'passage', 'file passage')).toBeUndefined();
    const plain = { query: 'query: ', passage: 'passage: ', source: 't' };
    expect(chooseInstruction(plain, { name: 'T', type: 'Retrieval', protocol: 'mteb-1' }, 'passage', 'file passage')).toBe('file passage');
  });
});

describe('embedders choose, shared code asks', () => {
  test('instructionFor consults the hook: registered e5-mistral gets mteb’s text, NV-Embed the task file’s', async () => {
    const e5 = await createHfEmbedder('fixtures/models/e5-mistral-tiny', { registered: 'intfloat/e5-mistral-7b-instruct', cacheDir: tmp('g') });
    const nv = await createNvEmbedEmbedder('fixtures/models/nv-embed-tiny', { cacheDir: tmp('nv') });
    open.push(e5, nv);
    const spec = { name: 'ArguAna', type: 'Retrieval', protocol: 'mteb-1', instruction: { query: ARGUANA_FILE, passage: null } };
    expect(instructionFor(spec, 'query', e5)).toBe(ARGUANA_MTEB);
    expect(instructionFor(spec, 'passage', e5)).toBeUndefined();
    expect(nv.instructionFor).toBeUndefined();
    expect(instructionFor(spec, 'query', nv)).toBe(ARGUANA_FILE);
    expect(instructionFor(spec, 'query')).toBe(ARGUANA_FILE);
  });

  test('run: the exact string reaching the tokenizer is mteb’s text in e5’s template; the result identity records it', async () => {
    const seen: string[] = [];
    const ids = HfTextEncoder.prototype.ids;
    jest.spyOn(HfTextEncoder.prototype, 'ids').mockImplementation(function (this: HfTextEncoder, text: string) {
      seen.push(text);
      return ids.call(this, text);
    });
    const out = tmp('run');
    const r = await runMain(['run', '-m', E5, '--tasks', fixtureTask('ArguAna'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    const queries = readFileSync(join('fixtures', 'tasks', 'DemoRetrieval', 'queries.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text as string);
    expect(seen).toContain(`Instruct: ${ARGUANA_MTEB}\nQuery: ${queries[0]}`);
    expect(seen.filter((s) => s.includes(ARGUANA_FILE))).toEqual([]);
    // Each distinct query once with the prompt (the prompt alone is tokenized once more for prompt_length);
    // documents plain.
    const prompt = `Instruct: ${ARGUANA_MTEB}\nQuery: `;
    expect(seen.filter((s) => s === prompt)).toHaveLength(1);
    expect(seen.filter((s) => s.startsWith('Instruct: ') && s !== prompt).length).toBe(new Set(queries).size);
    const res = parsePythonJson(readFileSync(join(out, 'mteb-ts__e5-mistral-tiny', 'no_revision_available', 'ArguAna.json'), 'utf8')) as any;
    expect(res.mteb_ts.identity.instruction_query).toBe(ARGUANA_MTEB);
    expect(res.mteb_ts.identity.instruction_passage).toBeNull();
  });

  test('run: NV-Embed on the same task keeps the task file’s instruction', async () => {
    const out = tmp('run-nv');
    const r = await runMain(['run', '-m', 'nvembed:fixtures/models/nv-embed-tiny', '--tasks', fixtureTask('ArguAna'), '-o', out, '--cache-dir', 'none', '-q']);
    expect(r.code).toBe(0);
    const res = parsePythonJson(readFileSync(join(out, 'mteb-ts__nv-embed-tiny', 'no_revision_available', 'ArguAna.json'), 'utf8')) as any;
    expect(res.mteb_ts.identity.instruction_query).toBe(ARGUANA_FILE);
  });

  test('the embedding cache is keyed by the instruction used, not the task file’s', async () => {
    const cacheDir = tmp('emb-cache');
    const seen: string[] = [];
    const ids = HfTextEncoder.prototype.ids;
    jest.spyOn(HfTextEncoder.prototype, 'ids').mockImplementation(function (this: HfTextEncoder, text: string) {
      seen.push(text);
      return ids.call(this, text);
    });
    const run = async (task: string) => {
      const out = tmp('run-c');
      seen.length = 0;
      const r = await runMain(['run', '-m', E5, '--tasks', task, '-o', out, '--cache-dir', cacheDir, '-q']);
      expect(r.code).toBe(0);
      return parsePythonJson(readFileSync(join(out, 'mteb-ts__e5-mistral-tiny', 'no_revision_available', 'Touche2020.json'), 'utf8')) as any;
    };
    // Two task files with different instructions of their own: e5-mistral gets mteb's Touche2020 text in both,
    // so the second run embeds nothing (every vector comes from the cache) and scores the same.
    const a = await run(fixtureTask('Touche2020', 'mteb-1', 'file text one'));
    expect(seen.length).toBeGreaterThan(0);
    const b = await run(fixtureTask('Touche2020', 'mteb-1', 'file text two'));
    expect(seen).toEqual([]);
    expect(a.mteb_ts.identity.instruction_query).toBe(MTEB_TASK_INSTRUCTIONS.Touche2020.v1);
    expect(b.mteb_ts.identity.instruction_query).toBe(MTEB_TASK_INSTRUCTIONS.Touche2020.v1);
    expect(b.scores.test[0].main_score).toBe(a.scores.test[0].main_score);
  });
});
