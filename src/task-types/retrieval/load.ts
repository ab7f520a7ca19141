import type { CorpusDoc, RetrievalSplit } from '../../core/datasets.js';
import { CorpusText, corpusDocOf, corpusIdOf, corpusTextInMemoryBytes } from '../../data/corpus-text.js';
import { MtebError } from '../../core/errors.js';
import { findSplit, hasConfig, sourceLayout } from '../../data/layout.js';
import { dataExtension } from '../../data/readers/rows.js';
import { column } from '../../data/readers/rows.js';
import { scanJsonlRows } from '../../data/readers/jsonl-ids.js';
import type { DatasetSource } from '../../data/source.js';
import { badValue, checkLimit, num, rowsOf, withTask, type LoadOptions } from '../../data/split-rows.js';

/** Extra corpus documents kept per kept query under --limit, so a dry run still has distractors to rank. */
export const LIMIT_DISTRACTORS_PER_QUERY = 10;

function idOf(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * One (split, subset) of a retrieval task (also v2 reranking in retrieval format): BEIR layout (`corpus.jsonl`,
 * `queries.jsonl`, `qrels/<split>.tsv`) or parquet configs `corpus`, `queries`|`query`, `qrels`|`default`,
 * optional `top_ranked`; non-default subsets use `<subset>-corpus` etc. as mteb 2 does.
 * Queries without qrels are dropped here (both mteb lines drop them before scoring). Qrels scores are int(float(x));
 * an empty or non-numeric score is an E_BAD_VALUE error naming file and line (never relevance 0). An id seen again
 * with different content (a qrels pair with another score, a query or document with another text) is a warning
 * with the count and an example; the last one counts, as in mteb.
 * --limit N: the first N queries (queries-file order) that have qrels; their qrels and top_ranked lists; a corpus of
 * their judged and candidate documents plus the first 10·N other documents (file order kept).
 * The corpus comes back as a CorpusText (../corpus-text.ts): ids and row places always, the text only up to
 * `corpusTextInMemoryBytes` (64 MiB); a larger corpus is read back from its file(s) in corpus order when embedded.
 */
export interface RetrievalLoadOptions extends LoadOptions {
  /** Where data warnings go (the run's `ctx.warn`): judged documents missing from the corpus, judged queries without text. */
  warn?: (message: string) => void;
  /**
   * Corpus text held in memory up to this many bytes (2 a UTF-16 code unit); above it only ids and row places are
   * held and the text is read back from the files when embedded. Default CORPUS_TEXT_IN_MEMORY_BYTES (64 MiB) or
   * the MTEB_TS_CORPUS_TEXT_IN_MEMORY_BYTES environment variable.
   */
  corpusTextInMemoryBytes?: number;
  /**
   * Hold no corpus text and take each JSON-lines corpus row by its id alone where it can (`--shard` runs, which
   * embed only their own chunks' rows and read those back from the file): CorpusText.textUnheld, rows scanned by
   * src/data/readers/jsonl-ids.ts; a row whose id the scan cannot take, or whose id was seen before (duplicates
   * compare texts), is parsed in full. The split is the same (ids, order, chunk boundaries, duplicate warning); a
   * malformed row is reported by the pass that parses it, the read-back of its chunk. Ignored under --limit, with
   * `early`, or where a corpus file is not JSON lines (those keep the full pass).
   */
  corpusTextUnheld?: boolean;
  /** Leave the corpus rows unread (CorpusText.unread): `merge` scoring a corpus from the shards' top-k lists. */
  corpusUnread?: boolean;
  /**
   * Embedding started while the split loads (the run's EarlyEmbeddings, ./early-embed.ts): told the texts of the
   * queries that will be evaluated (those with a non-empty qrels entry, in queries order) as soon as they are
   * read, then, where there is no top_ranked list, each new corpus document in corpus order until it returns
   * false. Only a hint: the split returned is the same with or without it.
   */
  early?: { queries(texts: string[]): void; corpus(start: number, docs: CorpusDoc[]): boolean };
}

/** Corpus documents handed to `early.corpus` at once. */
const EARLY_HAND_ROWS = 100;

/** Where a qrels row came from, kept for ids that hold whitespace (the usual sign of a malformed line). */
interface RowPlace {
  file: string;
  line?: number;
  index: number;
}

const WS_RE = /[\s\u0085\u00a0\ufeff]/;

function isDelimitedText(file: string): boolean {
  return /\.(tsv|tsv\.gz|csv)$/i.test(file);
}

function qrelsIdError(kind: 'query-id' | 'corpus-id', id: string, at: RowPlace, what: string): MtebError {
  return new MtebError(
    isDelimitedText(at.file) ? 'E_PARSE' : 'E_BAD_VALUE',
    `${kind} ${JSON.stringify(id)} contains whitespace and is no ${what} id, so the judgement could never count (a stray space in the line, or a space where a tab belongs?)${at.line === undefined ? ` (row ${at.index})` : ''}`,
    { file: at.file, line: at.line, field: kind },
  );
}

export function loadRetrievalSplit(
  source: DatasetSource,
  spec: { name: string },
  split: string,
  subset = 'default',
  opts: RetrievalLoadOptions = {},
): Promise<RetrievalSplit> {
  return withTask(spec.name, async () => {
    const limit = checkLimit(opts);
    const p = subset === 'default' ? '' : `${subset}-`;
    const task = spec.name;

    const qrelsConfigs = subset === 'default' ? ['qrels', 'default'] : [`${p}qrels`];
    const layout = sourceLayout(source);
    const defaultIsOnlyRootFiles = [...(layout.get('default')?.splits.keys() ?? [])].every((s) => s === 'corpus' || s === 'queries' || s === 'query');
    if (!layout.has(qrelsConfigs[0]) && (subset !== 'default' || defaultIsOnlyRootFiles))
      throw new MtebError(
        'E_FILE_MISSING',
        `no qrels in ${source.id}: expected ${subset === 'default' ? `qrels/${split}.tsv or a "default" config with split "${split}"` : `a "${p}qrels" config`}; data files present: ${source.listFiles().filter((f) => dataExtension(f)).join(', ') || '(none)'}`,
        { file: source.root, task, field: 'qrels' },
      );
    const qrelsFound = findSplit(source, qrelsConfigs, split, { what: 'qrels', task });
    const allQrels = new Map<string, Map<string, number>>();
    const spacedQueries = new Map<string, RowPlace>();
    const spacedDocs = new Map<string, RowPlace>();
    let conflicts = 0;
    let conflictExample = '';
    for await (const r of rowsOf(source, qrelsFound)) {
      const q = idOf(column(r, 'query-id', 'query_id', 'qid'));
      const d = idOf(column(r, 'corpus-id', 'corpus_id', 'doc_id', 'docid'));
      for (const [kind, id] of [['query-id', q], ['corpus-id', d]] as const) {
        if (id === '') {
          throw new MtebError(isDelimitedText(r.file) ? 'E_PARSE' : 'E_BAD_VALUE', `${kind} is empty${r.line === undefined ? ` (row ${r.index})` : ''}`, {
            file: r.file,
            line: r.line,
            field: kind,
          });
        }
        const spaced = kind === 'query-id' ? spacedQueries : spacedDocs;
        if (WS_RE.test(id) && !spaced.has(id)) spaced.set(id, { file: r.file, line: r.line, index: r.index });
      }
      // The shared number rule (common.ts num): an empty or blank field is an error, never relevance 0.
      const s = Math.trunc(num(r, 'score', 'relevance'));
      let m = allQrels.get(q);
      if (!m) allQrels.set(q, (m = new Map()));
      const prev = m.get(d);
      if (prev !== undefined && prev !== s) {
        if (conflicts++ === 0) conflictExample = `${JSON.stringify(q)}/${JSON.stringify(d)}: ${prev} then ${s}${r.line !== undefined ? ` (line ${r.line})` : ''}`;
      }
      m.set(d, s);
    }
    if (conflicts > 0)
      opts.warn?.(
        `${qrelsFound.files.join(', ')}: ${conflicts} (query, document) pair${conflicts === 1 ? ' is' : 's are'} judged again with a different score; the last one counts (as in mteb), e.g. ${conflictExample}`,
      );

    const queriesFound = findSplit(source, [`${p}queries`, `${p}query`], split, { anySplit: true, what: 'queries', task });
    const queries = new Map<string, string>();
    let dupQueries = 0;
    let dupQueryExample = '';
    const queryIds = limit === Infinity ? new Set<string>() : null;
    for await (const r of rowsOf(source, queriesFound)) {
      const id = idOf(column(r, '_id', 'id'));
      queryIds?.add(id);
      if (!allQrels.has(id)) continue;
      const t = column(r, 'text');
      if (typeof t !== 'string' && !(Array.isArray(t) && t.every((x) => typeof x === 'string'))) throw badValue(r, 'text', 'a string', t);
      const before = queries.get(id);
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(t) && dupQueries++ === 0) dupQueryExample = id;
      queries.set(id, t as string);
      if (queries.size >= limit) break;
    }
    if (dupQueries > 0)
      opts.warn?.(
        `${queriesFound.files.join(', ')}: ${dupQueries} query id${dupQueries === 1 ? ' appears' : 's appear'} again with a different text; the last one is used (as in mteb), e.g. ${JSON.stringify(dupQueryExample)}`,
      );
    if (queries.size === 0)
      throw new MtebError('E_BAD_VALUE', `no query of ${queriesFound.files.join(', ')} has qrels in ${qrelsFound.files.join(', ')} (ids differ?)`, {
        file: source.root,
        task,
      });

    const qrels = limit === Infinity ? allQrels : new Map([...queries.keys()].map((q) => [q, allQrels.get(q)!]));
    if (opts.early) {
      const texts: string[] = [];
      for (const [id, text] of queries) if (qrels.get(id)?.size) texts.push(text);
      opts.early.queries(texts);
    }

    let topRanked: Map<string, string[]> | undefined;
    const trConfig = `${p}top_ranked`;
    if (hasConfig(source, [trConfig])) {
      topRanked = new Map();
      const found = findSplit(source, [trConfig], split, { anySplit: true, what: 'top_ranked', task });
      for await (const r of rowsOf(source, found)) {
        const q = idOf(column(r, 'query-id', 'query_id'));
        if (limit !== Infinity && !queries.has(q)) continue;
        const ids = column(r, 'corpus-ids', 'corpus_ids');
        if (!Array.isArray(ids)) throw badValue(r, 'corpus-ids', 'a list of document ids', ids);
        topRanked.set(q, ids.map(idOf));
      }
    }

    let needed: Set<string> | null = null;
    if (limit !== Infinity) {
      needed = new Set();
      for (const m of qrels.values()) for (const d of m.keys()) needed.add(d);
      if (topRanked) for (const l of topRanked.values()) for (const d of l) needed.add(d);
    }
    let extra = limit === Infinity ? 0 : LIMIT_DISTRACTORS_PER_QUERY * queries.size;
    const corpusFound = findSplit(source, [`${p}corpus`], split, { anySplit: true, what: 'corpus', task });
    if (opts.corpusUnread) {
      const corpus = CorpusText.unread(corpusFound.files.map((f) => source.path(f)));
      if (queryIds) checkJudgedQueries(allQrels, queryIds, spacedQueries, qrelsFound.files.join(', '), opts.warn);
      return topRanked ? { corpus, queries, qrels, topRanked } : { corpus, queries, qrels };
    }
    const corpusFiles = corpusFound.files.map((f) => source.path(f));
    const unheld = opts.corpusTextUnheld && limit === Infinity && !opts.early && corpusFiles.every((f) => /^jsonl(\.gz)?$/.test(dataExtension(f) ?? ''));
    const corpus = unheld ? CorpusText.textUnheld(corpusFiles) : new CorpusText(corpusFiles, opts.corpusTextInMemoryBytes ?? corpusTextInMemoryBytes());
    let row = -1;
    // New documents for the early embedding, handed over EARLY_HAND_ROWS at a time from position `earlyStart`.
    let early = topRanked ? undefined : opts.early;
    let earlyStart = 0;
    let earlyDocs: CorpusDoc[] = [];
    if (unheld) {
      for (const f of corpusFiles)
        await scanJsonlRows(f, {}, (id, parse) => {
          row++;
          if (id !== undefined && corpus.addNew(id, row)) return;
          const r = parse();
          corpus.add(corpusIdOf(r), corpusDocOf(r), row);
        });
    } else for await (const r of rowsOf(source, corpusFound)) {
      row++;
      const id = corpusIdOf(r);
      if (needed && !needed.has(id)) {
        if (extra <= 0) continue;
        extra--;
      }
      const doc = corpusDocOf(r);
      if (corpus.add(id, doc, row) === 'new' && early && earlyDocs.push(doc) === EARLY_HAND_ROWS) {
        if (!early.corpus(earlyStart, earlyDocs)) early = undefined;
        earlyStart += earlyDocs.length;
        earlyDocs = [];
      }
    }
    if (early && earlyDocs.length) early.corpus(earlyStart, earlyDocs);
    corpus.done();
    await corpus.resolveDuplicates();
    const { count: dupDocs, example: dupDocExample } = corpus.changedDuplicates;
    if (dupDocs > 0)
      opts.warn?.(
        `${corpusFound.files.join(', ')}: ${dupDocs} document id${dupDocs === 1 ? ' appears' : 's appear'} again with a different title or text; the last one is used (as in mteb), e.g. ${JSON.stringify(dupDocExample)}`,
      );
    const qrelsFiles = qrelsFound.files.join(', ');
    if (queryIds) checkJudgedQueries(allQrels, queryIds, spacedQueries, qrelsFiles, opts.warn);
    checkJudgedDocs(qrels, corpus, spacedDocs, qrelsFiles, opts.warn);
    return topRanked ? { corpus, queries, qrels, topRanked } : { corpus, queries, qrels };
  });
}

