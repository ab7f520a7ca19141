// A result and its sidecars are one unit, and a result is reused only for the same evaluation
// (docs/reliability.md, "Results"). Table-driven: one row per identity field, one per kill point.
import { describe, test, expect, beforeAll } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import type { Embedder } from '../../src/core/embedder.js';
import type { TaskSpec } from '../../src/task-types/spec.js';
import { resolveTasks } from '../../src/registry/index.js';
import { runEvaluation, type RunOptions, type TaskOutcome } from '../../src/run/runner.js';
import { RandomEmbedder } from '../../src/embedders/baselines/random-embedder.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import { readItemsFile, readItemsFor } from '../../src/results/items.js';
import { itemSignificance } from '../../src/compare/significance.js';
import { brokenSidecars } from '../../src/output/unit.js';
import { modelNameAsPath } from '../../src/output/result-file.js';
import { DEMO } from '../run/helpers.js';
import { TruncatingEmbedder, cliKilledAt, pool, snapshot } from './results-helpers.js';

const ALL = ['DemoRetrieval', 'DemoSTS', 'DemoClassification'];

/** A root holding private task copies (outside every output folder) and the output folders. */
function workspace(names = ALL): { root: string; specs: TaskSpec[]; out: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'unit-'));
  const specs = names.map((n) => {
    cpSync(path.join(DEMO, n), path.join(root, 'tasks', n), { recursive: true });
    return resolveTasks([path.join(root, 'tasks', n, 'task.json')])[0];
  });
  return { root, specs, out: path.join(root, 'out') };
}
const dirOf = (out: string, model = 'm', rev = 'r') => path.join(out, modelNameAsPath(model), rev);
const resultOf = (out: string, task: string, model?: string, rev?: string) => path.join(dirOf(out, model, rev), `${task}.json`);
const read = (f: string) => parsePythonJson(readFileSync(f, 'utf8'));
const statuses = (o: TaskOutcome[]) => Object.fromEntries(o.map((x) => [x.task, x.status === 'failed' ? `failed ${x.errorCode}` : x.status]));

// ---------------------------------------------------------------------------------------------------------------
// What differs: a new identity field is one row here.
interface Variant {
  embedder?: () => Embedder;
  spec?: (s: TaskSpec) => TaskSpec;
  limit?: number;
  search?: Record<string, unknown>;
  sklearn?: 'modern' | '1.2';
}
const IDENTITY_ROWS: { what: string; fields: string[]; a: Variant; b: Variant; affected: string[] }[] = [
  { what: 'max_length', fields: ['model'], a: { embedder: () => new TruncatingEmbedder(512) }, b: { embedder: () => new TruncatingEmbedder(12) }, affected: ALL },
  { what: 'seed', fields: ['model'], a: { embedder: () => new RandomEmbedder(64, 42) }, b: { embedder: () => new RandomEmbedder(64, 7) }, affected: ALL },
  { what: 'dataset revision', fields: ['dataset_revision'], a: {}, b: { spec: (s) => ({ ...s, dataset: { ...s.dataset, revision: 'demo-v2' } }) }, affected: ALL },
  { what: 'protocol', fields: ['protocol', 'mteb_version'], a: {}, b: { spec: (s) => ({ ...s, protocol: 'mteb-2' }) }, affected: ALL },
  { what: 'limit', fields: ['limit'], a: {}, b: { limit: 5 }, affected: ALL },
  { what: 'instructions', fields: ['instruction_query'], a: {}, b: { spec: (s) => ({ ...s, instruction: { query: 'Find it', passage: null, source: 'user' } }) }, affected: ALL },
  { what: 'HNSW parameters', fields: ['search'], a: { search: { backend: 'hnsw', M: 8 } }, b: { search: { backend: 'hnsw', M: 12 } }, affected: ['DemoRetrieval'] },
  { what: 'sklearn flavour', fields: ['sklearn'], a: {}, b: { sklearn: '1.2' }, affected: ['DemoClassification'] },
];

