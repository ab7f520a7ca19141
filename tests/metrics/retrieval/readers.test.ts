import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MtebError } from '../../../src/core/errors.js';
import { detectQrelsFormat, parseTrecQrels, parseTrecRun, readQrels, readRun } from '../../../src/metrics/retrieval/readers.js';
import { metricsRetrievalCommand } from '../../../src/cli/commands/metrics-retrieval.js';
import { jest } from '@jest/globals';
import { evaluateRetrieval } from '../../../src/metrics/retrieval/evaluate.js';

const dir = mkdtempSync(join(tmpdir(), 'mteb-ts-retrieval-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function errorOf(fn: () => unknown): MtebError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MtebError) return e;
    throw e;
  }
  throw new Error('expected an MtebError');
}

describe('TREC readers', () => {
  test('qrels: any whitespace, blank lines, file order kept', () => {
    const p = file('q.txt', 'q2 0 d1 1\n\n  q1\t0\td9\t2  \nq2 0 d\u00e9 -1\r\n');
    const q = parseTrecQrels(p);
    expect([...q.keys()]).toEqual(['q2', 'q1']);
    expect([...q.get('q2')!]).toEqual([
      ['d1', 1],
      ['d\u00e9', -1],
    ]);
    expect(q.get('q1')!.get('d9')).toBe(2);
  });

  test('qrels errors name file:line', () => {
    const bad = file('bad.qrels', 'q1 0 d1 1\nq1 0 d2 x\n');
    const e = errorOf(() => parseTrecQrels(bad));
    expect(e.code).toBe('E_PARSE');
    expect(e.location).toEqual({ file: bad, line: 2, field: 'rel' });
    const dup = file('dup.qrels', 'q1 0 d1 1\nq1 0 d2 0\nq1 0 d1 2\n');
    const e2 = errorOf(() => parseTrecQrels(dup));
    expect(e2.location.line).toBe(3);
    expect(e2.message).toContain('first at line 1');
    expect(errorOf(() => parseTrecQrels(file('short.qrels', 'q1 0 d1\n'))).message).toContain('expected 4 fields');
  });

  test('run: scores as doubles, run order, extra fields ignored, no final newline', () => {
    const p = file('r.txt', 'q1 Q0 a 1 0.5 tag\nq1 Q0 b 2 1e-3 tag extra\nq0 Q0 a 1 -2 t');
    const r = parseTrecRun(p);
    expect([...r.keys()]).toEqual(['q1', 'q0']);
    expect(r.get('q1')!.docIds).toEqual(['a', 'b']);
    expect([...r.get('q1')!.scores]).toEqual([0.5, 0.001]);
    expect([...r.get('q0')!.scores]).toEqual([-2]);
  });

  test('run errors: bad score, too few fields, duplicate doc (also when the query comes back later)', () => {
    const e = errorOf(() => parseTrecRun(file('r1', 'q1 Q0 a 1 0.5 t\nq1 Q0 b 2 abc t\n')));
    expect(e.location).toEqual({ file: join(dir, 'r1'), line: 2, field: 'score' });
    expect(errorOf(() => parseTrecRun(file('r2', 'q1 Q0 a 1 0.5\n'))).message).toContain('expected 6 fields');
    const e3 = errorOf(() => parseTrecRun(file('r3', 'q1 Q0 a 1 0.5 t\nq2 Q0 a 1 0.5 t\nq1 Q0 a 2 0.4 t\n')));
    expect(e3.location.line).toBe(3);
    expect(e3.message).toContain('duplicate doc "a" for query "q1"');
    expect(errorOf(() => parseTrecRun(join(dir, 'nope'))).code).toBe('E_FILE_MISSING');
  });

  test('JSON dicts are detected and validated', () => {
    const q = readQrels(file('q.json', ' {"1": {"d1": 1, "d2": 0}, "0": {"d3": 2}}'));
    expect(q.get('1')!.get('d1')).toBe(1);
    const r = readRun(file('r.json', '{"1": {"d1": 0.25, "d2": 0.5}}'));
    expect(r.get('1')).toBeInstanceOf(Map);
    const e = errorOf(() => readQrels(file('qb.json', '{"1": {"d1": 0.5}}')));
    expect(e.code).toBe('E_BAD_VALUE');
    expect(e.location.field).toBe('1.d1');
    const e2 = errorOf(() => readRun(file('rb.json', '{"1": {"d1": 0.5,\n}}')));
    expect(e2.code).toBe('E_PARSE');
    expect(e2.location.line).toBe(2);
  });

  test('a TREC run read as columns scores like the same run as Maps', () => {
    const qp = file('e.qrels', 'q1 0 a 1\nq1 0 c 2\nq2 0 x 1\n');
    const rp = file('e.run', 'q1 Q0 a 1 0.5 t\nq1 Q0 b 2 0.5 t\nq1 Q0 c 3 0.1 t\nq1 Q0 q1 4 0.9 t\nq2 Q0 y 1 0.3 t\n');
    const cols = evaluateRetrieval(readQrels(qp), readRun(rp), { protocol: 'mteb-2', kValues: [1, 3], ignoreIdenticalIds: true });
    const maps = evaluateRetrieval(
      new Map([
        ['q1', new Map([['a', 1], ['c', 2]])],
        ['q2', new Map([['x', 1]])],
      ]),
      new Map([
        ['q1', new Map([['a', 0.5], ['b', 0.5], ['c', 0.1]])],
        ['q2', new Map([['y', 0.3]])],
      ]),
      { protocol: 'mteb-2', kValues: [1, 3] },
    );
    expect(cols.scores).toEqual(maps.scores);
    // q1: 'b' ties 'a' and wins on doc id ('b' > 'a'): relevant at ranks 2 and 3
    expect(cols.perQuery.get('q1')!.mrr_at_1).toBe(0);
    expect(cols.perQuery.get('q1')!.mrr_at_3).toBe(0.5);
    expect(cols.scores.precision_at_3).toBe(0.33333);
  });
});

