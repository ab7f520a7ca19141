import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDatasetSource } from '../../src/data/index.js';
import { loadRetrievalSplit } from '../../src/task-types/loaders.js';
import { downloadTaskDataset as downloadDataset, selectTaskFiles } from '../../src/task-types/download.js';
import { downloadCommand } from '../../src/cli/commands/download.js';
import { fixtureDir, rejected, spec, tmp } from './helpers.js';
import { startHubServer } from './hub-server.js';

let hub: Awaited<ReturnType<typeof startHubServer>>;
beforeAll(async () => {
  hub = await startHubServer({
    'mteb/beir-mini': { revision: 'aaaa1111', dir: fixtureDir('beir-mini') },
    'mteb/rerank-v2-mini': { revision: 'bbbb2222', dir: fixtureDir('rerank-v2-mini') },
    'mteb/clf-multi-mini': { revision: 'cccc3333', dir: fixtureDir('clf-multi-mini') },
    'mteb/card-mini': { revision: 'dddd4444', dir: fixtureDir('card-mini') },
  });
});
afterAll(() => hub.close());
const quiet = () => {};

describe('downloadDataset against a local hub', () => {
  test('fetches only the evaluated split files of the pinned revision, then loads from --data-dir', async () => {
    const dataDir = tmp('dl-');
    const s = spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'aaaa1111' } });
    const r = await downloadDataset(s, { dataDir, endpoint: hub.url, log: quiet, env: {} });
    expect(r.files.map((f) => [f.path, f.skipped])).toEqual([['README.md', false], ['corpus.jsonl', false], ['qrels/test.tsv', false], ['queries.jsonl', false]]);
    expect(r.bytes).toBe(r.files.reduce((a, f) => a + f.size, 0));
    const dir = join(dataDir, 'mteb', 'beir-mini');
    expect(readFileSync(join(dir, 'qrels', 'test.tsv'), 'utf8')).toBe(readFileSync(join(fixtureDir('beir-mini'), 'qrels', 'test.tsv'), 'utf8'));
    expect(existsSync(join(dir, 'qrels', 'dev.tsv'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, '.mteb-ts-download.json'), 'utf8'))).toMatchObject({ repo: 'mteb/beir-mini', revision: 'aaaa1111' });
    expect(hub.requests).toContain('GET /datasets/mteb/beir-mini/resolve/aaaa1111/qrels/test.tsv [bytes=0-0]');
    const src = resolveDatasetSource(s, { dataDir, env: {} });
    expect([src.kind, src.revision, src.warnings]).toEqual(['data-dir', 'aaaa1111', []]);
    expect([...(await loadRetrievalSplit(src, s, 'test')).queries.keys()]).toEqual(['q1', 'q2', 'q4']);

    const again = await downloadDataset(s, { dataDir, endpoint: hub.url, log: quiet, env: {} });
    expect(again.files.every((f) => f.skipped)).toBe(true);
    expect(again.bytes).toBe(0);
  });

  test('parquet configs incl. top_ranked; classification subset + train split', async () => {
    const dataDir = tmp('dl2-');
    const rr = await downloadDataset(spec('Reranking', { protocol: 'mteb-2', dataset: { path: 'mteb/rerank-v2-mini', revision: 'bbbb2222' } }), {
      dataDir, endpoint: hub.url, log: quiet, env: {},
    });
    expect(rr.files.map((f) => f.path)).toEqual([
      'corpus/test-00000-of-00001.parquet', 'default/test-00000-of-00001.parquet', 'queries/test-00000-of-00001.parquet', 'top_ranked/test-00000-of-00001.parquet',
    ]);
    const clf = await downloadDataset(spec('Classification', { hf_subsets: ['en'], dataset: { path: 'mteb/clf-multi-mini', revision: 'cccc3333' } }), {
      dataDir, endpoint: hub.url, log: quiet, env: {},
    });
    expect(clf.files.map((f) => f.path)).toEqual(['en/test.jsonl', 'en/train.jsonl']);
  });

  test('the dataset card is fetched first and decides which files are needed', async () => {
    const dataDir = tmp('dlcard-');
    const s = spec('Retrieval', { dataset: { path: 'mteb/card-mini', revision: 'dddd4444' } });
    const r = await downloadDataset(s, { dataDir, endpoint: hub.url, log: quiet, env: {} });
    expect(r.files.map((f) => f.path)).toEqual([
      'README.md', 'raw/documents.jsonl', 'raw/judgements/part-a.tsv', 'raw/judgements/part-b.tsv', 'raw/questions-1.jsonl', 'raw/questions-2.jsonl',
    ]);
    const loaded = await loadRetrievalSplit(resolveDatasetSource(s, { dataDir, env: {} }), s, 'test');
    expect([...loaded.qrels.keys()]).toEqual(['q1', 'q2']);
  });

  test('unknown layout falls back to every data file with a warning; --all-files', async () => {
    const files = ['README.md', 'data.tar.gz', 'x.py', 'weird/stuff.jsonl', '.gitattributes'];
    expect(() => selectTaskFiles(spec('STS'), files)).toThrow('no T default/test files in mteb/x (looked for config "default" in (hub listing of mteb/x)); data files present: weird/stuff.jsonl');
    const all = await downloadDataset(spec('Retrieval', { dataset: { path: 'mteb/beir-mini', revision: 'aaaa1111' } }), {
      dataDir: tmp('dl3-'), endpoint: hub.url, log: quiet, env: {}, allFiles: true,
    });
    expect(all.files.map((f) => f.path)).toEqual(['README.md', 'corpus.jsonl', 'qrels/dev.tsv', 'qrels/test.tsv', 'queries.jsonl']);
    const fb = await downloadDataset(spec('STS', { dataset: { path: 'mteb/beir-mini', revision: 'aaaa1111' } }), {
      dataDir: tmp('dl4-'), endpoint: hub.url, log: quiet, env: {},
    });
    expect(fb.files).toHaveLength(5);
    expect(fb.warnings[0]).toBe(
      'mteb/beir-mini: split "test" not found for T default/test (config "default") in mteb/beir-mini; splits present: corpus, queries; downloading all 5 data files instead',
    );
  });

  test('errors: unknown repo, unknown revision, unreachable endpoint', async () => {
    const e1 = await rejected(downloadDataset(spec('STS', { name: 'X', dataset: { path: 'mteb/none', revision: 'r' } }), { dataDir: tmp('e-'), endpoint: hub.url, log: quiet, env: {} }));
    expect([e1.code, e1.location.task]).toEqual(['E_DATASET_NOT_FOUND', 'X']);
    const e2 = await rejected(downloadDataset(spec('STS', { dataset: { path: 'mteb/beir-mini', revision: 'zzz' } }), { dataDir: tmp('e-'), endpoint: hub.url, log: quiet, env: {} }));
    expect(e2.code).toBe('E_DATASET_NOT_FOUND');
    const e3 = await rejected(downloadDataset(spec('STS', { dataset: { path: 'mteb/beir-mini', revision: 'r' } }), { dataDir: tmp('e-'), endpoint: 'http://127.0.0.1:9', log: quiet, env: {} }));
    expect(e3.code).toBe('E_NETWORK');
  });
});

