import { describe, test, expect, beforeAll } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from '../../src/registry/index.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import type { ResultFile } from '../../src/output/result-file.js';

/**
 * `mteb-ts run --save-predictions` on fixtures/tasks/ManyRelevantRetrieval (query qmany: 320 relevant documents,
 * all retrieved; q70: 70; qone: 1; qgraded: grades 1-2 and judged-0 documents), pinned embeddings whose scores
 * are exact dyadic values. The golden is trec_eval 9.0.8 itself, run on the TREC file `run` wrote
 * (fixtures/tasks/ManyRelevantRetrieval/golden/make_golden.sh): the saved ranking must be that file, and the
 * result and per-query values must be trec_eval's. Before the TrecScratch.grow fix (commit 0d41a8f) qmany's
 * metrics were computed from a scratch array that lost its first 64 entries: ndcg_at_10 came out 0.5029 instead
 * of trec_eval's 0.69787 (qmany: 0 instead of 0.7799), precision_at_10 0.625 instead of 0.6.
 */
const TASK_DIR = path.join(REPO_ROOT, 'fixtures/tasks/ManyRelevantRetrieval');
const GOLDEN = path.join(TASK_DIR, 'golden');
const expected = JSON.parse(readFileSync(path.join(GOLDEN, 'expected.json'), 'utf8')) as {
  queries: string[];
  scores: Record<string, number>;
  per_query: Record<string, Record<string, number>>;
};

let out: string;
let exitCode: number;
const resultDir = () => path.join(out, 'golden__pinned', 'r1');

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'many-rel-'));
  const argv = ['run', '-m', `precomputed:${path.join(GOLDEN, 'embeddings.jsonl')}`, '-t', path.join(TASK_DIR, 'task.json'), '--save-predictions'];
  argv.push('--cache-dir', 'none', '-o', out, '--model-name', 'golden/pinned', '--model-revision', 'r1', '-q');
  // The CLI prints its summary table and log lines; keep the test output readable.
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    exitCode = await main(argv);
  } finally {
    [process.stdout.write, process.stderr.write] = writes;
  }
}, 120_000);

function parseTrec(text: string) {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => {
      const [qid, q0, doc, rank, score, tag] = l.split(' ');
      return { qid, q0, doc, rank: Number(rank), score: Number(score), tag };
    });
}

describe('run --save-predictions on a query with 320 relevant documents, against trec_eval 9.0.8', () => {
  test('the run succeeds and the fixture has what it is for (a query with > 64, indeed 300+, relevant docs retrieved)', () => {
    expect(exitCode).toBe(0);
    const rows = parseTrec(readFileSync(path.join(GOLDEN, 'run.trec'), 'utf8'));
    const rel = new Map<string, Set<string>>();
    for (const l of readFileSync(path.join(TASK_DIR, 'qrels/test.tsv'), 'utf8').trim().split('\n').slice(1)) {
      const [q, d, r] = l.split('\t');
      if (Number(r) > 0) (rel.get(q) ?? rel.set(q, new Set()).get(q)!).add(d);
    }
    const retrievedRelevant = (q: string) => rows.filter((r) => r.qid === q && rel.get(q)!.has(r.doc)).length;
    expect(retrievedRelevant('qmany')).toBe(320);
    expect(retrievedRelevant('q70')).toBe(70);
    expect(expected.queries).toEqual(['q70', 'qgraded', 'qmany', 'qone']);
  });

  test('the saved TREC run is the committed one trec_eval scored (ranking, ranks, exact scores, tag)', () => {
    const saved = readFileSync(path.join(resultDir(), 'ManyRelevantRetrieval.test.trec'), 'utf8');
    const golden = readFileSync(path.join(GOLDEN, 'run.trec'), 'utf8');
    const a = parseTrec(saved);
    const b = parseTrec(golden);
    // 4 evaluated queries x 400 documents; qnoqrels (no qrels) is not evaluated, as in mteb
    expect(a).toHaveLength(1600);
    expect(a.map((r) => `${r.qid} ${r.doc} ${r.rank}`)).toEqual(b.map((r) => `${r.qid} ${r.doc} ${r.rank}`));
    expect(a.map((r) => r.score)).toEqual(b.map((r) => r.score));
    expect(new Set(a.map((r) => `${r.q0} ${r.tag}`))).toEqual(new Set(['Q0 golden__pinned']));
    expect(saved).toBe(golden);
  });

  test('the saved ranking is in trec_eval order, with the planted exact ties decided by doc id (descending)', () => {
    const rows = parseTrec(readFileSync(path.join(resultDir(), 'ManyRelevantRetrieval.test.trec'), 'utf8'));
    const qmany = rows.filter((r) => r.qid === 'qmany');
    expect(qmany.map((r) => r.rank)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (let i = 1; i < qmany.length; i++) {
      const [p, c] = [qmany[i - 1], qmany[i]];
      expect(p.score > c.score || (p.score === c.score && p.doc > c.doc)).toBe(true);
    }
    // ranks 10 and 11 of qmany carry the same score (planted by the generator)
    expect(qmany[9].score).toBe(qmany[10].score);
    expect(qmany[9].doc > qmany[10].doc).toBe(true);
  });

  test('the result file holds trec_eval\'s means with mteb\'s 5-decimal rounding, every cutoff', () => {
    const r = parsePythonJson(readFileSync(path.join(resultDir(), 'ManyRelevantRetrieval.json'), 'utf8')) as ResultFile;
    const entry = r.scores.test[0];
    expect(Object.keys(expected.scores)).toHaveLength(28);
    for (const [k, v] of Object.entries(expected.scores)) expect([k, entry[k]]).toEqual([k, v]);
    expect(entry.main_score).toBe(expected.scores.ndcg_at_10);
    expect(entry.main_score).toBe(0.69787);
  });

  test('per-query values (.items.json) equal trec_eval\'s to the last bit', () => {
    const items = JSON.parse(readFileSync(path.join(resultDir(), 'ManyRelevantRetrieval.items.json'), 'utf8'));
    const metrics = items.splits.test.default.metrics as Record<string, Record<string, number>>;
    for (const q of expected.queries) {
      for (const [k, v] of Object.entries(expected.per_query[q])) expect([q, k, metrics[k][q]]).toEqual([q, k, v]);
    }
    expect(expected.per_query.qmany.ndcg_at_10).toBeCloseTo(0.7799, 4);
  });

  test('<Task>_predictions.json: mteb 2.x layout, the same ranking and scores as the TREC file', () => {
    const text = readFileSync(path.join(resultDir(), 'ManyRelevantRetrieval_predictions.json'), 'utf8');
    const pred = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(pred)).toEqual(['mteb_model_meta', 'default']);
    expect(pred.mteb_model_meta).toEqual({ model_name: 'golden/pinned', revision: 'r1' });
    const run = (pred.default as Record<string, Record<string, Record<string, number>>>).test;
    expect(Object.keys(run).sort()).toEqual(expected.queries);
    const rows = parseTrec(readFileSync(path.join(GOLDEN, 'run.trec'), 'utf8'));
    for (const q of expected.queries) {
      expect(Object.entries(run[q])).toEqual(rows.filter((r) => r.qid === q).map((r) => [r.doc, r.score]));
    }
    // json.dump spacing, as mteb writes it
    expect(text.startsWith('{"mteb_model_meta": {"model_name": "golden/pinned", "revision": "r1"}, "default": {"test": {"')).toBe(true);
  });
});
