import type { CorpusDoc, CorpusTexts, CorpusTextChunk } from '../core/datasets.js';
import { MtebError } from '../core/errors.js';
import { readRowBatches, column, type LocatedRow } from './readers/rows.js';
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

const sameDoc = (a: CorpusDoc, b: CorpusDoc): boolean => a.title === b.title && a.text === b.text;

/** A later occurrence of an id met while the corpus streams and the text it replaces is not held (resolveDuplicates). */
interface DeferredDuplicate {
  p: number;
  id: string;
  doc: CorpusDoc;
}

/**
 * The documents of a retrieval split: ids in corpus order (first occurrence, as mteb's dict), and each id's text
 * (the last occurrence's, as mteb). Small corpora hold their text; large ones hold per document only the global
 * row number of its first occurrence (8 bytes), plus the text of the rare ids whose later occurrence changed the
 * text; `chunks` and `docsOf` read the text back with one sequential pass over the file(s), any format the readers
 * take (jsonl[.gz], json[.gz], parquet). No document is hashed: while the text is held a duplicate is compared with
 * it, and a duplicate met after the text stopped being held is kept aside and compared by `resolveDuplicates` with
 * its first occurrence read back from the file (duplicates are rare; a corpus without them costs nothing extra).
 * This keeps the load of a `--shard` run, which reads every row for the ids and the chunk boundaries, at parsing
 * cost. Map-like where text is held (`get`, iteration); `size`, `has`, `keys` always work.
 */
export class CorpusText implements CorpusTexts {
  private readonly position = new Map<string, number>();
  private readonly idList: string[] = [];
  private docs: CorpusDoc[] | null = [];
  private textBytes = 0;
  private firstRow = new Float64Array(1024);
  /** Streamed corpora: the text at a position whose last occurrence differs from its first (read back otherwise). */
  private readonly overrides = new Map<number, CorpusDoc>();
  /** First-occurrence texts of positions a duplicate changed (known while held, or read back by resolveDuplicates). */
  private readonly firsts = new Map<number, CorpusDoc>();
  /** Current (last seen) text of positions in `firsts`, once the held text is dropped. */
  private readonly current = new Map<number, CorpusDoc>();
  private readonly deferred: DeferredDuplicate[] = [];
  private changed = 0;
  private example: string | undefined;

  /**
   * @param files data files (paths readRows takes) whose rows the global row numbers count, in order
   * @param inMemoryBytes text held in memory up to this size (see CORPUS_TEXT_IN_MEMORY_BYTES)
   */
  constructor(
    readonly files: readonly string[] = [],
    private readonly inMemoryBytes = Infinity,
  ) {}

  /** Set on a corpus whose rows were not read (`unread`): only its files are known; size 0, no ids. */
  unread = false;

  /**
   * The corpus of `files` without its rows: what `merge` loads for a corpus the shards split and searched, whose
   * top-k lists stand for it (src/shard/chunk-lists/ checks the files' fingerprint against the lists').
   */
  static unread(files: readonly string[]): CorpusText {
    const c = new CorpusText(files);
    c.unread = true;
    return c.done();
  }

  /**
   * A corpus whose text is never held (read back from `files` when embedded, as a streamed one): the first pass
   * of a `--shard` run, which embeds only its own chunks' rows, takes most rows by id alone (`addNew`).
   */
  static textUnheld(files: readonly string[]): CorpusText {
    const c = new CorpusText(files, 0);
    c.docs = null;
    return c;
  }

  /** An in-memory corpus from (id, doc) pairs (later pairs of an id replace the text, order stays the first). */
  static fromDocs(entries: Iterable<[string, CorpusDoc]>): CorpusText {
    const c = new CorpusText();
    let row = 0;
    for (const [id, doc] of entries) c.add(id, doc, row++);
    return c.done();
  }

  /**
   * The loader's first pass: a kept row `row` (global row number over `files`, counting every row) with this id
   * and doc. Returns 'new', 'same' (a duplicate id with the same title and text), 'changed' (the text of a
   * duplicate differs from the one it replaces; mteb keeps the last) or 'deferred' (a duplicate whose previous
   * text is no longer held: resolveDuplicates decides). `changedDuplicates` counts the 'changed' ones in the end.
   */
  add(id: string, doc: CorpusDoc, row: number): 'new' | 'same' | 'changed' | 'deferred' {
    const p = this.position.get(id);
    if (p === undefined) {
      const n = this.push(id, row);
      if (this.docs) {
        this.textBytes += 2 * (doc.title.length + doc.text.length);
        this.docs[n] = doc;
        if (this.textBytes > this.inMemoryBytes) this.dropText();
      }
      return 'new';
    }
    const docs = this.docs;
    if (docs) {
      const prev = docs[p];
      const same = sameDoc(prev, doc);
      if (!same && !this.firsts.has(p)) this.firsts.set(p, prev);
      this.count(same, id);
      this.textBytes += 2 * (doc.title.length + doc.text.length) - 2 * (prev.title.length + prev.text.length);
      docs[p] = doc;
      if (this.textBytes > this.inMemoryBytes) this.dropText();
      return same ? 'same' : 'changed';
    }
    const prev = this.current.get(p);
    // Order matters (a later duplicate compares with the one before it): once one occurrence of p waits, all do.
    if (prev === undefined || this.deferred.length) {
      this.deferred.push({ p, id, doc });
      return 'deferred';
    }
    const same = sameDoc(prev, doc);
    this.count(same, id);
    this.current.set(p, doc);
    return same ? 'same' : 'changed';
  }

