import { describe, test, expect } from '@jest/globals';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { FolderSource, CorpusText, corpusTextInMemoryBytes, CORPUS_TEXT_IN_MEMORY_BYTES } from '../../src/data/index.js';
import { loadRetrievalSplit } from '../../src/task-types/loaders.js';
import type { CorpusDoc, RetrievalSplit } from '../../src/core/datasets.js';
import type { EvalContext } from '../../src/task-types/adapter.js';
import type { RetrievalSpec } from '../../src/task-types/spec.js';
import { scoreRetrievalSplit } from '../../src/task-types/retrieval/adapter.js';
import { makeMatrix } from '../../src/core/matrix.js';
import { fixtureDir, rejected, spec, tmp } from './helpers.js';

/** Corpus rows: d1 twice with another text (last wins), d2 twice identical (no warning), null title, a numeric id. */
const ROWS = [
  { _id: 'd1', title: 'One', text: 'first text' },
  { _id: 'd2', title: null, text: 'second text' },
  { _id: 'd1', title: 'One', text: 'first text, revised' },
  { _id: 'd3', title: 'Three', text: 'third text' },
  { _id: 'd2', title: null, text: 'second text' },
  { _id: 7, title: 'Seven', text: 'seventh text' },
  { _id: 'd8', text: 'eighth text' },
];
const EXPECTED: [string, CorpusDoc][] = [
  ['d1', { title: 'One', text: 'first text, revised' }],
  ['d2', { title: '', text: 'second text' }],
  ['d3', { title: 'Three', text: 'third text' }],
  ['7', { title: 'Seven', text: 'seventh text' }],
  ['d8', { title: '', text: 'eighth text' }],
];

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** A BEIR folder whose corpus is written as `corpusName` (content by format). */
function beir(corpus: Record<string, string | Buffer>): string {
  const d = tmp('corpus-text-');
  for (const [name, content] of Object.entries(corpus)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  }
  writeFileSync(join(d, 'queries.jsonl'), jsonl([{ _id: 'q1', text: 'query one' }, { _id: 'q2', text: 'query two' }]));
  mkdirSync(join(d, 'qrels'));
  writeFileSync(join(d, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td3\t1\nq2\t7\t1\n');
  return d;
}

const FORMATS: Record<string, Record<string, string | Buffer>> = {
  jsonl: { 'corpus.jsonl': jsonl(ROWS) },
  'jsonl.gz': { 'corpus.jsonl.gz': gzipSync(jsonl(ROWS)) },
  'json (array)': { 'corpus.json': JSON.stringify(ROWS) },
  'json.gz (JSON lines)': { 'corpus.json.gz': gzipSync(jsonl(ROWS)) },
  'two jsonl shards (HF layout)': {
    'corpus/test-00000-of-00002.jsonl': jsonl(ROWS.slice(0, 3)),
    'corpus/test-00001-of-00002.jsonl': jsonl(ROWS.slice(3)),
  },
};

async function load(dir: string, inMemoryBytes: number, limit?: number, corpusTextUnheld?: boolean): Promise<{ split: RetrievalSplit; warnings: string[] }> {
  const warnings: string[] = [];
  const split = await loadRetrievalSplit(new FolderSource('local', 'x', dir), spec('Retrieval'), 'test', 'default', {
    corpusTextInMemoryBytes: inMemoryBytes,
    limit,
    corpusTextUnheld,
    warn: (m) => warnings.push(m.replace(dir, '<dir>')),
  });
  return { split, warnings };
}

async function streamed(c: RetrievalSplit['corpus'], rows: number, ranges?: [number, number][]) {
  const starts: number[] = [];
  const out: [string, CorpusDoc][] = [];
  for await (const ch of c.chunks(rows, ranges)) {
    starts.push(ch.start);
    ch.ids.forEach((id, i) => out.push([id, ch.docs[i]]));
  }
  return { starts, out };
}

/** Every string reachable from an object's own fields (Maps, arrays, typed arrays skipped). */
function stringsIn(v: unknown, seen = new Set<unknown>()): string[] {
  if (typeof v === 'string') return [v];
  if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return [];
  seen.add(v);
  const out: string[] = [];
  const parts: unknown[] = v instanceof Map ? [...v.entries()].flat() : Array.isArray(v) ? v : Object.values(v);
  for (const p of parts) out.push(...stringsIn(p, seen));
  return out;
}

describe('corpus text held in memory or read back from the file', () => {
  for (const [name, files] of Object.entries(FORMATS)) {
    test(`${name}: same ids (first occurrence order), texts (last one wins) and warning either way`, async () => {
      const dir = beir(files);
      const mem = await load(dir, Infinity);
      const str = await load(dir, 0);
      expect(mem.split.corpus.inMemory).toBe(true);
      expect(str.split.corpus.inMemory).toBe(false);
      expect([...mem.split.corpus]).toEqual(EXPECTED);
      expect([...str.split.corpus.keys()]).toEqual(['d1', 'd2', 'd3', '7', 'd8']);
      expect(str.split.corpus.size).toBe(5);
      expect([str.split.corpus.has('7'), str.split.corpus.has('d9')]).toEqual([true, false]);
      for (const c of [mem.split.corpus, str.split.corpus]) {
        const all = await streamed(c, 2);
        expect(all).toEqual({ starts: [0, 2, 4], out: EXPECTED });
        expect(await streamed(c, 2, [[1, 2], [2, 5]])).toEqual({ starts: [1, 2, 4], out: EXPECTED.slice(1) });
        expect(await streamed(c, 10, [[0, 1], [3, 99]])).toEqual({ starts: [0, 3], out: [EXPECTED[0], ...EXPECTED.slice(3)] });
        const some = await c.docsOf(['d8', 'nope', 'd1', 'd8']);
        expect([...some]).toEqual([EXPECTED[0], EXPECTED[4]]);
      }
      expect(str.warnings).toEqual(mem.warnings);
      expect(str.warnings.filter((w) => w.includes('document id'))).toHaveLength(1);
      expect(str.warnings.find((w) => w.includes('document id'))).toContain('1 document id appears again with a different title or text; the last one is used (as in mteb), e.g. "d1"');
    });
  }

  test('a streamed corpus holds no document text but the changed duplicate; get and iteration say so', async () => {
    const dir = beir(FORMATS.jsonl);
    const { split } = await load(dir, 0);
    const c = split.corpus as CorpusText;
    expect(c.heldOverrides).toBe(1);
    const held = stringsIn(c).filter((s) => s.includes(' text'));
    expect(held).toEqual(['first text, revised']);
    expect(() => c.get('d3')).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }) as unknown as Error);
    expect(() => [...c]).toThrow(/not held in memory/);
    const mem = (await load(dir, Infinity)).split.corpus as CorpusText;
    expect(stringsIn(mem).filter((s) => s.includes(' text')).sort()).toEqual(['eighth text', 'first text, revised', 'second text', 'seventh text', 'third text']);
  });

  test('the threshold: text bytes (2 a UTF-16 unit) up to the limit are held, one more streams', async () => {
    const dir = beir(FORMATS.jsonl);
    // Held text = the last occurrence of each id: 'Onefirst text, revised' + 'second text' + ... (titles + texts).
    const chars = EXPECTED.reduce((n, [, d]) => n + d.title.length + d.text.length, 0);
    expect(chars).toBe(76);
    // The first pass counts every kept row until it streams; d1's first text is replaced, so the peak is the end.
    expect((await load(dir, 2 * chars)).split.corpus.inMemory).toBe(true);
    expect((await load(dir, 2 * chars - 1)).split.corpus.inMemory).toBe(false);
    expect(corpusTextInMemoryBytes({})).toBe(CORPUS_TEXT_IN_MEMORY_BYTES);
    expect(corpusTextInMemoryBytes({ MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES: 'Infinity' })).toBe(Infinity);
    expect(corpusTextInMemoryBytes({ MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES: '1000' })).toBe(1000);
    expect(() => corpusTextInMemoryBytes({ MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES: 'lots' })).toThrow(expect.objectContaining({ code: 'E_USAGE' }) as unknown as Error);
  });

  test('--limit keeps the same documents either way (judged + distractors, file order)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ _id: `d${i}`, text: `doc ${i}` }));
    const dir = beir({ 'corpus.jsonl': jsonl([...rows, { _id: 'd3', text: 'judged, later' }]) });
    const mem = await load(dir, Infinity, 1);
    const str = await load(dir, 0, 1);
    // q1, the one query kept, judges d3: d3 + 10 distractors, in file order.
    const ids = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'];
    expect([...mem.split.corpus.keys()]).toEqual(ids);
    expect((await streamed(str.split.corpus, 4)).out).toEqual([...mem.split.corpus]);
    expect((await str.split.corpus.docsOf(['d3'])).get('d3')).toEqual({ title: '', text: 'judged, later' });
  });

  test('parquet (v2 reranking fixture): same corpus read back; top_ranked candidates score the same', async () => {
    const dir = tmp('corpus-text-pq-');
    cpSync(fixtureDir('rerank-v2-mini'), dir, { recursive: true });
    const mem = await load(dir, Infinity);
    const str = await load(dir, 0);
    expect(str.split.corpus.inMemory).toBe(false);
    expect(mem.split.corpus.size).toBe(6);
    expect((await streamed(str.split.corpus, 4)).out).toEqual([...mem.split.corpus]);
    const calls = (split: RetrievalSplit) => run(split, spec('Reranking', { protocol: 'mteb-2' }));
    const a = await calls(mem.split);
    const b = await calls(str.split);
    expect(b.texts).toEqual(a.texts);
    expect(a.texts.find((t) => t.label === 'candidates')!.texts.length).toBeGreaterThan(0);
    expect(b.result.scores).toEqual(a.result.scores);
  });

  test('a corpus file rewritten after loading is E_PARSE naming the file, not silently other text', async () => {
    const dir = beir(FORMATS.jsonl);
    const { split } = await load(dir, 0);
    writeFileSync(join(dir, 'corpus.jsonl'), jsonl(ROWS.slice(1)));
    const e = await rejected(streamed(split.corpus, 2));
    expect(e.code).toBe('E_PARSE');
    expect(e.message).toContain('the corpus changed while it was read');
    expect(e.location.file).toBe(join(dir, 'corpus.jsonl'));
  });

  test('a shard reading back its chunks parses no JSON line before them (a broken first line is not met)', async () => {
    const dir = beir(FORMATS.jsonl);
    const { split } = await load(dir, 0);
    const lines = jsonl(ROWS).split('\n');
    lines[0] = '{not json at all';
    writeFileSync(join(dir, 'corpus.jsonl'), lines.join('\n'));
    // Positions 3-4 ('7', 'd8') are rows 5-6: rows 0-4 are counted, not parsed.
    expect(await streamed(split.corpus, 10, [[3, 5]])).toEqual({ starts: [3], out: EXPECTED.slice(3) });
    expect([...(await split.corpus.docsOf(['d3']))]).toEqual([EXPECTED[2]]);
    const e = await rejected(streamed(split.corpus, 10, [[0, 5]]));
    expect([e.code, e.location.line]).toEqual(['E_PARSE', 1]);
  });

  test('retrieval and a sharded corpus embed the same texts in the same calls either way', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => ({ _id: `d${i}`, title: i % 2 ? `T${i}` : '', text: `doc ${i}` }));
    const dir = beir({ 'corpus.jsonl': jsonl(rows.concat([{ _id: 'd3', title: '', text: 'new three' }])) });
    const mem = (await load(dir, Infinity)).split;
    const str = (await load(dir, 0)).split;
    const a = await run(mem, spec('Retrieval'));
    const b = await run(str, spec('Retrieval'));
    expect(b.texts).toEqual(a.texts);
    expect(a.texts.map((t) => t.label)).toEqual(['queries', 'corpus']);
    expect(a.texts[1].texts[3]).toBe('new three');
    expect(a.texts[1].texts[1]).toBe('T1 doc 1');
    expect(b.result.scores).toEqual(a.result.scores);
    const shardCalls = async (split: RetrievalSplit) => {
      const markerDir = tmp('corpus-text-markers-');
      const ctx = fakeCtx(spec('Retrieval'), { index: 1, count: 2, chunkRows: 5, markerDir, owner: false });
      const res = await scoreRetrievalSplit(ctx.ctx, split);
      return { calls: ctx.calls, deferred: res.deferred };
    };
    const sa = await shardCalls(mem);
    expect(await shardCalls(str)).toEqual(sa);
    // Shard 1 of 2 with 5-row chunks of 23 documents: chunks 1 and 3 (rows 5-9 and 15-19).
    expect(sa.deferred).toBe('embedded and searched 2 of 5 corpus chunks');
    // The queries once (the shard searches its chunks), then each chunk's rows.
    expect(sa.calls.map((c) => [c.label, c.texts[0]])).toEqual([
      ['queries', a.texts[0].texts[0]],
      ['corpus chunk 2/5', 'T5 doc 5'],
      ['corpus chunk 4/5', 'T15 doc 15'],
    ]);
  });
});

