import type { CorpusDoc, RetrievalSplit } from '../../core/datasets.js';
import { MtebError } from '../../core/errors.js';
import type { TaskSpec } from '../../core/task-spec.js';
import { findSplit, hasConfig, sourceLayout } from '../layout.js';
import { dataExtension } from '../readers/rows.js';
import { column } from '../readers/rows.js';
import type { DatasetSource } from '../source.js';
import { badValue, checkLimit, rowsOf, str, withTask, type LoadOptions } from './common.js';

/** Extra corpus documents kept per kept query under --limit, so a dry run still has distractors to rank. */
export const LIMIT_DISTRACTORS_PER_QUERY = 10;

function idOf(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/**
 * One (split, subset) of a retrieval task (also v2 reranking in retrieval format): BEIR layout (`corpus.jsonl`,
 * `queries.jsonl`, `qrels/<split>.tsv`) or parquet configs `corpus`, `queries`|`query`, `qrels`|`default`,
 * optional `top_ranked`; non-default subsets use `<subset>-corpus` etc. as mteb 2 does.
 * Queries without qrels are dropped here (both mteb lines drop them before scoring). Qrels scores are int(float(x)).
 * --limit N: the first N queries (queries-file order) that have qrels; their qrels and top_ranked lists; a corpus of
 * their judged and candidate documents plus the first 10·N other documents (file order kept).
 */
export function loadRetrievalSplit(
  source: DatasetSource,
  spec: TaskSpec,
  split: string,
  subset = 'default',
  opts: LoadOptions = {},
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
    for await (const r of rowsOf(source, qrelsFound)) {
      const q = idOf(column(r, 'query-id', 'query_id', 'qid'));
      const d = idOf(column(r, 'corpus-id', 'corpus_id', 'doc_id', 'docid'));
      const raw = column(r, 'score', 'relevance');
      const s = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof s !== 'number' || !Number.isFinite(s)) throw badValue(r, 'score', 'a number', raw);
      let m = allQrels.get(q);
      if (!m) allQrels.set(q, (m = new Map()));
      m.set(d, Math.trunc(s));
    }

    const queriesFound = findSplit(source, [`${p}queries`, `${p}query`], split, { anySplit: true, what: 'queries', task });
    const queries = new Map<string, string>();
    for await (const r of rowsOf(source, queriesFound)) {
      const id = idOf(column(r, '_id', 'id'));
      if (!allQrels.has(id)) continue;
      const t = column(r, 'text');
      if (typeof t !== 'string' && !(Array.isArray(t) && t.every((x) => typeof x === 'string'))) throw badValue(r, 'text', 'a string', t);
      queries.set(id, t as string);
      if (queries.size >= limit) break;
    }
    if (queries.size === 0)
      throw new MtebError('E_BAD_VALUE', `no query of ${queriesFound.files.join(', ')} has qrels in ${qrelsFound.files.join(', ')} (ids differ?)`, {
        file: source.root,
        task,
      });

    const qrels = limit === Infinity ? allQrels : new Map([...queries.keys()].map((q) => [q, allQrels.get(q)!]));

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
    const corpus = new Map<string, CorpusDoc>();
    for await (const r of rowsOf(source, corpusFound)) {
      const id = idOf(column(r, '_id', 'id'));
      if (needed && !needed.has(id)) {
        if (extra <= 0) continue;
        extra--;
      }
      const title = r.row.title;
      corpus.set(id, { title: title === undefined || title === null ? '' : str(r, 'title'), text: str(r, 'text') });
    }
    return topRanked ? { corpus, queries, qrels, topRanked } : { corpus, queries, qrels };
  });
}
