import { createHash } from 'node:crypto';
import type { CorpusDoc, CorpusTexts, CorpusTextChunk } from '../core/datasets.js';
import { MtebError } from '../core/errors.js';
import { readRows, column, type LocatedRow } from './readers/rows.js';
import { str } from './split-rows.js';

/**
 * Corpus text (title + text, counted as 2 bytes a UTF-16 code unit) a retrieval split keeps in memory; above it the
 * loader keeps only ids and where each document's row is, and the text is read back from the file(s) chunk by
 * chunk when it is embedded. 64 MiB: holding a corpus this small costs little and saves re-reading it (SciFact,
 * NFCorpus, ArguAna stay in memory); larger ones (FiQA, TREC-COVID, NQ, MSMARCO's 3 GB) stream.
 * `MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES` overrides it (`Infinity` = the old behaviour, every text in memory).
 */
export const CORPUS_TEXT_IN_MEMORY_BYTES = 64 * 1024 * 1024;

export function corpusTextInMemoryBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES;
  if (v === undefined || v === '') return CORPUS_TEXT_IN_MEMORY_BYTES;
  const n = v.trim().toLowerCase() === 'infinity' ? Infinity : Number(v);
  if (!(n >= 0))
    throw new MtebError('E_USAGE', `MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES must be a number of bytes >= 0 or "Infinity", got ${JSON.stringify(v)}`, {
      field: 'MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES',
    });
  return n;
}

/** A corpus row as mteb reads it: a missing or null title is '', numbers become strings. */
export function corpusDocOf(r: LocatedRow): CorpusDoc {
  const title = r.row.title;
  return { title: title === undefined || title === null ? '' : str(r, 'title'), text: str(r, 'text') };
}

