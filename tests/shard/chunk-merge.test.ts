// `run --shard i/n` on split corpora + `merge --shards n`, end to end: the shards search their corpus chunks and
// write top-k lists, merge only merges them, and every result, items and predictions file equals one unsharded
// run byte for byte (evaluation time and the per-scoring id aside), for 1, 2, 3 and 5 shards and several chunk
// sizes, on near-tied scores.
import { describe, test, expect, beforeAll } from '@jest/globals';
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards, planMerge } from '../../src/shard/merge.js';
import { EmbeddingCache } from '../../src/cache/index.js';
import { resolveTasks } from '../../src/registry/index.js';
import type { Embedder, EmbedOptions } from '../../src/core/embedder.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { chunkListPath } from '../../src/shard/chunk-lists/paths.js';
import { shardMarkerDir } from '../../src/run/runner.js';
import { DEMO, tmpOut } from '../run/helpers.js';
import { parsePythonJson } from '../../src/output/python-json.js';

const DIM = 48;
const bases = Array.from({ length: 4 }, (_, g) => {
  const r = mulberry32(100 + g);
  return Float32Array.from({ length: DIM }, () => r() * 2 - 1);
});

/** Deterministic per text: passages in 4 tight groups (noise 2e-6, so scores tie or nearly tie), queries spread. */
class NearTieEmbedder implements Embedder {
  readonly name = 'test/near-ties';
  readonly revision = 'r1';
  readonly dimension = DIM;
  embedded = 0;
  async embed(texts: string[], options: EmbedOptions) {
    this.embedded += texts.length;
    const data = new Float32Array(texts.length * DIM);
    texts.forEach((t, i) => {
      const h = createHash('sha256').update(t).digest();
      const r = mulberry32(h.readUInt32LE(4));
      const b = bases[h[0] % 4];
      const noise = options.role === 'query' ? 0.2 : 2e-6;
      for (let d = 0; d < DIM; d++) data[i * DIM + d] = Math.fround(b[d] + (r() - 0.5) * noise);
    });
    return { rows: texts.length, dim: DIM, data };
  }
}

// 300, 86 and 400 documents; DemoSTS is dealt whole to one shard.
const NAMES = ['DemoRetrieval', 'V2Retrieval', 'ManyRelevantRetrieval', 'DemoSTS'];
const tasks = () => resolveTasks(NAMES.map((n) => path.join(DEMO, n, 'task.json')));
const MODEL = 'test/near-ties';
const quiet = { warn: () => {} };

/** DemoRetrieval copied with 9,000 filler documents appended: over 2 MiB, so the fingerprint hashes the first and
 * last MiB and the size, not the middle. */
function bigDemoCorpus(): { corpus: string; own: () => ReturnType<typeof tasks> } {
  const data = path.join(tmpOut(), 'DemoRetrieval');
  cpSync(path.join(DEMO, 'DemoRetrieval'), data, { recursive: true });
  const corpus = path.join(data, 'corpus.jsonl');
  const filler = Array.from({ length: 9000 }, (_, i) => JSON.stringify({ _id: `f${i}`, title: '', text: `filler ${i} ${'x'.repeat(220)}` })).join('\n') + '\n';
  appendFileSync(corpus, filler);
  return { corpus, own: () => resolveTasks([path.join(data, 'task.json')]) };
}

/** Every file of the model's result folder, evaluation_time and the random per-scoring id blanked. */
function files(out: string): Record<string, string> {
  const dir = path.join(out, 'test__near-ties', 'r1');
  const got: Record<string, string> = {};
  for (const f of readdirSync(dir).sort())
    got[f] = readFileSync(path.join(dir, f), 'utf8')
      .replace(/"evaluation_time": [^,\n}]+/g, '"evaluation_time": 0')
      .replace(/"evaluation_id": "[0-9a-f]+"/g, '"evaluation_id": "-"')
      .replace(/("[^"]*\.items\.json": )"sha256:[0-9a-f]{64}"/g, '$1"sha256:-"');
  return got;
}