type Call = { label: string; texts: string[] };

function fakeCtx(s: ReturnType<typeof spec>, shard?: EvalContext['shard']): { ctx: EvalContext<RetrievalSpec>; calls: Call[] } {
  const calls: Call[] = [];
  const dim = 4;
  const ctx = {
    spec: s,
    split: 'test',
    subset: 'default',
    source: null,
    embedder: { dimension: dim, embed: async () => makeMatrix(0, dim) },
    async embed(texts: string[], _role: string, label = '') {
      calls.push({ label, texts });
      const m = makeMatrix(texts.length, dim);
      texts.forEach((t, i) => {
        for (let j = 0; j < t.length; j++) m.data[i * dim + (t.charCodeAt(j) % dim)] += 1;
        m.data[i * dim] += 0.5;
      });
      return m;
    },
    progress: { start() {}, tick() {}, end() {} },
    warn() {},
    search: { backend: 'exact', engine: 'js' },
    shard,
  } as unknown as EvalContext<RetrievalSpec>;
  return { ctx, calls };
}

async function run(split: RetrievalSplit, s: ReturnType<typeof spec>) {
  const { ctx, calls } = fakeCtx(s);
  const result = await scoreRetrievalSplit(ctx, split);
  return { texts: calls, result };
}

describe('duplicates compared without hashing the corpus (the text held, dropped midway, or never held)', () => {
  // a: changed, then back to its first text (no override); b: changed twice; c: same; e: changed after the text stops being held.
  const rows = [
    { _id: 'a', title: '', text: 'alpha' },
    { _id: 'b', title: 'B', text: 'beta' },
    { _id: 'a', title: '', text: 'alpha two' },
    { _id: 'c', title: '', text: 'gamma' },
    { _id: 'b', title: 'B', text: 'beta two' },
    { _id: 'a', title: '', text: 'alpha' },
    { _id: 'd', title: '', text: 'delta delta delta delta' },
    { _id: 'c', title: '', text: 'gamma' },
    { _id: 'e', title: '', text: 'epsilon' },
    { _id: 'b', title: 'B', text: 'beta three' },
    { _id: 'e', title: '', text: 'epsilon two' },
  ];
  const want: [string, CorpusDoc][] = [
    ['a', { title: '', text: 'alpha' }],
    ['b', { title: 'B', text: 'beta three' }],
    ['c', { title: '', text: 'gamma' }],
    ['d', { title: '', text: 'delta delta delta delta' }],
    ['e', { title: '', text: 'epsilon two' }],
  ];
  // Thresholds: never held, dropped at row 2 / row 6 (after a's and b's changes), always held; and a shard's
  // first pass (rows taken by id, text never held: the duplicates are parsed and compared with the file's).
  for (const bytes of [0, 20, 60, Infinity, 'unheld' as const]) {
    test(`held up to ${bytes} bytes: same texts, 5 changed duplicates, example "a"`, async () => {
      const dir = beir({ 'corpus.jsonl': jsonl(rows) });
      const { split, warnings } = bytes === 'unheld' ? await load(dir, Infinity, undefined, true) : await load(dir, bytes);
      const c = split.corpus as CorpusText;
      expect(c.inMemory).toBe(bytes === Infinity);
      expect((await streamed(c, 2)).out).toEqual(want);
      expect(c.changedDuplicates).toEqual({ count: 5, example: 'a' });
      // Held beside a streamed corpus: only the texts a duplicate changed for good (b, e), never a first occurrence.
      if (!c.inMemory) expect(c.heldOverrides).toBe(2);
      if (!c.inMemory) expect(stringsIn(c).filter((s) => /a|e/.test(s) && /^(alpha|beta|gamma|delta|epsilon)/.test(s)).sort()).toEqual(['beta three', 'epsilon two']);
      expect(warnings.find((w) => w.includes('document id'))).toContain('5 document ids appear again with a different title or text; the last one is used (as in mteb), e.g. "a"');
    });
  }
});

