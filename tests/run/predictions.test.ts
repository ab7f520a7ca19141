import { describe, test, expect } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEvaluation, type RunOptions } from '../../src/run/runner.js';
import { mergeShards } from '../../src/shard/merge.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { validating } from '../../src/embedders/validating-embedder.js';
import { EmbeddingCache } from '../../src/cache/index.js';
import { resolveTasks } from '../../src/registry/index.js';
import { evaluateRetrieval } from '../../src/metrics/retrieval/index.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import {
  pythonFloatRepr,
  pythonJsonString,
  trecOrder,
  trecTag,
  trecRunPath,
  predictionsJsonPath,
  writePredictions,
} from '../../src/output/predictions.js';
import { isMtebError } from '../../src/core/errors.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { DEMO, tmpOut } from './helpers.js';

const model = () => validating(new HashEmbedder(64));
const dirOf = (out: string) => path.join(out, 'mteb-ts__hash-64', 'no_revision_available');
const tasks = (...names: string[]): TaskSpec[] => resolveTasks(names.map((n) => path.join(DEMO, n, 'task.json')));
const trecFile = (out: string, t: string) => path.join(dirOf(out), `${t}.test.trec`);
const jsonFile = (out: string, t: string) => path.join(dirOf(out), `${t}_predictions.json`);

function readTrec(file: string) {
  const run = new Map<string, { doc: string; rank: number; score: number; tag: string }[]>();
  for (const l of readFileSync(file, 'utf8').trimEnd().split('\n')) {
    const [qid, q0, doc, rank, score, tag] = l.split(' ');
    expect(q0).toBe('Q0');
    (run.get(qid) ?? run.set(qid, []).get(qid)!).push({ doc, rank: Number(rank), score: Number(score), tag });
  }
  return run;
}