describe('BEIR TSV qrels (query-id corpus-id score)', () => {
  const entries = (q: Map<string, Map<string, number>>) => [...q].map(([k, v]) => [k, [...v]]);

  test('with its header, CRLF, "2.0" relevance, blank lines; same judgements as the TREC form', () => {
    const beir = file('beir.tsv', 'query-id\tcorpus-id\tscore\r\nq2\td1\t1\r\n\nq1\td9\t2.0\r\nq2\tdoc-7\t0\n');
    expect(detectQrelsFormat(beir)).toEqual({ format: 'beir-tsv', header: true });
    const trec = file('same.trec', 'q2 0 d1 1\nq1 0 d9 2\nq2 0 doc-7 0\n');
    expect(detectQrelsFormat(trec)).toEqual({ format: 'trec', header: false });
    expect(entries(readQrels(beir))).toEqual([
      ['q2', [['d1', 1], ['doc-7', 0]]],
      ['q1', [['d9', 2]]],
    ]);
    expect(entries(readQrels(beir))).toEqual(entries(readQrels(trec)));
  });

  test('without header; space-separated 3 columns; TREC with tabs', () => {
    expect(detectQrelsFormat(file('nohead.tsv', 'q1\td1\t1\n'))).toEqual({ format: 'beir-tsv', header: false });
    expect(entries(readQrels(join(dir, 'nohead.tsv')))).toEqual([['q1', [['d1', 1]]]]);
    const ws = file('ws.txt', 'qid docid rel\nq1 d1 1\nq1  d2\t3\n');
    expect(detectQrelsFormat(ws)).toEqual({ format: 'beir-ws', header: true });
    expect(entries(readQrels(ws))).toEqual([['q1', [['d1', 1], ['d2', 3]]]]);
    expect(entries(readQrels(file('trec.tsv', 'q1\t0\td1\t1\n')))).toEqual([['q1', [['d1', 1]]]]);
  });

  test('a stray space inside a tab-separated field is an error naming file:line (it would never match)', () => {
    const p = file('stray.tsv', 'query-id\tcorpus-id\tscore\n1\t31715818\t1\n1\t 0 31715818\t1\n');
    const e = errorOf(() => readQrels(p));
    expect(e.code).toBe('E_PARSE');
    expect(e.location).toEqual({ file: p, line: 3, field: 'corpus-id' });
    expect(e.message).toBe(
      'corpus-id " 0 31715818" contains whitespace, so it would never match a document id (a stray space, or a space where a tab belongs?); ids with spaces need JSON qrels',
    );
    const q = errorOf(() => readQrels(file('qstray.tsv', 'q1 \td1\t1\n')));
    expect(q.location).toEqual({ file: join(dir, 'qstray.tsv'), line: 1, field: 'query-id' });
  });

  test('wrong field counts, empty ids, bad relevance, duplicates: E_PARSE with the line', () => {
    const four = errorOf(() => readQrels(file('four.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\t0\td2\t1\n')));
    expect([four.code, four.location.line, four.message]).toEqual([
      'E_PARSE',
      3,
      'expected 3 tab-separated fields "query-id corpus-id score" (BEIR TSV, as the file\'s first line), got 4',
    ]);
    const notab = errorOf(() => readQrels(file('notab.tsv', 'q1\td1\t1\nq2 d2 1\n')));
    expect([notab.location.line, notab.message]).toEqual([2, 'expected 3 tab-separated fields "query-id corpus-id score" (BEIR TSV, as the file\'s first line), got 1 (no tab)']);
    const mixed = errorOf(() => readQrels(file('mixed.trec', 'q1 0 d1 1\nq1 d2 1\n')));
    expect([mixed.location.line, mixed.message]).toEqual([2, 'expected 4 fields "qid iter docid rel" (TREC qrels, as the file\'s first line), got 3']);
    const five = errorOf(() => readQrels(file('five.txt', '\nq1 0 d1 1 x\n')));
    expect([five.location.line, five.message]).toEqual([
      2,
      'not a qrels line: expected TREC "qid iter docid rel" (4 fields) or BEIR "query-id<TAB>corpus-id<TAB>score" (3 fields), got 5 fields',
    ]);
    const empty = errorOf(() => readQrels(file('emptyid.tsv', 'q1\t\t1\n')));
    expect([empty.location.field, empty.message]).toEqual(['corpus-id', 'corpus-id is empty']);
    const rel = errorOf(() => readQrels(file('rel.tsv', 'query-id\tcorpus-id\tscore\nq1\td1\t0.5\n')));
    expect([rel.location, rel.message]).toEqual([{ file: join(dir, 'rel.tsv'), line: 2, field: 'score' }, 'relevance "0.5" is not an integer']);
    // an unknown header is not skipped silently
    const head = errorOf(() => readQrels(file('head.tsv', 'a\tb\tc\nq1\td1\t1\n')));
    expect([head.location.line, head.message]).toEqual([1, 'relevance "c" is not an integer']);
    const dup = errorOf(() => readQrels(file('dup.tsv', 'q1\td1\t1\nq1\td1\t0\n')));
    expect([dup.location.line, dup.message]).toEqual([2, 'duplicate judgement for query "q1" doc "d1" (first at line 1)']);
  });

  test('metrics retrieval scores a BEIR TSV like the same TREC qrels and warns with counts', async () => {
    const beir = file('cli.tsv', 'query-id\tcorpus-id\tscore\nq1\ta\t1\nq2\tb\t1\nq3\tc\t1\n');
    const trec = file('cli.trec', 'q1 0 a 1\nq2 0 b 1\nq3 0 c 1\n');
    const run = file('cli.run', 'q1 Q0 a 1 0.9 t\nq1 Q0 b 2 0.8 t\nq2 Q0 a 1 0.9 t\nq2 Q0 b 2 0.8 t\nq9 Q0 a 1 0.9 t\n');
    const go = async (qrels: string) => {
      const out: string[] = [];
      const err: string[] = [];
      const w = jest.spyOn(process.stdout, 'write').mockImplementation((s: unknown) => (out.push(String(s)), true));
      const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: unknown) => (err.push(String(s)), true));
      try {
        const args = { qrels, run, k: '1,3', protocol: 'mteb-2', 'mteb1-variant': '1.12.8', 'python-sum': 'naive', 'ignore-identical-ids': false, nauc: false, 'per-query': false };
        expect(await metricsRetrievalCommand.handler(args)).toBe(0);
      } finally {
        w.mockRestore();
        e.mockRestore();
      }
      return { json: JSON.parse(out.join('')), err: err.filter((l) => l.startsWith('warning')) };
    };
    const a = await go(beir);
    const b = await go(trec);
    expect(a.json).toEqual(b.json);
    expect(a.json.scores.mrr_at_3).toBe(0.75);
    expect(a.json.scores.ndcg_at_1).toBe(0.5);
    expect(a.err).toEqual([
      'warning: 1 run query has no qrels entry and is not evaluated (as pytrec_eval/trec_eval; mteb\'s MRR would raise KeyError), e.g. "q9"\n',
      'warning: 1 qrels query is not in the run and not evaluated, e.g. "q3"\n',
    ]);
  });
});