/**
 * Judged queries without a text in the queries file are not evaluated (mteb drops them too): a warning with the
 * count and an example; an id holding whitespace is a malformed qrels line and an error naming it.
 */
function checkJudgedQueries(
  qrels: Map<string, Map<string, number>>,
  queryIds: Set<string>,
  spaced: Map<string, RowPlace>,
  files: string,
  warn?: (m: string) => void,
): void {
  let missing = 0;
  let example: string | undefined;
  for (const q of qrels.keys()) {
    if (queryIds.has(q)) continue;
    const at = spaced.get(q);
    if (at) throw qrelsIdError('query-id', q, at, 'query');
    if (missing++ === 0) example = q;
  }
  if (missing > 0) {
    warn?.(
      `${files}: ${missing} of ${qrels.size} judged quer${missing === 1 ? 'y has' : 'ies have'} no text in the queries file and ${missing === 1 ? 'is' : 'are'} not evaluated (as in mteb), e.g. ${JSON.stringify(example)}`,
    );
  }
}

/**
 * Judged documents missing from the corpus can never be retrieved (they still count in recall and nDCG's ideal
 * ranking, as in mteb): a warning with counts and an example; an id holding whitespace is an error naming the
 * qrels line (`1<TAB> 0 31715818<TAB>1` would otherwise score 0 silently).
 */