function idOf(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

export function corpusIdOf(r: LocatedRow): string {
  return idOf(column(r, '_id', 'id'));
}

const DIGEST_BYTES = 8;

function digest(doc: CorpusDoc, out: Buffer, at: number): void {
  createHash('md5').update(doc.title).update('\u0000').update(doc.text).digest().copy(out, at, 0, DIGEST_BYTES);
}

/**
 * The documents of a retrieval split: ids in corpus order (first occurrence, as mteb's dict), and each id's text
 * (the last occurrence's, as mteb). Small corpora hold their text; large ones hold per document only the global
 * row number of its first occurrence (8 bytes) and a 64-bit content digest (8 bytes, for the duplicate warning),
 * plus the text of the rare ids whose later occurrence changed the text; `chunks` and `docsOf` read the text back
 * with one sequential pass over the file(s), any format the readers take (jsonl[.gz], json[.gz], parquet).
 * Map-like where text is held (`get`, iteration); `size`, `has`, `keys` always work.
 */
export class CorpusText implements CorpusTexts {
  private readonly position = new Map<string, number>();
  private readonly idList: string[] = [];
  private docs: CorpusDoc[] | null = [];
  private textBytes = 0;
  private firstRow = new Float64Array(1024);
  private digests = Buffer.alloc(1024 * DIGEST_BYTES);
  private readonly overrides = new Map<number, CorpusDoc>();

  /**
   * @param files data files (paths readRows takes) whose rows the global row numbers count, in order
   * @param inMemoryBytes text held in memory up to this size (see CORPUS_TEXT_IN_MEMORY_BYTES)
   */
  constructor(
    private readonly files: readonly string[] = [],
    private readonly inMemoryBytes = Infinity,
  ) {}

  /** An in-memory corpus from (id, doc) pairs (later pairs of an id replace the text, order stays the first). */
  static fromDocs(entries: Iterable<[string, CorpusDoc]>): CorpusText {
    const c = new CorpusText();
    let row = 0;
    for (const [id, doc] of entries) c.add(id, doc, row++);
    return c.done();
  }

  /**
   * The loader's first pass: a kept row `row` (global row number over `files`, counting every row) with this id
   * and doc. Returns 'new', 'same' (a duplicate id with the same title and text) or 'changed' (the text of a
   * duplicate differs from the one it replaces; mteb keeps the last).
   */
  add(id: string, doc: CorpusDoc, row: number): 'new' | 'same' | 'changed' {
    const p = this.position.get(id);
    if (p === undefined) {
      const n = this.idList.length;
      if (n === this.firstRow.length) {
        const f = new Float64Array(n * 2);
        f.set(this.firstRow);
        this.firstRow = f;
        const d = Buffer.alloc(n * 2 * DIGEST_BYTES);
        this.digests.copy(d);
        this.digests = d;
      }
      this.position.set(id, n);
      this.idList.push(id);
      this.firstRow[n] = row;
      digest(doc, this.digests, n * DIGEST_BYTES);
      this.hold(n, doc);
      return 'new';
    }
    const prev = this.overrides.get(p) ?? this.docs?.[p];
    let same: boolean;
    const d = Buffer.alloc(DIGEST_BYTES);
    digest(doc, d, 0);
    const sameAsFirst = d.equals(this.digests.subarray(p * DIGEST_BYTES, (p + 1) * DIGEST_BYTES));
    if (prev) same = prev.title === doc.title && prev.text === doc.text;
    else same = sameAsFirst;
    // The text read back at the first row's place is the first occurrence's: a different last one is kept here.
    if (sameAsFirst) this.overrides.delete(p);
    else this.overrides.set(p, doc);
    if (this.docs) {
      this.textBytes += 2 * (doc.title.length + doc.text.length) - 2 * (this.docs[p].title.length + this.docs[p].text.length);
      this.docs[p] = doc;
      if (this.textBytes > this.inMemoryBytes) this.docs = null;
    }
    return same ? 'same' : 'changed';
  }

  private hold(p: number, doc: CorpusDoc): void {
    if (!this.docs) return;
    this.textBytes += 2 * (doc.title.length + doc.text.length);
    if (this.textBytes > this.inMemoryBytes) this.docs = null;
    else this.docs[p] = doc;
  }

  /** Ends the first pass: trims the per-document arrays; drops the duplicate overrides where all text is held. */
  done(): this {
    this.firstRow = this.firstRow.slice(0, this.idList.length);
    this.digests = Buffer.from(this.digests.subarray(0, this.idList.length * DIGEST_BYTES));
    if (this.docs) this.overrides.clear();
    return this;
  }

  get size(): number {
    return this.idList.length;
  }

  /** Whether every text is held in memory (a corpus below the threshold). */
  get inMemory(): boolean {
    return this.docs !== null;
  }

  /** Documents whose text is held although the corpus streams (ids whose last occurrence changed the text). */
  get heldOverrides(): number {
    return this.overrides.size;
  }

  has(id: string): boolean {
    return this.position.has(id);
  }

  /** Ids in corpus order. */
  keys(): IterableIterator<string> {
    return this.idList[Symbol.iterator]();
  }

  ids(): readonly string[] {
    return this.idList;
  }

  private notHeld(): MtebError {
    return new MtebError(
      'E_INTERNAL',
      `the corpus text (${this.files.join(', ')}) is not held in memory (over ${this.inMemoryBytes} bytes): read it with chunks() or docsOf()`,
    );
  }

  /** The text of `id` where the corpus is held in memory; a streamed corpus throws E_INTERNAL (use docsOf). */
  get(id: string): CorpusDoc | undefined {
    if (!this.docs) throw this.notHeld();
    const p = this.position.get(id);
    return p === undefined ? undefined : this.docs[p];
  }

  *entries(): IterableIterator<[string, CorpusDoc]> {
    const docs = this.docs;
    if (!docs) throw this.notHeld();
    for (let i = 0; i < this.idList.length; i++) yield [this.idList[i], docs[i]];
  }

  [Symbol.iterator](): IterableIterator<[string, CorpusDoc]> {
    return this.entries();
  }

  /**
   * Documents in corpus order, `rows` at a time, within `ranges` ([start, end) positions, ascending, disjoint;
   * default the whole corpus); a chunk never spans two ranges. A streamed corpus is read once, front to back, and
   * only as far as the last range needs.
   */
  async *chunks(rows: number, ranges: [number, number][] = [[0, this.size]]): AsyncGenerator<CorpusTextChunk> {
    if (!(rows >= 1)) throw new MtebError('E_INTERNAL', `corpus chunks of ${rows} rows`);
    const rs = ranges.map(([a, b]) => [Math.max(0, a), Math.min(this.size, b)] as [number, number]).filter(([a, b]) => a < b);
    for (let i = 1; i < rs.length; i++) if (rs[i][0] < rs[i - 1][1]) throw new MtebError('E_INTERNAL', 'corpus ranges must be ascending and disjoint');
    if (this.docs) {
      for (const [a, b] of rs) for (let s = a; s < b; s += rows) yield { start: s, ids: this.idList.slice(s, Math.min(b, s + rows)), docs: this.docs.slice(s, Math.min(b, s + rows)) };
      return;
    }
    function* positions(): Generator<number> {
      for (const [a, b] of rs) for (let p = a; p < b; p++) yield p;
    }
    let cur: CorpusTextChunk | null = null;
    let range = 0;
    for await (const [p, doc] of this.stream(positions())) {
      while (p >= rs[range][1]) range++;
      if (cur && (cur.ids.length === rows || cur.start + cur.ids.length !== p)) {
        yield cur;
        cur = null;
      }
      cur ??= { start: p, ids: [], docs: [] };
      cur.ids.push(this.idList[p]);
      cur.docs.push(doc);
      if (p + 1 === rs[range][1]) {
        yield cur;
        cur = null;
      }
    }
    if (cur) yield cur;
  }

  /** The texts of these ids (unknown ones are left out), read in one pass where the corpus streams. */
  async docsOf(ids: Iterable<string>): Promise<Map<string, CorpusDoc>> {
    const ps = [...new Set([...ids].map((id) => this.position.get(id)).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
    const out = new Map<string, CorpusDoc>();
    if (this.docs) {
      for (const p of ps) out.set(this.idList[p], this.docs[p]);
      return out;
    }
    for await (const [p, doc] of this.stream(ps)) out.set(this.idList[p], doc);
    return out;
  }

  /** Reads the file(s) once, yielding (position, doc) for each wanted position (ascending) at its first row. */
  private async *stream(wanted: Iterable<number>): AsyncGenerator<[number, CorpusDoc]> {
    const it = wanted[Symbol.iterator]();
    let next = it.next();
    if (next.done) return;
    let row = -1;
    let lastFile = '';
    for (const f of this.files) {
      lastFile = f;
      for await (const r of readRows(f)) {
        row++;
        const p = next.value as number;
        if (row < this.firstRow[p]) continue;
        const id = corpusIdOf(r);
        if (row > this.firstRow[p] || id !== this.idList[p])
          throw new MtebError(
            'E_PARSE',
            `the corpus changed while it was read: row ${r.index} holds id ${JSON.stringify(id)}, expected ${JSON.stringify(this.idList[p])} (a file rewritten during the run?)`,
            { file: r.file, line: r.line, field: '_id' },
          );
        yield [p, this.overrides.get(p) ?? corpusDocOf(r)];
        next = it.next();
        if (next.done) return;
      }
    }
    throw new MtebError('E_PARSE', `the corpus changed while it was read: it ended before document ${JSON.stringify(this.idList[next.value as number])} (a file rewritten during the run?)`, {
      file: lastFile,
    });
  }
}
