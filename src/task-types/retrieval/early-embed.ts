import type { EvalContext } from '../adapter.js';
import type { CorpusDoc } from '../../core/datasets.js';
import type { Matrix } from '../../core/matrix.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import { corpusText } from './corpus-text.js';
import { silentProgress } from '../../util/progress.js';
import { TEXT_READ_ROWS } from './embedded-corpus.js';

/** Corpus rows embedded while the split loads: the first this many documents (or characters) in corpus order. */
export const EARLY_CORPUS_ROWS = 5_000;
const EARLY_CORPUS_CHARS = 8 * 2 ** 20;
/** Rows per embedding call of the early corpus head: the corpus reader's pieces, so it takes them whole. */
const EARLY_PIECE_ROWS = TEXT_READ_ROWS;
/** Early corpus pieces embedding at once: enough to fill every slot of a server fleet, few to wait for on failure. */
const EARLY_PIECES_IN_FLIGHT = 2;

/**
 * Embedding that starts while a retrieval split is still loading, so the embedder is not idle while a large
 * corpus file is read and parsed (bench/pipeline/busy.ts): the evaluated queries as soon as the queries and
 * qrels are read, then the first corpus documents as the loader reads them (the loader's hooks,
 * RetrievalLoadOptions.early). What is embedded early is used only where the loaded split asks for exactly the
 * same texts (a later duplicate id that changes a head document's text is embedded again, as it is read), so
 * the vectors, and the results, are those of embedding after the load.
 *
 * Every call goes through `ctx.embed`, like the rest of the run: the cache, the checks, and the embedder's
 * in-flight limit, which the early calls share with the later ones (src/run/embed-slots.ts).
 */
export class EarlyEmbeddings {
  private queryTexts: string[] | undefined;
  private queryVectors: Promise<Matrix> | undefined;
  /** Rows read but not yet sent, from the end of the last started piece. */
  private buffered: { start: number; texts: string[] } | undefined;
  private readonly pieces: { start: number; texts: string[]; data: Promise<Float32Array> }[] = [];
  /** Early calls not finished yet (taken or not): waited for by settle(), so none outlives the task. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Early corpus pieces started and not finished (at most EARLY_PIECES_IN_FLIGHT). */
  private corpusInFlight = 0;
  private rows = 0;
  private chars = 0;
  private stopped = false;

  constructor(
    private readonly ctx: EvalContext<RetrievalSpec | RerankingSpec>,
    private readonly passageRole: 'query' | 'passage',
  ) {}

  /** The loader read the queries that will be evaluated (`texts` in evaluation order): embed them now. */
  queries(texts: string[]): void {
    if (this.stopped || this.queryVectors || !texts.length) return;
    this.queryTexts = texts;
    this.queryVectors = this.track(this.ctx.embed(texts, 'query', 'queries'));
  }

  /**
   * The loader read new corpus documents at positions start, start + 1, … (corpus order). Returns false once
   * no more are wanted (the head is full), so the loader stops calling.
   */
  corpus(start: number, docs: CorpusDoc[]): boolean {
    if (this.stopped || start !== this.rows) return false;
    for (const d of docs) {
      if (this.full()) break;
      const t = corpusText(d);
      (this.buffered ??= { start: this.rows, texts: [] }).texts.push(t);
      this.rows++;
      this.chars += t.length;
    }
    this.send();
    return !this.full();
  }

  /** The head is complete: at its row or character bound, stopping at a piece's end only. */
  private full(): boolean {
    return this.rows % EARLY_PIECE_ROWS === 0 && (this.rows >= EARLY_CORPUS_ROWS || this.chars >= EARLY_CORPUS_CHARS);
  }

  /** Starts the buffered rows' full pieces while fewer than the limit are in flight (a short one is left to the reader). */
  private send(): void {
    while (!this.stopped && this.buffered && this.corpusInFlight < EARLY_PIECES_IN_FLIGHT) {
      const b = this.buffered;
      if (b.texts.length < EARLY_PIECE_ROWS) return;
      const texts = b.texts.splice(0, EARLY_PIECE_ROWS);
      const start = b.start;
      b.start += texts.length;
      if (!b.texts.length) this.buffered = undefined;
      // Silent: the queries' step may be showing; these rows count in the corpus's step when it takes them.
      const data = this.track(this.ctx.embed(texts, this.passageRole, 'corpus (while loading)', silentProgress).then((m) => m.data));
      this.corpusInFlight++;
      data.then(
        () => {
          this.corpusInFlight--;
          this.send();
        },
        // A failed call stops the early work; its error comes out where its rows are taken, or not at all.
        () => {
          this.corpusInFlight--;
          this.stopped = true;
        },
      );
      this.pieces.push({ start, texts, data });
    }
  }

  /** Counts `p` in flight until it settles; its failure is not unhandled (it comes out where it is taken). */
  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const drop = () => void this.inFlight.delete(p);
    p.then(drop, drop);
    return p;
  }

  /** The loading is over: no more early calls; rows read but not sent are left to the corpus reader. */
  loaded(): void {
    this.stopped = true;
    this.buffered = undefined;
  }

  /** The loading failed: no more early calls, and the ones in flight finish (their vectors reach the cache) before the error goes on. */
  async abandon(): Promise<void> {
    this.loaded();
    await this.settle();
  }

  /** The query vectors embedded early, when the queries to evaluate are exactly those texts; else undefined. */
  takeQueries(texts: string[]): Promise<Matrix> | undefined {
    const v = this.queryVectors;
    const same = this.queryTexts !== undefined && this.queryTexts.length === texts.length && this.queryTexts.every((t, i) => t === texts[i]);
    this.queryVectors = undefined;
    this.queryTexts = undefined;
    return same ? v : undefined;
  }

  /**
   * The vectors of corpus rows [start, start + texts.length) with these texts, when an early piece embedded
   * them (a piece is dropped once its last row is taken); else undefined and the caller embeds them.
   */
  takeCorpus(start: number, texts: string[]): Promise<Float32Array> | undefined {
    const i = this.pieces.findIndex((p) => p.start <= start && start + texts.length <= p.start + p.texts.length);
    if (i < 0) return undefined;
    const p = this.pieces[i];
    if (start + texts.length === p.start + p.texts.length) this.pieces.splice(i, 1);
    const o = start - p.start;
    // Not the text the corpus holds for these rows now (a later duplicate changed it): embedded again.
    if (!texts.every((t, r) => t === p.texts[o + r])) return undefined;
    return p.data.then((d) => {
      const dim = d.length / p.texts.length;
      return d.subarray(o * dim, (o + texts.length) * dim);
    });
  }

  /** The task is over: early calls still running (nobody took them: a search that stopped early, another path) are waited for, so none outlives the task. */
  async settle(): Promise<void> {
    this.loaded();
    this.pieces.length = 0;
    this.queryVectors = undefined;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