async function sharded(count: number, chunkRows: number, order: number[] = [...Array(count).keys()]) {
  const out = tmpOut();
  const cacheDir = path.join(out, 'cache');
  const shardEmbedders: NearTieEmbedder[] = [];
  for (const index of order) {
    const inner = new NearTieEmbedder();
    shardEmbedders.push(inner);
    const s = await runEvaluation({ tasks: tasks(), embedder: new EmbeddingCache(cacheDir, quiet).wrap(inner), outputDir: out, savePredictions: true, shard: { index, count, chunkRows } });
    expect(s.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
  }
  return { out, cacheDir, shardEmbedders };
}

async function merge(out: string, cacheDir: string, count: number) {
  const merger = new NearTieEmbedder();
  const m = await mergeShards({ tasks: tasks(), embedder: new EmbeddingCache(cacheDir, quiet).wrap(merger), outputDir: out, count, savePredictions: true });
  return { m, merger };
}

describe('sharded search + list merge equals one process, byte for byte', () => {
  let reference: Record<string, string>;
  beforeAll(async () => {
    const out = tmpOut();
    const s = await runEvaluation({ tasks: tasks(), embedder: new NearTieEmbedder(), outputDir: out, savePredictions: true });
    expect(s.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    reference = files(out);
  }, 120_000);

  test('the reference has the files to compare, and near-tied scores', () => {
    expect(Object.keys(reference)).toEqual(
      expect.arrayContaining(['DemoRetrieval.json', 'DemoRetrieval.items.json', 'DemoRetrieval.test.trec', 'DemoRetrieval_predictions.json', 'ManyRelevantRetrieval.json', 'V2Retrieval.json', 'DemoSTS.json']),
    );
    // Ties in the saved ranking: equal scores on consecutive lines of one query.
    const lines = reference['DemoRetrieval.test.trec'].trim().split('\n').map((l) => l.split(/\s+/));
    let ties = 0;
    for (let i = 1; i < lines.length; i++) if (lines[i][0] === lines[i - 1][0] && lines[i][4] === lines[i - 1][4]) ties++;
    expect(ties).toBeGreaterThan(100);
  });

  for (const count of [1, 2, 3, 5]) {
    test(`${count} shard(s) x chunk sizes 7, 40, 130: every file equal; merge embeds nothing`, async () => {
      for (const rows of [7, 40, 130]) {
        const { out, cacheDir, shardEmbedders } = await sharded(count, rows, [...Array(count).keys()].reverse());
        const { m, merger } = await merge(out, cacheDir, count);
        expect(m.plan.missing).toEqual([]);
        expect(m.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
        // Split corpora are merged from lists (no query or passage embedded at merge); one shard splits nothing.
        expect(merger.embedded).toBe(0);
        if (count > 1) expect(m.plan.toScore.map((t) => t.name).sort()).toEqual(['DemoRetrieval', 'ManyRelevantRetrieval', 'V2Retrieval'].filter((t) => t !== 'V2Retrieval' || rows < 86));
        // Every document is embedded once over all shards (shared cache; queries at most once per shard).
        expect(shardEmbedders.reduce((a, e) => a + e.embedded, 0)).toBeGreaterThanOrEqual(300 + 400);
        const got = files(out);
        expect(Object.keys(got)).toEqual(Object.keys(reference));
        for (const f of Object.keys(reference)) expect({ count, rows, f, text: got[f] }).toEqual({ count, rows, f, text: reference[f] });
      }
    }, 300_000);
  }

  test('a missing chunk list is a missing part naming its shard; a damaged one fails the task naming the file', async () => {
    const { out, cacheDir } = await sharded(2, 100);
    const dir = shardMarkerDir(out, MODEL, 'r1', 'DemoRetrieval', 'test', 'default');
    const list = chunkListPath(dir, 1, 3);
    const bytes = readFileSync(list);
    rmSync(list);
    const plan = planMerge(tasks(), out, MODEL, 'r1', 2);
    expect(plan.missing).toEqual(['DemoRetrieval: test/default: corpus chunks 1 of 3 not searched (shards 1)']);
    await expect(merge(out, cacheDir, 2)).rejects.toThrow(/cannot merge: 1 part\(s\) missing:\n {2}DemoRetrieval: test\/default: corpus chunks 1 of 3 not searched \(shards 1\)/);
    // Rerunning the shard that owes it redoes that chunk only (its vectors from the cache).
    const inner = new NearTieEmbedder();
    await runEvaluation({ tasks: tasks(), embedder: new EmbeddingCache(cacheDir, quiet).wrap(inner), outputDir: out, savePredictions: true, shard: { index: 1, count: 2, chunkRows: 100 } });
    expect(inner.embedded).toBe(0);
    expect(readFileSync(list).equals(bytes)).toBe(true);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40] ^= 1;
    writeFileSync(list, flipped);
    const { m } = await merge(out, cacheDir, 2);
    const failed = m.outcomes.find((o) => o.task === 'DemoRetrieval');
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'E_RESULTS' });
    expect(failed && 'error' in failed ? failed.error : '').toContain('chunk-1-of-3.topk');
  }, 120_000);

  test('merge checks a split corpus by its files\' fingerprint and refuses lists made from other corpus data', async () => {
    // DemoRetrieval's folder copied: its corpus changes between the shards and the merge.
    const data = path.join(tmpOut(), 'DemoRetrieval');
    cpSync(path.join(DEMO, 'DemoRetrieval'), data, { recursive: true });
    const own = () => resolveTasks([path.join(data, 'task.json')]);
    const out = tmpOut();
    for (const index of [0, 1]) await runEvaluation({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, shard: { index, count: 2, chunkRows: 100 } });
    const result = path.join(out, 'test__near-ties', 'r1', 'DemoRetrieval.json');
    const merged = async () => {
      rmSync(result, { force: true });
      const m = await mergeShards({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, count: 2 });
      const o = m.outcomes.find((x) => x.task === 'DemoRetrieval');
      return { status: o?.status, error: o && 'error' in o ? String(o.error) : '' };
    };
    expect(await merged()).toEqual({ status: 'done', error: '' });
    const scores = (t: string) => JSON.stringify((parsePythonJson(t) as { scores: unknown }).scores);
    expect(scores(readFileSync(result, 'utf8'))).toBe(scores(reference['DemoRetrieval.json']));
    const corpus = path.join(data, 'corpus.jsonl');
    const original = readFileSync(corpus);
    // Bytes changed inside the file (a small file is fingerprinted whole), then one document more.
    const garbled = Buffer.from(original);
    garbled.fill('#', 1000, 1010);
    writeFileSync(corpus, garbled);
    const refused = /chunk-\d-of-3\.topk.*made from other corpus data than .*corpus\.jsonl/s;
    expect(await merged()).toEqual({ status: 'failed', error: expect.stringMatching(refused) });
    writeFileSync(corpus, original);
    appendFileSync(corpus, JSON.stringify({ _id: 'extra', title: '', text: 'one more document' }) + '\n');
    expect(await merged()).toEqual({ status: 'failed', error: expect.stringMatching(refused) });
    writeFileSync(corpus, original);
    expect(await merged()).toEqual({ status: 'done', error: '' });
  }, 120_000);

  test('merge parses no corpus row of a split corpus (a big file garbled in the middle still merges)', async () => {
    const { corpus, own } = bigDemoCorpus();
    const out = tmpOut();
    for (const index of [0, 1]) await runEvaluation({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, shard: { index, count: 2, chunkRows: 4000 } });
    const bytes = readFileSync(corpus);
    expect(bytes.length).toBeGreaterThan(2.1 * 2 ** 20);
    bytes.fill('#', 1_100_000, 1_200_000);
    writeFileSync(corpus, bytes);
    const m = await mergeShards({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, count: 2 });
    expect(m.outcomes.map((o) => o.status)).toEqual(['done']);
    // A merge that loaded the rows would count other documents there (~400 lines are one line of '#' now) and refuse.
  }, 120_000);

  test('merge refuses shards that read other corpus ids (data changed between the shards inside a big file, where the fingerprint cannot see)', async () => {
    const { corpus, own } = bigDemoCorpus();
    const out = tmpOut();
    await runEvaluation({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, shard: { index: 0, count: 2, chunkRows: 4000 } });
    // One id renamed in the middle of the file, same length: the size and the first/last MiB are unchanged.
    const text = readFileSync(corpus, 'utf8');
    const at = text.indexOf('"_id":"f4500"');
    expect(at).toBeGreaterThan(2 ** 20);
    expect(text.length - at).toBeGreaterThan(2 ** 20);
    writeFileSync(corpus, text.replace('"_id":"f4500"', '"_id":"g4500"'));
    await runEvaluation({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, shard: { index: 1, count: 2, chunkRows: 4000 } });
    const m = await mergeShards({ tasks: own(), embedder: new NearTieEmbedder(), outputDir: out, count: 2 });
    const o = m.outcomes.find((x) => x.task === 'DemoRetrieval');
    expect(o?.status).toBe('failed');
    expect(o && 'error' in o ? String(o.error) : '').toMatch(/chunk-\d-of-\d\.topk.*read other corpus ids than the shard of .*chunk-0-of-\d\.topk/s);
  }, 120_000);

  test('--search hnsw: each shard builds a graph per chunk (searching the chunk twice: recall check); merge records the lists\' facts', async () => {
    const out = tmpOut();
    const search = { backend: 'hnsw' };
    for (const index of [0, 1]) {
      const s = await runEvaluation({ tasks: tasks().slice(0, 1), embedder: new NearTieEmbedder(), outputDir: out, search, shard: { index, count: 2, chunkRows: 100 } });
      expect(s.outcomes.map((o) => o.status)).toEqual(['deferred']);
    }
    const m = await mergeShards({ tasks: tasks().slice(0, 1), embedder: new NearTieEmbedder(), outputDir: out, search, count: 2 });
    expect(m.outcomes.map((o) => o.status)).toEqual(['done']);
    const result = parsePythonJson(readFileSync(path.join(out, 'test__near-ties', 'r1', 'DemoRetrieval.json'), 'utf8')) as { mteb_ts: { metadata: Record<string, Record<string, unknown>> } };
    expect(result.mteb_ts.metadata['test/default']).toMatchObject({ backend: 'hnsw', search_scores: 'canonical-f64-v1', recall_sample: 40 });
  }, 120_000);
});