  /**
   * The first pass of a corpus whose text is not held (textUnheld): a row by its id alone, where the id is new
   * (true). A known id returns false and changes nothing: the caller parses the row and calls `add`, since a
   * duplicate's text is compared with the one it replaces.
   */
  addNew(id: string, row: number): boolean {
    if (this.docs) throw new MtebError('E_INTERNAL', 'CorpusText.addNew on a corpus that holds its text');
    if (this.position.has(id)) return false;
    this.push(id, row);
    return true;
  }

  /** A new id at the next position, first met at global row `row`; its position. */
  private push(id: string, row: number): number {
    const n = this.idList.length;
    if (n === this.firstRow.length) {
      const f = new Float64Array(n * 2);
      f.set(this.firstRow);
      this.firstRow = f;
    }
    this.position.set(id, n);
    this.idList.push(id);
    this.firstRow[n] = row;
    return n;
  }

  private count(same: boolean, id: string): void {
    if (same) return;
    if (this.changed++ === 0) this.example = id;
  }

  /** The held text went over the limit: keep only what a duplicate changed (first and current text). */
  private dropText(): void {
    const docs = this.docs!;
    for (const p of this.firsts.keys()) this.current.set(p, docs[p]);
    this.docs = null;
  }

  /** Ends the first pass: trims the per-document arrays; sets the streamed text's overrides (or drops them where all text is held). */
  done(): this {
    this.firstRow = this.firstRow.slice(0, this.idList.length);
    if (!this.deferred.length) this.setOverrides();
    return this;
  }

  /** The streamed text's overrides from the first and last texts; then only the overrides stay held. */
  private setOverrides(): void {
    this.overrides.clear();
    if (!this.docs) for (const [p, cur] of this.current) if (this.firsts.has(p) && !sameDoc(cur, this.firsts.get(p)!)) this.overrides.set(p, cur);
    this.firsts.clear();
    this.current.clear();
  }

  /**
   * After `done`: compares the duplicates met after the text stopped being held with the text they replace,
   * reading the first occurrences back in one pass (only as far as the last of them; nothing when there are none).
   */
  async resolveDuplicates(): Promise<void> {
    if (!this.deferred.length) return;
    const want = [...new Set(this.deferred.map((d) => d.p))].filter((p) => !this.current.has(p)).sort((a, b) => a - b);
    for await (const docs of this.stream(() => want, true))
      for (const [p, doc] of docs) {
        this.firsts.set(p, doc);
        this.current.set(p, doc);
      }
    for (const d of this.deferred.splice(0)) {
      const same = sameDoc(this.current.get(d.p)!, d.doc);
      this.count(same, d.id);
      this.current.set(d.p, d.doc);
    }
    this.setOverrides();
  }

  /** Duplicates whose text differs from the occurrence before them (after resolveDuplicates), and the first such id. */
  get changedDuplicates(): { count: number; example?: string } {
    return { count: this.changed, example: this.example };
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
    for await (const docs of this.stream(positions)) {
      for (const [p, doc] of docs) {
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
    for await (const docs of this.stream(() => ps)) for (const [p, doc] of docs) out.set(this.idList[p], doc);
    return out;
  }

  /**
   * Reads the file(s) once, yielding (position, doc) pairs, a chunk read's at a time, for each wanted position
   * (ascending; `wanted` gives them, twice: once to yield, once ahead to tell the reader which rows to parse) at its
   * first row (`raw`: that row's text, not the override). Only the wanted rows are parsed (JSON lines; other formats
   * parse every row): a shard reads back its own chunks' rows, and a malformed row elsewhere is its owner's to report.
   */
  private async *stream(wanted: () => Iterable<number>, raw = false): AsyncGenerator<[number, CorpusDoc][]> {
    const it = wanted()[Symbol.iterator]();
    let next = it.next();
    if (next.done) return;
    const ahead = wanted()[Symbol.iterator]();
    let a = ahead.next();
    /** Whether global row r is a wanted position's first row (asked in ascending r, as the reader reads). */
    const isWanted = (r: number): boolean => {
      while (!a.done && this.firstRow[a.value] < r) a = ahead.next();
      return !a.done && this.firstRow[a.value] === r;
    };
    let row = -1;
    let lastFile = '';
    for (const f of this.files) {
      lastFile = f;
      const base = row + 1;
      for await (const batch of readRowBatches(f, { parse: (i) => isWanted(base + i) })) {
        const out: [number, CorpusDoc][] = [];
        for (const r of batch) {
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
          out.push([p, (raw ? undefined : this.overrides.get(p)) ?? corpusDocOf(r)]);
          next = it.next();
          if (next.done) break;
        }
        if (out.length) yield out;
        if (next.done) return;
      }
    }
    throw new MtebError('E_PARSE', `the corpus changed while it was read: it ended before document ${JSON.stringify(this.idList[next.value as number])} (a file rewritten during the run?)`, {
      file: lastFile,
    });
  }
}