function qrelsOf(task: string): Map<string, Map<string, number>> {
  const q = new Map<string, Map<string, number>>();
  for (const l of readFileSync(path.join(DEMO, task, 'qrels/test.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [qid, doc, rel] = l.split('\t');
    (q.get(qid) ?? q.set(qid, new Map()).get(qid)!).set(doc, Number(rel));
  }
  return q;
}

async function run(opts: Partial<RunOptions> & { tasks: TaskSpec[]; outputDir: string }) {
  const lines: string[] = [];
  const s = await runEvaluation({ embedder: model(), log: (l) => lines.push(l), ...opts });
  return { s, lines };
}

describe('predictions formatting', () => {
  test('scores print as Python repr: shortest round-trip digits, CPython layout', () => {
    const cases: [number, string][] = [
      [0.5, '0.5'],
      [1, '1.0'],
      [-2, '-2.0'],
      [0, '0.0'],
      [-0, '-0.0'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1.5e-7, '1.5e-07'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e16, '1.5e+16'],
      [12345.678, '12345.678'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Math.fround(0.7), '0.699999988079071'],
      [-0.03877235949039459, '-0.03877235949039459'],
    ];
    for (const [x, s] of cases) expect([x, pythonFloatRepr(x)]).toEqual([x, s]);
    // every value reads back as the same double
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const x = Math.fround((seed / 2 ** 32 - 0.5) * 10 ** ((i % 24) - 12));
      expect(Number(pythonFloatRepr(x))).toBe(x);
    }
  });

  test('trec_eval order: float32 score descending, then doc id descending by code point', () => {
    const docs = new Map<string, number>([
      ['a', 0.5],
      ['b', 0.5],
      ['c', 0.9],
      // equal to 0.5 after rounding to a C float: a tie for trec_eval
      ['z', 0.5 + 1e-12],
      ['\u{1F600}', 0.1],
      ['\uFFFF', 0.1],
    ]);
    expect(trecOrder(docs).map(([d]) => d)).toEqual(['c', 'z', 'b', 'a', '\u{1F600}', '\uFFFF']);
  });

  test('tag and JSON strings', () => {
    expect(trecTag('nvidia/NV-Embed v2')).toBe('nvidia__NV-Embed_v2');
    expect(trecTag('org/naïve\tmodel')).toBe('org__na_ve_model');
    expect(pythonJsonString('é "x" \u{1F600}\n')).toBe('"\\u00e9 \\"x\\" \\ud83d\\ude00\\n"');
  });

  test('file names sit beside the result file; split/subset names cannot leave the folder', () => {
    const f = path.join('/o', 'm', 'r', 'T.json');
    expect(trecRunPath(f, 'test', 'default')).toBe(path.join('/o', 'm', 'r', 'T.test.trec'));
    expect(trecRunPath(f, 'dev', 'en-de')).toBe(path.join('/o', 'm', 'r', 'T.dev.en-de.trec'));
    expect(trecRunPath(f, '../x', 'a/b')).toBe(path.join('/o', 'm', 'r', 'T..._x.a_b.trec'));
    expect(predictionsJsonPath(f)).toBe(path.join('/o', 'm', 'r', 'T_predictions.json'));
  });

  test('an id a TREC file cannot hold fails before any file is written', async () => {
    const out = tmpOut();
    const spec = tasks('DemoRetrieval')[0];
    const file = path.join(out, 'DemoRetrieval.json');
    const rankings = { test: { default: { run: new Map([['q1', new Map([['doc 1', 0.5]])]]) } } };
    const err = await writePredictions(file, spec, { name: 'm', revision: 'r' }, rankings).catch((e) => e);
    expect(isMtebError(err) && err.code).toBe('E_BAD_VALUE');
    expect(String(err.message)).toMatch(/"doc 1" is empty or contains whitespace/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('run --save-predictions', () => {
  test('off by default: no predictions files', async () => {
    const out = tmpOut();
    await run({ tasks: tasks('DemoRetrieval'), outputDir: out });
    expect(readdirSync(dirOf(out)).sort()).toEqual(['DemoRetrieval.items.json', 'DemoRetrieval.json', 'model_meta.json']);
  });

  test('retrieval with ignore_identical_ids: the TREC file is the scored run (it reproduces the result), the JSON keeps the own id as mteb does', async () => {
    const out = tmpOut();
    const { s } = await run({ tasks: tasks('V2Retrieval'), outputDir: out, savePredictions: true });
    expect(s.outcomes[0].status).toBe('done');
    const trec = readTrec(trecFile(out, 'V2Retrieval'));
    const pred = JSON.parse(readFileSync(jsonFile(out, 'V2Retrieval'), 'utf8'));
    // query d42 is also a corpus document: left out of the scored run, kept in mteb's JSON
    expect(trec.get('d42')!.some((r) => r.doc === 'd42')).toBe(false);
    expect(Object.keys(pred.default.test.d42)).toContain('d42');
    expect(trec.get('d42')!.length).toBe(Object.keys(pred.default.test.d42).length - 1);
    for (const [q, rows] of trec) {
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.map((r) => [r.doc, r.score])).toEqual(Object.entries(pred.default.test[q]).filter(([d]) => d !== q));
      expect(rows[0].tag).toBe('mteb-ts__hash-64');
    }
    // Scoring the saved TREC file gives the result file's values (the file is the ranking that was scored).
    const runMap = new Map([...trec].map(([q, rows]) => [q, new Map(rows.map((r) => [r.doc, r.score]))]));
    const again = evaluateRetrieval(qrelsOf('V2Retrieval'), runMap, { kValues: [1, 3, 5, 10, 20, 100, 1000], protocol: 'mteb-2', ignoreIdenticalIds: true });
    const result = parsePythonJson(readFileSync(path.join(dirOf(out), 'V2Retrieval.json'), 'utf8'));
    const entry = result.scores.test[0];
    let compared = 0;
    for (const k of Object.keys(entry)) {
      if (!/^(ndcg|map|recall|precision|mrr)_at_\d+$/.test(k)) continue;
      expect([k, Math.round((again.scores[k] as number) * 1e6) / 1e6]).toEqual([k, entry[k]]);
      compared++;
    }
    expect(compared).toBe(35);
  });

  test('v2 reranking: every top_ranked candidate of each query, nothing else', async () => {
    const out = tmpOut();
    await run({ tasks: tasks('V2Reranking'), outputDir: out, savePredictions: true });
    const trec = readTrec(trecFile(out, 'V2Reranking'));
    const corpus = new Set(readFileSync(path.join(DEMO, 'V2Reranking/corpus.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)._id));
    const top = readFileSync(path.join(DEMO, 'V2Reranking/top_ranked/test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(trec.size).toBe(top.length);
    for (const t of top) {
      const want = (t['corpus-ids'] as string[]).filter((d) => corpus.has(d)).sort();
      expect([t['query-id'], trec.get(t['query-id'])!.map((r) => r.doc).sort()]).toEqual([t['query-id'], want]);
    }
  });

  test('v1 reranking: one query per row (ids as in .items.json), candidates pos.i / neg.j, ranked as scored', async () => {
    const out = tmpOut();
    await run({ tasks: tasks('DemoReranking'), outputDir: out, savePredictions: true });
    const trec = readTrec(trecFile(out, 'DemoReranking'));
    const rows = readFileSync(path.join(DEMO, 'DemoReranking/test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const items = JSON.parse(readFileSync(path.join(dirOf(out), 'DemoReranking.items.json'), 'utf8')).splits.test.default.metrics.map;
    expect([...trec.keys()]).toEqual(rows.map((_, i) => String(i)));
    let checked = 0;
    rows.forEach((r, i) => {
      const got = trec.get(String(i))!;
      const want = [...r.positive.map((_: unknown, j: number) => `pos.${j}`), ...r.negative.map((_: unknown, j: number) => `neg.${j}`)];
      expect(got.map((x) => x.doc).sort()).toEqual(want.sort());
      // Where no two scores tie, average precision over the saved order is the row's sklearn AP.
      if (new Set(got.map((x) => Math.fround(x.score))).size !== got.length) return;
      let hits = 0, ap = 0;
      got.forEach((x, k) => {
        if (x.doc.startsWith('pos.')) ap += ++hits / (k + 1);
      });
      expect(ap / r.positive.length).toBeCloseTo(items[String(i)], 12);
      checked++;
    });
    expect(checked).toBeGreaterThan(5);
  });

  test('--limit: the predictions are those of the dry run; the full rerun replaces them', async () => {
    const out = tmpOut();
    await run({ tasks: tasks('DemoRetrieval'), outputDir: out, savePredictions: true, limit: 5 });
    expect(readTrec(trecFile(out, 'DemoRetrieval')).size).toBe(5);
    expect(Object.keys(JSON.parse(readFileSync(jsonFile(out, 'DemoRetrieval'), 'utf8')).default.test)).toHaveLength(5);
    await run({ tasks: tasks('DemoRetrieval'), outputDir: out, savePredictions: true });
    expect(readTrec(trecFile(out, 'DemoRetrieval')).size).toBe(40);
  });

  test('resume: skipped when everything exists; missing predictions are re-scored with the result file kept; a mismatch refuses', async () => {
    const out = tmpOut();
    const t = tasks('DemoRetrieval', 'DemoSTS');
    await run({ tasks: t, outputDir: out, savePredictions: true });
    const result = path.join(dirOf(out), 'DemoRetrieval.json');
    const trec = trecFile(out, 'DemoRetrieval');
    const trecText = readFileSync(trec, 'utf8');
    const jsonText = readFileSync(jsonFile(out, 'DemoRetrieval'), 'utf8');
    const resultMtime = statSync(result).mtimeMs;
    const trecMtime = statSync(trec).mtimeMs;

    const again = await run({ tasks: t, outputDir: out, savePredictions: true });
    expect(again.s.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(statSync(trec).mtimeMs).toBe(trecMtime);

    rmSync(trec);
    const refill = await run({ tasks: t, outputDir: out, savePredictions: true });
    expect(refill.s.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(refill.lines.some((l) => l.startsWith('DemoRetrieval: result exists without DemoRetrieval.test.trec; re-scoring'))).toBe(true);
    expect(readFileSync(trec, 'utf8')).toBe(trecText);
    expect(readFileSync(jsonFile(out, 'DemoRetrieval'), 'utf8')).toBe(jsonText);
    expect(statSync(result).mtimeMs).toBe(resultMtime);

    // A result that re-scoring does not reproduce: no predictions are written beside it.
    const r = parsePythonJson(readFileSync(result, 'utf8'));
    r.scores.test[0].ndcg_at_10 = 0.123456;
    writeFileSync(result, JSON.stringify(r, null, 2));
    rmSync(trec);
    const bad = await run({ tasks: t, outputDir: out, savePredictions: true });
    expect(bad.s.outcomes[0]).toMatchObject({ task: 'DemoRetrieval', status: 'failed', errorCode: 'E_RESULTS' });
    expect((bad.s.outcomes[0] as { error: string }).error).toMatch(/ndcg_at_10: the file says 0\.123456, re-scoring gives 0\.25366.*--overwrite/);
    expect(existsSync(trec)).toBe(false);

    // --overwrite without --save-predictions: the old predictions no longer describe the result, so they go.
    const plain = await run({ tasks: t, outputDir: out, overwrite: true });
    expect(plain.s.outcomes.map((o) => o.status)).toEqual(['done', 'done']);
    expect(existsSync(jsonFile(out, 'DemoRetrieval'))).toBe(false);
    expect(plain.lines.some((l) => l.startsWith('DemoRetrieval: removed predictions of an earlier scoring (DemoRetrieval_predictions.json)'))).toBe(true);
    expect(readdirSync(dirOf(out)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  test('sharding: the owner shard writes its tasks\' predictions, merge those of a split corpus, equal to an unsharded run', async () => {
    const names = ['DemoRetrieval', 'DemoReranking'];
    const plain = tmpOut();
    await run({ tasks: tasks(...names), outputDir: plain, savePredictions: true });

    const out = tmpOut();
    const cacheDir = path.join(out, 'shared-cache');
    const cached = () => new EmbeddingCache(cacheDir, { warn: () => {} }).wrap(new HashEmbedder(64));
    const logs: string[] = [];
    for (const i of [0, 1]) {
      const r = await run({ tasks: tasks(...names), outputDir: out, embedder: cached(), shard: { index: i, count: 2, chunkRows: 100 }, savePredictions: true });
      logs.push(...r.lines);
    }
    // DemoRetrieval's corpus (300 docs) is split: no shard scores it, and they say who writes its predictions.
    expect(existsSync(trecFile(out, 'DemoRetrieval'))).toBe(false);
    expect(logs.filter((l) => l.includes('DemoRetrieval: its predictions are written where it is scored') && l.includes('`merge --save-predictions`'))).toHaveLength(2);
    expect(readFileSync(trecFile(out, 'DemoReranking'), 'utf8')).toBe(readFileSync(trecFile(plain, 'DemoReranking'), 'utf8'));

    // A finished task whose predictions are missing (e.g. its shard ran without the option) is filled in by merge.
    rmSync(trecFile(out, 'DemoReranking'));
    const merged = await mergeShards({ tasks: tasks(...names), embedder: cached(), outputDir: out, count: 2, savePredictions: true, log: () => {} });
    expect(merged.outcomes.map((o) => [o.task, o.status]).sort()).toEqual([['DemoReranking', 'skipped'], ['DemoRetrieval', 'done']]);
    for (const t of names) {
      expect(readFileSync(trecFile(out, t), 'utf8')).toBe(readFileSync(trecFile(plain, t), 'utf8'));
      expect(readFileSync(jsonFile(out, t), 'utf8')).toBe(readFileSync(jsonFile(plain, t), 'utf8'));
    }
  });
});