describe('evaluateRetrieval input checks', () => {
  const qrels = new Map([['q', new Map([['d', 1]])]]);
  test('bad k values, NaN score, fractional relevance, nothing to evaluate', () => {
    const run = new Map([['q', new Map([['d', 1]])]]);
    expect(errorOf(() => evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues: [1, 1] })).message).toContain('duplicate');
    expect(errorOf(() => evaluateRetrieval(qrels, run, { protocol: 'mteb-2', kValues: [0] })).code).toBe('E_USAGE');
    const nan = errorOf(() => evaluateRetrieval(qrels, new Map([['q', new Map([['d', NaN]])]]), { protocol: 'mteb-2' }));
    expect(nan.location.field).toBe('run["q"]["d"]');
    const frac = errorOf(() => evaluateRetrieval(new Map([['q', new Map([['d', 0.5]])]]), run, { protocol: 'mteb-2' }));
    expect(frac.code).toBe('E_BAD_VALUE');
    expect(errorOf(() => evaluateRetrieval(qrels, new Map([['other', new Map([['d', 1]])]]), { protocol: 'mteb-2' })).code).toBe(
      'E_BAD_VALUE',
    );
  });

  test('a query with an empty qrels entry is evaluated (0 everywhere); 1.12.0 MRR divides by len(qrels)', () => {
    const q = new Map([
      ['a', new Map([['d', 1]])],
      ['b', new Map<string, number>()],
      ['c', new Map([['d', 1]])],
    ]);
    const run = new Map([
      ['a', new Map([['d', 1]])],
      ['b', new Map([['d', 1]])],
    ]);
    const v1 = evaluateRetrieval(q, run, { protocol: 'mteb-1', kValues: [1] });
    expect([...v1.perQuery.keys()]).toEqual(['a', 'b']);
    expect(v1.scores).toEqual({ ndcg_at_1: 0.5, map_at_1: 0.5, recall_at_1: 0.5, precision_at_1: 0.5, mrr_at_1: 0.33333 });
    const v2 = evaluateRetrieval(q, run, { protocol: 'mteb-2', kValues: [1], nauc: false });
    expect(v2.scores.mrr_at_1).toBe(0.5);
    expect(Object.keys(v2.scores)).toEqual(['ndcg_at_1', 'map_at_1', 'recall_at_1', 'accuracy', 'precision_at_1', 'mrr_at_1', 'hit_rate_at_1']);
  });
});

