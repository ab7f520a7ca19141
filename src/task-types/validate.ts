import { MtebError } from '../core/errors.js';
import { TASK_TYPES, type TaskSpec } from '../core/task-spec.js';

/**
 * Hand-written validation of the task-file schema (docs/tasks.md) so every error names the file and the JSON path
 * of the offending value and says what was expected; unknown keys are rejected because a misspelt protocol
 * parameter (`samples_per_lable`) would otherwise silently fall back to a default and change scores.
 */

type Check = (v: unknown) => string | null;

const str: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'a non-empty string');
/** Result files are named `<name>.json`: a name must be a plain file name, never a path out of the output folder. */
const fileName: Check = (v) =>
  typeof v === 'string' && v.length > 0 && !/[\\/]/.test(v) && v !== '.' && v !== '..' && !v.startsWith('.')
    ? null
    : 'a non-empty name without "/", "\\" or a leading "." (it names the result file)';
const strOrEmpty: Check = (v) => (typeof v === 'string' ? null : 'a string');
const bool: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');
const posInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : 'a positive integer');
const num: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'a finite number');
const nullOr =
  (c: Check): Check =>
  (v) =>
    v === null ? null : (c(v) ?? null) === null ? null : `null or ${c(v)}`;
const oneOf =
  (...vals: string[]): Check =>
  (v) =>
    typeof v === 'string' && vals.includes(v) ? null : `one of ${vals.map((x) => JSON.stringify(x)).join(', ')}`;
const fraction: Check = (v) =>
  typeof v === 'number' && v > 0 && v <= 1 ? null : 'a number in (0, 1]';

const subsampleSpec: Check = (v) => {
  const want = 'an object {size: positive integer, stratified: true|false, seed?: integer >= 0}';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return want;
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['size', 'stratified', 'seed'].includes(k));
  if (extra.length) return `${want} (unknown key ${JSON.stringify(extra[0])})`;
  if (!Number.isInteger(o.size) || (o.size as number) <= 0) return `${want} (bad size)`;
  if (typeof o.stratified !== 'boolean') return `${want} (bad stratified)`;
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && (o.seed as number) >= 0)) return `${want} (bad seed)`;
  return null;
};

function strList(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) return 'a non-empty array of strings';
  const bad = v.findIndex((x) => typeof x !== 'string' || x.length === 0);
  return bad >= 0 ? `a non-empty array of strings (element ${bad} is ${JSON.stringify(v[bad])})` : null;
}

const FIELDS: Record<string, Check | 'dataset' | 'instruction' | 'eval_langs'> = {
  name: fileName,
  type: oneOf(...TASK_TYPES),
  description: strOrEmpty,
  dataset: 'dataset',
  eval_splits: strList,
  hf_subsets: strList,
  eval_langs: 'eval_langs',
  main_score: str,
  protocol: oneOf('mteb-1', 'mteb-2'),
  category: str,
  instruction: 'instruction',
  ignore_identical_ids: bool,
  max_over_subqueries: bool,
  symmetric: bool,
  samples_per_label: posInt,
  n_experiments: posInt,
  train_split: str,
  test_subsample_size: posInt,
  clustering_variant: oneOf('legacy', 'fast'),
  max_fraction_of_documents_to_embed: nullOr(fraction),
  max_documents_per_cluster: posInt,
  n_bootstrap_rounds: posInt,
  label_separator: str,
  drop_singleton_labels: bool,
  test_subsample: subsampleSpec,
  min_score: num,
  max_score: num,
  summarization_variant: oneOf('legacy', 'fixed'),
  aggregate_of: strList,
};
const REQUIRED = ['name', 'type', 'dataset', 'eval_splits', 'main_score'];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface SchemaIssue {
  path: string;
  message: string;
}

/** All problems of one task object (empty = valid). `path` is a JSON path like `$.dataset.revision`. */
export function taskSchemaIssues(obj: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const bad = (path: string, expected: string, v: unknown) =>
    issues.push({ path, message: `expected ${expected}, got ${JSON.stringify(v) ?? 'undefined'}` });
  if (!isObj(obj)) {
    bad('$', 'a JSON object', obj);
    return issues;
  }
  for (const k of REQUIRED) if (!(k in obj)) issues.push({ path: `$.${k}`, message: 'required field is missing' });
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'id' || k === 'source_dir' || k.startsWith('$') || k.startsWith('_')) continue; // ids/comments
    const check = FIELDS[k];
    const p = `$.${k}`;
    if (!check) {
      issues.push({ path: p, message: `unknown field (allowed: ${Object.keys(FIELDS).join(', ')})` });
    } else if (check === 'dataset') {
      if (!isObj(v)) bad(p, 'an object {path, revision?}', v);
      else {
        if (str(v.path)) bad(`${p}.path`, 'a hub id "org/name" or a local folder', v.path);
        if (v.revision !== undefined && str(v.revision)) bad(`${p}.revision`, 'a non-empty string', v.revision);
        for (const dk of Object.keys(v))
          if (dk !== 'path' && dk !== 'revision') issues.push({ path: `${p}.${dk}`, message: 'unknown field (allowed: path, revision)' });
      }
    } else if (check === 'instruction') {
      if (v === null) continue;
      if (!isObj(v)) bad(p, 'null or an object {query?, passage?, source}', v);
      else {
        if (str(v.source)) bad(`${p}.source`, 'a non-empty string', v.source);
        for (const side of ['query', 'passage'])
          if (v[side] !== undefined && v[side] !== null && typeof v[side] !== 'string') bad(`${p}.${side}`, 'a string or null', v[side]);
        for (const ik of Object.keys(v))
          if (!['query', 'passage', 'source'].includes(ik)) issues.push({ path: `${p}.${ik}`, message: 'unknown field (allowed: query, passage, source)' });
      }
    } else if (check === 'eval_langs') {
      if (Array.isArray(v)) {
        const m = strList(v);
        if (m) bad(p, m, v);
      } else if (isObj(v)) {
        for (const [sk, sv] of Object.entries(v)) {
          const m = strList(sv);
          if (m) bad(`${p}.${sk}`, m, sv);
        }
      } else bad(p, 'an array of language codes or an object subset -> codes', v);
    } else {
      const m = check(v);
      if (m) bad(p, m, v);
    }
  }
  if (isObj(obj) && typeof obj.min_score === 'number' && typeof obj.max_score === 'number' && obj.min_score >= obj.max_score)
    issues.push({ path: '$.max_score', message: `expected max_score > min_score (${obj.min_score})` });
  return issues;
}

/** Validates and returns the object as a TaskSpec; throws E_TASK_SCHEMA naming the first problem (and how many more). */
export function validateTaskSpec(obj: unknown, file: string, line?: (path: string) => number | undefined): TaskSpec {
  const issues = taskSchemaIssues(obj);
  if (issues.length) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1, 4).map((i) => i.path).join(', ')})` : '';
    const task = isObj(obj) && typeof obj.name === 'string' ? obj.name : undefined;
    throw new MtebError('E_TASK_SCHEMA', `${first.path}: ${first.message}${more}`, {
      file,
      line: line?.(first.path),
      field: first.path.replace(/^\$\.?/, ''),
      task,
    });
  }
  return obj as unknown as TaskSpec;
}