describe("a shard's first pass: rows taken by id, no text held (corpusTextUnheld)", () => {
  for (const [name, files] of Object.entries(FORMATS)) {
    test(`${name}: the split of a full pass (ids, order, texts read back, warnings)`, async () => {
      const dir = beir(files);
      const full = await load(dir, Infinity);
      const ids = await load(dir, Infinity, undefined, true);
      // JSON lines take the scan and hold nothing; a .json document keeps the full pass (the option is ignored).
      expect(ids.split.corpus.inMemory).toBe(!/jsonl/.test(name));
      expect([...ids.split.corpus.keys()]).toEqual([...full.split.corpus.keys()]);
      expect(await streamed(ids.split.corpus, 2)).toEqual(await streamed(full.split.corpus, 2));
      expect(ids.warnings).toEqual(full.warnings);
      expect(ids.split.qrels).toEqual(full.split.qrels);
    });
  }

  test('ignored under --limit (those rows are chosen by id and parsed)', async () => {
    const dir = beir(FORMATS.jsonl);
    const full = await load(dir, Infinity, 1);
    const ids = await load(dir, Infinity, 1, true);
    expect(ids.split.corpus.inMemory).toBe(true);
    expect([...ids.split.corpus]).toEqual([...full.split.corpus]);
  });

  test('BOM, CRLF, blank and whitespace-only lines, ids the scan declines: the same rows and row numbers', async () => {
    const lines = [
      '\ufeff{"_id":"a","text":"one"}',
      '',
      '  ',
      '{"_id":{"x":1},"text":"object id"}',
      '\u00a0',
      '{"id":"c","title":null,"text":"three"}',
      '{"_id":5,"text":"five"}',
      '{"_id":"a","text":"one, again"}',
      '{"_\\u0069d":"e","text":"escaped key"}',
    ];
    const dir = beir({ 'corpus.jsonl': lines.join('\r\n') });
    writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\ta\t1\n');
    const full = await load(dir, Infinity);
    const ids = await load(dir, Infinity, undefined, true);
    expect([...ids.split.corpus.keys()]).toEqual(['a', '[object Object]', 'c', '5', 'e']);
    expect(await streamed(ids.split.corpus, 3)).toEqual(await streamed(full.split.corpus, 3));
    expect(ids.warnings).toEqual(full.warnings);
  });

  // A row whose id the scan took but whose rest is malformed: a full pass refuses it at load; the shard's pass
  // takes its id (the chunk boundaries and digest stay the same) and the read-back of its chunk, which embeds it,
  // refuses it with the same error naming file and line. It is never embedded or scored.
  const malformed: [string, string, RegExp][] = [
    ['an invalid escape', '{"_id":"d3","text":"bad \\x escape"}', /invalid JSON/],
    ['a trailing comma inside a nested value', '{"_id":"d3","meta":{"a":1,},"text":"third"}', /invalid JSON/],
    ['title not a string', '{"_id":"d3","title":{"a":1},"text":"third"}', /expected a string/],
    ['no text', '{"_id":"d3","title":"t"}', /missing column "text"/],
    ['raw control character', '{"_id":"d3","text":"th\u0001ird"}', /invalid JSON/],
  ];
  for (const [what, bad, message] of malformed) {
    test(`a malformed row (${what}) is reported by the read-back of its chunk, as the full pass reports it`, async () => {
      const rows = [jsonl([{ _id: 'd1', text: 'one' }, { _id: 'd2', text: 'two' }]), bad + '\n', jsonl([{ _id: '7', text: 'seven' }])].join('');
      const dir = beir({ 'corpus.jsonl': rows });
      const fullErr = await rejected(load(dir, Infinity));
      expect(fullErr.message).toMatch(message);
      expect(fullErr.location).toMatchObject({ line: 3 });
      const ids = await load(dir, Infinity, undefined, true);
      expect([...ids.split.corpus.keys()]).toEqual(['d1', 'd2', 'd3', '7']);
      // Chunks without it read fine; the one holding it fails as the full pass did.
      expect((await streamed(ids.split.corpus, 2, [[0, 2]])).out.map(([id]) => id)).toEqual(['d1', 'd2']);
      // Another shard's chunks on both sides of it (one read of the file, the row skipped unparsed): no error.
      expect((await streamed(ids.split.corpus, 2, [[0, 2], [3, 4]])).out.map(([id]) => id)).toEqual(['d1', 'd2', '7']);
      const err = await rejected(streamed(ids.split.corpus, 2, [[2, 4]]));
      expect([err.code, err.message, err.location.file, err.location.line]).toEqual([fullErr.code, fullErr.message, fullErr.location.file, 3]);
    });
  }
});