function checkJudgedDocs(
  qrels: Map<string, Map<string, number>>,
  corpus: { has(id: string): boolean },
  spaced: Map<string, RowPlace>,
  files: string,
  warn?: (m: string) => void,
): void {
  let judgements = 0;
  let missing = 0;
  let missingRelevant = 0;
  const missingDocs = new Set<string>();
  let example: [string, string] | undefined;
  for (const [q, m] of qrels) {
    for (const [d, rel] of m) {
      judgements++;
      if (corpus.has(d)) continue;
      const at = spaced.get(d);
      if (at) throw qrelsIdError('corpus-id', d, at, 'corpus document');
      missing++;
      if (rel > 0) missingRelevant++;
      missingDocs.add(d);
      if (!example || (rel > 0 && (qrels.get(example[0])?.get(example[1]) ?? 0) <= 0)) example = [q, d];
    }
  }
  if (missing > 0 && example) {
    warn?.(
      `${files}: ${missing} of ${judgements} judgements (${missingRelevant} relevant) name ${missingDocs.size} document${missingDocs.size === 1 ? '' : 's'} missing from the corpus, e.g. ${JSON.stringify(example[1])} (query ${JSON.stringify(example[0])}); a relevant one can never be retrieved, which lowers recall and nDCG as it does in mteb`,
    );
  }
}