describe('mteb-ts download', () => {
  test('task files with hub datasets; output lines on stdout; nothing left as .part', async () => {
    const dir = tmp('dlcli-');
    writeFileSync(join(dir, 'task.json'), JSON.stringify({
      name: 'Mini', type: 'Retrieval', dataset: { path: 'mteb/beir-mini', revision: 'aaaa1111' }, eval_splits: ['test', 'dev'], main_score: 'ndcg_at_10',
    }));
    const dataDir = join(dir, 'data');
    let out = '';
    const ow = process.stdout.write.bind(process.stdout);
    const ew = process.stderr.write.bind(process.stderr);
    (process.stdout as any).write = (s: string) => ((out += s), true);
    (process.stderr as any).write = () => true;
    try {
      expect(await downloadCommand.handler({ tasks: [join(dir, 'task.json')], 'data-dir': dataDir, endpoint: hub.url })).toBe(0);
    } finally {
      (process.stdout as any).write = ow;
      (process.stderr as any).write = ew;
    }
    expect(out).toBe(`Mini\tmteb/beir-mini@aaaa1111\t5 files (5 fetched, 0 present)\t${join(dataDir, 'mteb', 'beir-mini')}\n`);
    expect(readdirSync(join(dataDir, 'mteb', 'beir-mini', 'qrels')).sort()).toEqual(['dev.tsv', 'test.tsv']);
    await expect(downloadCommand.handler({})).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