describe('fast TREC run reader', () => {
  test('same result whatever the read chunk size (lines and UTF-8 ids cut across chunks)', async () => {
    const { readTrecRunFast } = await import('../../../src/metrics/retrieval/trec-run-reader.js');
    const lines: string[] = [];
    for (let q = 0; q < 7; q++) {
      for (let d = 0; d < 9; d++) lines.push(`q${q % 5}\tQ0  d\u00e9${q}_${d}\u{1F600} ${d + 1}   ${(d * 0.37 - 1).toFixed(3)}e0 tag${q}\r`);
    }
    const p = file('chunks.run', lines.join('\n'));
    const big = readTrecRunFast(p);
    expect([...big.keys()]).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    expect(big.get('q0')!.docIds.length).toBe(18); // q0 and q5 % 5
    expect(big.get('q1')!.docIds[0]).toBe('d\u00e91_0\u{1F600}');
    expect(big.get('q1')!.scores[1]).toBe(-0.63);
    for (const chunk of [2, 3, 7, 64]) {
      const small = readTrecRunFast(p, chunk);
      expect([...small.entries()].map(([q, r]) => [q, r.docIds, [...r.scores]])).toEqual(
        [...big.entries()].map(([q, r]) => [q, r.docIds, [...r.scores]]),
      );
    }
  });
});