function options(specs: TaskSpec[], out: string, v: Variant, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    tasks: specs.map(v.spec ?? ((s) => s)),
    embedder: (v.embedder ?? (() => new TruncatingEmbedder(512)))(),
    outputDir: out,
    modelName: 'm',
    modelRevision: 'r',
    limit: v.limit,
    search: v.search,
    sklearn: v.sklearn,
    ...extra,
  };
}

describe('a result is reused only for the same evaluation', () => {
  test.each(IDENTITY_ROWS)('$what: refused without --overwrite (E_RESULTS naming $fields), recomputed with it', async (row) => {
    const { root, specs, out } = workspace();
    const outside = snapshot(root, [out]);
    const first = await runEvaluation(options(specs, out, row.a));
    expect(statuses(first.outcomes)).toEqual(Object.fromEntries(ALL.map((t) => [t, 'done'])));
    const before = snapshot(out);
    const was = Object.fromEntries(ALL.map((t) => [t, read(resultOf(out, t)).mteb_ts.identity]));

    const lines: string[] = [];
    const refused = await runEvaluation(options(specs, out, row.b, { log: (l) => lines.push(l) }));
    expect(statuses(refused.outcomes)).toEqual(Object.fromEntries(ALL.map((t) => [t, row.affected.includes(t) ? 'failed E_RESULTS' : 'skipped'])));
    for (const o of refused.outcomes.filter((x) => x.status === 'failed')) {
      const err = (o as { error: string }).error;
      for (const f of row.fields) expect(err).toContain(`mteb_ts.identity.${f}`);
      expect(err).toContain('use --overwrite to replace it, or another --output');
    }
    expect(snapshot(out)).toEqual(before); // a refusal changes nothing

    const redone = await runEvaluation(options(specs, out, row.b, { overwrite: true }));
    expect(statuses(redone.outcomes)).toEqual(Object.fromEntries(ALL.map((t) => [t, 'done'])));
    for (const t of row.affected) {
      const now = read(resultOf(out, t)).mteb_ts.identity;
      // Exactly the row's fields changed.
      expect(Object.keys(now).filter((k) => now[k] !== was[t][k])).toEqual(row.fields);
    }
    const again = await runEvaluation(options(specs, out, row.b));
    expect(statuses(again.outcomes)).toEqual(Object.fromEntries(ALL.map((t) => [t, 'skipped'])));
    expect(snapshot(root, [out])).toEqual(outside); // nothing outside the output folder changed
  });

  test('the recorded identity holds each field with its value (max_length 512 vs 12 also changes the scores)', async () => {
    const { specs, out } = workspace(['DemoSTS']);
    const a = await runEvaluation(options(specs, out, IDENTITY_ROWS[0].a));
    const ida = read(resultOf(out, 'DemoSTS')).mteb_ts.identity;
    expect(ida).toEqual({
      model: 'truncating:L512',
      dataset_revision: specs[0].dataset.revision,
      protocol: 'mteb-1',
      mteb_version: '1.39.7',
      limit: null,
      instruction_query: specs[0].instruction?.query ?? null,
      instruction_passage: null,
      search: null,
      sklearn: null,
    });
    const b = await runEvaluation(options(specs, out, IDENTITY_ROWS[0].b, { overwrite: true }));
    expect(read(resultOf(out, 'DemoSTS')).mteb_ts.identity.model).toBe('truncating:L12');
    expect((b.outcomes[0] as { mainScore: number }).mainScore).not.toBe((a.outcomes[0] as { mainScore: number }).mainScore);
  });

  test('results without an identity: mteb\'s own and older mteb-ts ones are reused with a warning, unless their dataset revision or protocol differs', async () => {
    const { specs, out } = workspace(['DemoSTS']);
    await runEvaluation(options(specs, out, {}));
    const file = resultOf(out, 'DemoSTS');
    const r = read(file);
    const older = { ...r, mteb_ts: { version: '0.0.9', protocol: 'mteb-1' } };
    writeFileSync(file, JSON.stringify(older));
    let lines: string[] = [];
    const s1 = await runEvaluation(options(specs, out, { embedder: () => new RandomEmbedder(64, 3) }, { log: (l) => lines.push(l) }));
    expect(statuses(s1.outcomes)).toEqual({ DemoSTS: 'skipped' });
    expect(lines).toContain('DemoSTS: warning: the existing result records no evaluation identity (written by mteb-ts 0.0.9): reused without checking the model and its settings; use --overwrite to recompute');
    const plain = { ...r };
    delete plain.mteb_ts;
    writeFileSync(file, JSON.stringify(plain));
    lines = [];
    expect(statuses((await runEvaluation(options(specs, out, {}, { log: (l) => lines.push(l) }))).outcomes)).toEqual({ DemoSTS: 'skipped' });
    expect(lines.some((l) => l.includes('(written by mteb)'))).toBe(true);
    writeFileSync(file, JSON.stringify({ ...plain, dataset_revision: 'other-rev' }));
    const s3 = await runEvaluation(options(specs, out, {}));
    expect(statuses(s3.outcomes)).toEqual({ DemoSTS: 'failed E_RESULTS' });
    expect((s3.outcomes[0] as { error: string }).error).toContain(`dataset_revision: "other-rev" → "${specs[0].dataset.revision}"`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('per-item scores are read only when tied to their result', () => {
  test('items of another scoring (a --overwrite killed between the two writes), edited items and untied older files are unusable', async () => {
    const { specs, out } = workspace(['DemoRetrieval']);
    const outB = path.join(path.dirname(out), 'out-b');
    await runEvaluation(options(specs, out, {}));
    await runEvaluation(options(specs, outB, { embedder: () => new RandomEmbedder(64, 42) }));
    const file = resultOf(out, 'DemoRetrieval');
    const itemsFile = file.replace(/\.json$/, '.items.json');
    const ok = readItemsFor(file);
    expect('items' in ok && ok.evaluationId).toBe(read(file).mteb_ts.evaluation_id);

    // Case 2 of the issue: new per-item scores beside the old result.
    const own = readFileSync(itemsFile, 'utf8');
    writeFileSync(itemsFile, readFileSync(resultOf(outB, 'DemoRetrieval').replace(/\.json$/, '.items.json')));
    const swapped = readItemsFor(file);
    expect('unusable' in swapped && swapped.reason).toBe('untied');
    expect(() => readItemsFile(file)).toThrow(expect.objectContaining({ code: 'E_RESULTS' }));
    // compare/gate --significant-only: the paired test is refused ("unknown"), never "not significant".
    const rule = { name: 'DemoRetrieval', category: 'Retrieval', split: 'test', subsets: ['default'], metric: 'main_score' } as const;
    const sigOpts = { test: 'randomization' as const, iterations: 200, seed: 42, alpha: 0.05 };
    const refused = itemSignificance(rule as never, resultOf(outB, 'DemoRetrieval'), file, sigOpts);
    expect(typeof refused === 'string' && refused).toMatch(/^unknown: candidate: .*evaluation/);
    expect(typeof itemSignificance(rule as never, resultOf(outB, 'DemoRetrieval'), resultOf(outB, 'DemoRetrieval'), sigOpts)).toBe('object');
    // A rerun sees the broken unit and recomputes the task.
    const lines: string[] = [];
    const rerun = await runEvaluation(options(specs, out, {}, { log: (l) => lines.push(l) }));
    expect(statuses(rerun.outcomes)).toEqual({ DemoRetrieval: 'done' });
    expect(lines.some((l) => l.startsWith('DemoRetrieval: the existing result and its sidecars do not form one unit'))).toBe(true);
    expect('items' in readItemsFor(file)).toBe(true);

    // Same evaluation id, edited scores: the digest refuses them.
    const cur = JSON.parse(readFileSync(itemsFile, 'utf8'));
    const q = Object.keys(cur.splits.test.default.metrics.ndcg_at_10)[0];
    cur.splits.test.default.metrics.ndcg_at_10[q] = 1;
    writeFileSync(itemsFile, JSON.stringify(cur));
    const edited = readItemsFor(file);
    expect('unusable' in edited && edited.reason).toBe('untied');
    expect('unusable' in edited && edited.unusable).toContain('sha256 differs');

    // Neither side records a tie (older mteb-ts): readItemsFile reads it as before, readItemsFor refuses it.
    const r = read(file);
    writeFileSync(file, JSON.stringify({ ...r, mteb_ts: { version: '0.0.9', protocol: 'mteb-1' } }));
    const legacy = JSON.parse(own);
    delete legacy.evaluation_id;
    writeFileSync(itemsFile, JSON.stringify(legacy));
    expect(readItemsFile(file)?.splits.test.default.mainScore).toBe('ndcg_at_10');
    const old = readItemsFor(file);
    expect('unusable' in old && old.reason).toBe('unverifiable');
    // No items at all (mteb's own result files).
    const none = readItemsFor(resultOf(outB, 'NoSuchTask'));
    expect('unusable' in none && none.reason).toBe('no-items');
  });

  test('orphan temp files of a killed writer are removed by the next run of the folder; a live writer\'s are kept', async () => {
    const { specs, out } = workspace(['DemoSTS']);
    await runEvaluation(options(specs, out, {}));
    const dir = dirOf(out);
    const host = hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'host';
    const dead = path.join(dir, `DemoSTS.json.tmp-${host}-999999-deadbeef`);
    const legacy = path.join(dir, 'DemoSTS.json.tmp-999998-deadbeef'); // written before temp names held the host
    const live = path.join(dir, `DemoSTS.items.json.tmp-${host}-${process.pid}-0badcafe`);
    // A shard on another machine writing into the same shared folder: its pid means nothing here.
    const otherHost = path.join(dir, 'DemoSTS.items.json.tmp-othermachine7-999999-0badcafe');
    for (const f of [dead, legacy, live, otherHost]) writeFileSync(f, 'partial');
    const lines: string[] = [];
    await runEvaluation(options(specs, out, {}, { log: (l) => lines.push(l) }));
    expect([dead, legacy, live, otherHost].map(existsSync)).toEqual([false, false, true, true]);
    expect(lines).toContain(`removed DemoSTS.json.tmp-${host}-999999-deadbeef, left by an interrupted write`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// kill -9 around every atomic write of a `run --save-predictions` (MTEB_TS_TEST_CRASH_AT, src/util/atomic-write.ts).
const WRITES = ['model_meta.json', 'DemoRetrieval.items.json', 'DemoRetrieval.test.trec', 'DemoRetrieval_predictions.json', 'DemoRetrieval.json'];
const KILL_POINTS = WRITES.flatMap((f) => ['before-rename', 'after-rename'].map((s) => `${s}:${f}`));
const MODEL = 'mteb-ts/hash-64';
const REV = 'no_revision_available';
const SIDECARS = ['DemoRetrieval.items.json', 'DemoRetrieval.test.trec', 'DemoRetrieval_predictions.json'];

describe('run killed at any write, then rerun: the same scores and one consistent unit', () => {
  let ref: { scores: unknown; items: unknown; files: Record<string, string> };
  beforeAll(async () => {
    const { specs, out } = workspace(['DemoRetrieval']);
    await runEvaluation({ tasks: specs, embedder: new HashEmbedder(64), outputDir: out, savePredictions: true });
    const f = resultOf(out, 'DemoRetrieval', MODEL, REV);
    ref = {
      scores: read(f).scores,
      items: JSON.parse(readFileSync(f.replace(/\.json$/, '.items.json'), 'utf8')).splits,
      files: Object.fromEntries(SIDECARS.slice(1).map((n) => [n, readFileSync(path.join(path.dirname(f), n), 'utf8')])),
    };
  });

  function expectWholeUnit(out: string) {
    const f = resultOf(out, 'DemoRetrieval', MODEL, REV);
    const r = read(f);
    expect(r.scores).toEqual(ref.scores);
    expect(r.mteb_ts.identity.model).toBe('hash:64:v1');
    expect(Object.keys(r.mteb_ts.sidecars).sort()).toEqual(SIDECARS);
    expect(brokenSidecars(r, f)).toEqual([]);
    const items = readItemsFor(f);
    expect('items' in items && items.evaluationId).toBe(r.mteb_ts.evaluation_id);
    expect(JSON.parse(readFileSync(f.replace(/\.json$/, '.items.json'), 'utf8')).splits).toEqual(ref.items);
    for (const [n, text] of Object.entries(ref.files)) expect(readFileSync(path.join(path.dirname(f), n), 'utf8')).toBe(text);
    expect(readdirSync(path.dirname(f)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }

  const cliArgs = (specs: TaskSpec[], out: string, overwrite: boolean) => [
    'run', '-m', 'hash:64', '--tasks', path.join(specs[0].source_dir!, 'task.json'), '-o', out, '--cache-dir', 'none', '-q', '--save-predictions', ...(overwrite ? ['--overwrite'] : []),
  ];

  test('fresh run: killed at each point, a plain rerun completes it (skipped only when the result was renamed)', async () => {
    const cases = KILL_POINTS.map((at) => ({ at, ...workspace(['DemoRetrieval']) }));
    const outside = cases.map((c) => snapshot(c.root, [c.out]));
    const killed = await pool(cases.map((c) => () => cliKilledAt(cliArgs(c.specs, c.out, false), c.at)), 3);
    for (const [i, c] of cases.entries()) {
      expect([c.at, killed[i].signal]).toEqual([c.at, 'SIGKILL']);
      const f = resultOf(c.out, 'DemoRetrieval', MODEL, REV);
      // The result is written last: when it exists, its sidecars are its own.
      if (existsSync(f)) expect([c.at, 'items' in readItemsFor(f)]).toEqual([c.at, true]);
      const rerun = await runEvaluation({ tasks: c.specs, embedder: new HashEmbedder(64), outputDir: c.out, savePredictions: true, search: { backend: 'exact' } });
      expect([c.at, rerun.outcomes[0].status]).toEqual([c.at, c.at === 'after-rename:DemoRetrieval.json' ? 'skipped' : 'done']);
      expectWholeUnit(c.out);
      expect(snapshot(c.root, [c.out])).toEqual(outside[i]);
    }
  });

  test('--overwrite over another evaluation\'s unit: killed at each point, the items are never read against the wrong result; a rerun restores one unit', async () => {
    const points = KILL_POINTS.filter((p) => !p.endsWith(':model_meta.json')); // kept when present, so never written
    const cases = points.map((at) => ({ at, ...workspace(['DemoRetrieval']) }));
    for (const c of cases) await runEvaluation({ tasks: c.specs, embedder: new RandomEmbedder(64, 1), outputDir: c.out, modelName: MODEL, modelRevision: REV, savePredictions: true });
    const killed = await pool(cases.map((c) => () => cliKilledAt(cliArgs(c.specs, c.out, true), c.at)), 3);
    for (const [i, c] of cases.entries()) {
      expect([c.at, killed[i].signal]).toEqual([c.at, 'SIGKILL']);
      const f = resultOf(c.out, 'DemoRetrieval', MODEL, REV);
      const newResult = c.at === 'after-rename:DemoRetrieval.json';
      const itemsReplaced = points.indexOf(c.at) >= points.indexOf('after-rename:DemoRetrieval.items.json');
      const items = readItemsFor(f);
      // Old unit intact, new unit complete, or the mix — which readItemsFor refuses.
      expect([c.at, 'items' in items ? 'tied' : items.reason]).toEqual([c.at, newResult || !itemsReplaced ? 'tied' : 'untied']);
      expect([c.at, read(f).mteb_ts.identity.model]).toEqual([c.at, newResult ? 'hash:64:v1' : 'random:64:1']);
      // Without --overwrite the old evaluation's result is refused, the new one reused.
      const plain = await runEvaluation({ tasks: c.specs, embedder: new HashEmbedder(64), outputDir: c.out, savePredictions: true });
      expect([c.at, statuses(plain.outcomes).DemoRetrieval]).toEqual([c.at, newResult ? 'skipped' : 'failed E_RESULTS']);
      const again = await runEvaluation({ tasks: c.specs, embedder: new HashEmbedder(64), outputDir: c.out, savePredictions: true, overwrite: true });
      expect([c.at, again.outcomes[0].status]).toEqual([c.at, 'done']);
      expectWholeUnit(c.out);
    }
  });
});
