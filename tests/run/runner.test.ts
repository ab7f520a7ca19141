import { describe, test, expect } from '@jest/globals';
import { parsePythonJson } from '../../src/output/python-json.js';
import { readFileSync, statSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { resolveTasks } from '../../src/registry/index.js';
import { copyDemoTask, tmpOut, DEMO } from './helpers.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { withDefaults } from '../../src/task-types/validate.js';

const model = () => validating(new HashEmbedder(64));
const resultFile = (out: string, task: string) => path.join(out, 'mteb-ts__hash-64', 'no_revision_available', `${task}.json`);

describe('runner: resume, overwrite, limit', () => {
  test('a second run skips finished tasks without rewriting them; --overwrite recomputes', async () => {
    const out = tmpOut();
    const tasks = resolveTasks([path.join(DEMO, 'DemoSTS', 'task.json')]);
    const first = await runEvaluation({ tasks, embedder: model(), outputDir: out });
    expect(first.outcomes[0].status).toBe('done');
    const f = resultFile(out, 'DemoSTS');
    const before = readFileSync(f, 'utf8');
    const mtime = statSync(f).mtimeMs;
    const second = await runEvaluation({ tasks, embedder: model(), outputDir: out });
    expect(second.outcomes[0]).toMatchObject({ status: 'skipped', mainScore: first.outcomes[0].status === 'done' ? first.outcomes[0].mainScore : -1 });
    expect(statSync(f).mtimeMs).toBe(mtime);
    const third = await runEvaluation({ tasks, embedder: model(), outputDir: out, overwrite: true });
    expect(third.outcomes[0].status).toBe('done');
    const a = JSON.parse(before), b = parsePythonJson(readFileSync(f, 'utf8'));
    expect(b.scores).toEqual(a.scores);
    // no temp files left behind by the atomic writes
    expect(readdirSync(path.dirname(f)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  test('--limit marks the file as a dry run, and a full run then recomputes it', async () => {
    const out = tmpOut();
    const tasks = resolveTasks([path.join(DEMO, 'DemoRetrieval', 'task.json')]);
    await runEvaluation({ tasks, embedder: model(), outputDir: out, limit: 5 });
    const limited = parsePythonJson(readFileSync(resultFile(out, 'DemoRetrieval'), 'utf8'));
    expect(limited.mteb_ts.limit).toBe(5);
    const items = JSON.parse(readFileSync(resultFile(out, 'DemoRetrieval').replace('.json', '.items.json'), 'utf8'));
    expect(Object.keys(items.splits.test.default.metrics.ndcg_at_10)).toHaveLength(5);
    const full = await runEvaluation({ tasks, embedder: model(), outputDir: out });
    expect(full.outcomes[0].status).toBe('done');
    const r = parsePythonJson(readFileSync(resultFile(out, 'DemoRetrieval'), 'utf8'));
    expect(r.mteb_ts.limit).toBeUndefined();
  });
});

describe('runner: a failing task is reported in one line and the run goes on', () => {
  async function runWith(tasks: TaskSpec[], embedder: Embedder = model()) {
    const out = tmpOut();
    const lines: string[] = [];
    const s = await runEvaluation({ tasks, embedder, outputDir: out, log: (l) => lines.push(l) });
    return { out, s, lines };
  }
  const good = () => resolveTasks([path.join(DEMO, 'DemoBitextMining', 'task.json')])[0];

  test('a bad JSON line names the file and the line', async () => {
    const { dir, spec } = copyDemoTask('DemoRetrieval');
    const corpus = path.join(dir, 'corpus.jsonl');
    const lines = readFileSync(corpus, 'utf8').split('\n');
    lines[6] = '{"_id": "doc6", "text": "broken';
    writeFileSync(corpus, lines.join('\n'));
    const { s, out } = await runWith([spec, good()]);
    const failed = s.outcomes.find((o) => o.task === 'DemoRetrieval')!;
    expect(failed.status).toBe('failed');
    if (failed.status !== 'failed') return;
    expect(failed.errorCode).toBe('E_PARSE');
    expect(failed.error).toContain('task DemoRetrieval');
    expect(failed.error).toContain('corpus.jsonl:7');
    expect(failed.error.split('\n')).toHaveLength(1);
    expect(s.outcomes.find((o) => o.task === 'DemoBitextMining')!.status).toBe('done');
    expect(existsSync(resultFile(out, 'DemoBitextMining'))).toBe(true);
    expect(existsSync(resultFile(out, 'DemoRetrieval'))).toBe(false);
  });

  test('a missing qrels file is named', async () => {
    const { dir, spec } = copyDemoTask('DemoRetrieval');
    rmSync(path.join(dir, 'qrels'), { recursive: true });
    const { s } = await runWith([spec]);
    const o = s.outcomes[0];
    expect(o.status).toBe('failed');
    if (o.status === 'failed') {
      expect(o.error).toMatch(/qrels/);
      expect(o.error).toContain('task DemoRetrieval');
    }
  });

  test('a missing column names the file, line and column', async () => {
    const { dir, spec } = copyDemoTask('DemoSTS');
    const f = path.join(dir, 'test.jsonl');
    const rows = readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    delete rows[3].score;
    writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const { s } = await runWith([spec]);
    const o = s.outcomes[0];
    expect(o.status).toBe('failed');
    if (o.status === 'failed') {
      expect(o.errorCode).toBe('E_COLUMN_MISSING');
      expect(o.error).toContain('test.jsonl:4');
      expect(o.error).toContain('score');
    }
  });

  test('a missing split lists the splits that exist', async () => {
    const { spec } = copyDemoTask('DemoSTS');
    const { s } = await runWith([{ ...spec, eval_splits: ['validation'] }]);
    const o = s.outcomes[0];
    expect(o.status).toBe('failed');
    if (o.status === 'failed') expect(o.error).toMatch(/validation/);
  });

  test('NaN and wrong-dimension vectors from a model fail the task with the model and text named', async () => {
    const nan: Embedder = { name: 'nan-model', revision: 'r', dimension: 4, embed: async (t) => ({ rows: t.length, dim: 4, data: new Float32Array(t.length * 4).fill(NaN) }) };
    const { s: s1 } = await runWith([good()], validating(nan));
    expect(s1.outcomes[0]).toMatchObject({ status: 'failed', errorCode: 'E_EMBEDDING_NAN' });
    const wrong: Embedder = { name: 'dim-model', revision: 'r', dimension: 4, embed: async (t) => ({ rows: t.length, dim: 3, data: new Float32Array(t.length * 3) }) };
    const { s: s2 } = await runWith([good()], validating(wrong));
    expect(s2.outcomes[0]).toMatchObject({ status: 'failed', errorCode: 'E_EMBEDDING_DIM' });
    if (s2.outcomes[0].status === 'failed') expect(s2.outcomes[0].error).toContain('model dim-model returned vectors of dimension 3, expected 4');
  });

  test('an unknown task name is rejected before anything runs', () => {
    expect(() => resolveTasks(['ArguAnna'])).toThrow(/ArguAna/);
  });
});

describe('runner: aggregate tasks', () => {
  test('an aggregate is the mean of its parts and is refused when a part is missing', async () => {
    const a = copyDemoTask('DemoRetrieval', 'PartA');
    const b = copyDemoTask('DemoRetrieval', 'PartB');
    const agg: TaskSpec = withDefaults({ name: 'PartsAggregate', type: 'Retrieval', dataset: { path: 'none', revision: '1' }, eval_splits: ['test'], main_score: 'ndcg_at_10', aggregate_of: ['PartA', 'PartB'] });
    const out = tmpOut();
    const emb = model();
    const s = await runEvaluation({ tasks: [agg, a.spec, b.spec], embedder: emb, outputDir: out });
    expect(s.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    const read = (t: string) => parsePythonJson(readFileSync(resultFile(out, t), 'utf8'));
    const pa = read('PartA').scores.test[0], pb = read('PartB').scores.test[0], pg = read('PartsAggregate').scores.test[0];
    expect(pg.ndcg_at_10).toBeCloseTo((pa.ndcg_at_10 + pb.ndcg_at_10) / 2, 6);
    expect(pg.main_score).toBe(pg.ndcg_at_10);

    const out2 = tmpOut();
    const s2 = await runEvaluation({ tasks: [agg, a.spec], embedder: emb, outputDir: out2 });
    const o = s2.outcomes.find((x) => x.task === 'PartsAggregate')!;
    expect(o.status).toBe('failed');
    if (o.status === 'failed') expect(o.error).toContain('missing: PartB');
  });
});
