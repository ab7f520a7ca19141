import { bool, fileName, isObj, oneOf, str, strList, strOrEmpty } from './checks.js';
import { expected, field, structField, typeSchema, type SchemaIssue } from './kit.js';

/** Which mteb release line's protocol a task's scores follow (see docs/protocol.md). */
import { PROTOCOLS, type Protocol } from '../../core/protocol.js';
export { PROTOCOLS, type Protocol };

export interface InstructionSpec {
  /** Instruction for the query side (or for every text of a symmetric task). null = known to have none. */
  query?: string | null;
  /** Instruction for passages; NV-Embed uses none ('' in its instructions.json). */
  passage?: string | null;
  /** Where the text comes from: 'nvembed-instructions.json', 'mteb-prompt', 'user', ... */
  source: string;
}

/** `path` is a hub id (`mteb/arguana`) or a local folder (relative to the task file that names it). */
export interface DatasetRef {
  path: string;
  revision?: string;
}

const unknownKeys = (o: Record<string, unknown>, path: string, allowed: readonly string[]): SchemaIssue[] =>
  Object.keys(o)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: `${path}.${k}`, message: `unknown field (allowed: ${allowed.join(', ')})` }));

const dataset = structField<DatasetRef>((v, p) => {
  if (!isObj(v)) return [expected(p, 'an object {path, revision?}', v)];
  const out: SchemaIssue[] = [];
  if (str(v.path)) out.push(expected(`${p}.path`, 'a hub id "org/name" or a local folder', v.path));
  if (v.revision !== undefined && str(v.revision)) out.push(expected(`${p}.revision`, 'a non-empty string', v.revision));
  return [...out, ...unknownKeys(v, p, ['path', 'revision'])];
});

const instruction = structField<InstructionSpec | null>((v, p) => {
  if (v === null) return [];
  if (!isObj(v)) return [expected(p, 'null or an object {query?, passage?, source}', v)];
  const out: SchemaIssue[] = [];
  if (str(v.source)) out.push(expected(`${p}.source`, 'a non-empty string', v.source));
  for (const side of ['query', 'passage'])
    if (v[side] !== undefined && v[side] !== null && typeof v[side] !== 'string') out.push(expected(`${p}.${side}`, 'a string or null', v[side]));
  return [...out, ...unknownKeys(v, p, ['query', 'passage', 'source'])];
});

const evalLangs = structField<string[] | Record<string, string[]>>((v, p) => {
  if (Array.isArray(v)) {
    const m = strList(v);
    return m ? [expected(p, m, v)] : [];
  }
  if (!isObj(v)) return [expected(p, 'an array of language codes or an object subset -> codes', v)];
  return Object.entries(v).flatMap(([sk, sv]) => {
    const m = strList(sv);
    return m ? [expected(`${p}.${sk}`, m, sv)] : [];
  });
});

/**
 * Fields every task type has, with field names as mteb names them, so `mteb-ts tasks --json` output can be saved
 * and edited into a task file. `type` is checked by the validator against the task-type table.
 */
export const COMMON_SCHEMA = typeSchema(
  'common',
  {
    name: field<string>(fileName),
    description: field<string>(strOrEmpty),
    dataset,
    eval_splits: field<string[]>(strList),
    /** Subsets (HF configs) to evaluate; default ['default']. For multilingual datasets only the English one. */
    hf_subsets: field<string[]>(strList),
    eval_langs: evalLangs,
    main_score: field<string>(str),
    protocol: field<Protocol>(oneOf(...PROTOCOLS)),
    category: field<string>(str),
    /** NV-Embed's instruction for this task; null when no source gives one (never invented). */
    instruction,
    /** Aggregate tasks (CQADupstackRetrieval): the tasks whose scores it averages. */
    aggregate_of: field<string[]>(strList),
  },
  { required: ['name', 'dataset', 'eval_splits', 'main_score'], defaults: { protocol: 'mteb-1' } },
);

/** Fields of retrieval-style scoring, shared by Retrieval and (v2, retrieval-format) Reranking. */
export const RETRIEVAL_SCORING_FIELDS = {
  ignore_identical_ids: field<boolean>(bool),
  /** Reranking v2: score = max over sub-queries `<qid>_<i>` (MindSmall). */
  max_over_subqueries: field<boolean>(bool),
  /** Retrieval: both queries and passages get the instruction (QuoraRetrieval for NV-Embed). */
  symmetric: field<boolean>(bool),
};
/** Flags (`symmetric`, `max_over_subqueries`) are off when absent; ignore_identical_ids is always stated after loading. */
export const RETRIEVAL_SCORING_DEFAULTS = { ignore_identical_ids: false } as const;
