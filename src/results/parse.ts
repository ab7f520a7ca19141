import { readFileSync } from 'node:fs';
import { MtebError } from '../core/errors.js';
import type { ResultFormat, SubsetScores, TaskResult } from './types.js';
import { parseJson } from '../util/json-file.js';

/** Similarity families that pre-1.11 files (and early 1.11 entries) nest metric dicts under. */
const NESTED_FAMILIES = new Set(['cos_sim', 'cosine', 'manhattan', 'euclidean', 'dot', 'max', 'similarity']);
const PRE_111_META = new Set(['mteb_version', 'dataset_revision', 'mteb_dataset_name', 'task_name', 'evaluation_time', 'kg_co2_emissions']);
const ENTRY_META = new Set(['hf_subset', 'languages', 'main_score', 'evaluation_time']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Joins nested metric dicts with `_`; arrays (scores_per_experiment, v_measures) are per-run detail, not scores. */
function flatten(obj: Record<string, Json>, prefix: string, out: Record<string, number>, skip: Set<string>, nonFinite?: string[]): void {
  // for-in, not Object.entries: no [key, value] pair per metric (same order: both follow the object's key order).
  for (const k in obj) {
    const v = obj[k];
    if (!prefix && skip.has(k)) continue;
    const key = prefix ? `${prefix}_${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v === null) nonFinite?.push(key);
    else if (isObject(v)) flatten(v, key, out, skip, nonFinite);
  }
}

/** Entry with its non-finite keys recorded (only when there are any); `mainNull`: main_score was NaN/null. */
function entryOf(hfSubset: string, dict: Record<string, Json>, mainScore: number | undefined, mainNull: boolean): SubsetScores {
  const metrics: Record<string, number> = {};
  const nonFinite: string[] = [];
  flatten(dict, '', metrics, ENTRY_META, nonFinite);
  if (mainNull) nonFinite.push('main_score');
  const e: SubsetScores = { hfSubset, metrics };
  if (mainScore !== undefined) e.mainScore = mainScore;
  if (nonFinite.length) e.nonFinite = nonFinite;
  return e;
}

/**
 * What a reader will look at in a file: the splits (a benchmark's split and its stand-ins) and the hf_subsets
 * its rule reads. Entries inside the plan are flattened into metric maps as the file is read; every other entry
 * keeps only its subset name and main score, and reads the file again if its metrics are ever asked for (a
 * report never does). MTEB(eng, v1) reads 16,244 of the 67,212 entries of the 16,646 files it needs in the
 * whole results repository; flattening all of them was a second of `report` (docs/BENCHMARKS.md). The entries
 * are plain objects: entries with getters holding the parsed dicts until read raised the peak memory by a third.
 */
export interface ReadPlan {
  splits: ReadonlySet<string>;
  subsets: ReadonlySet<string>;
}

/** An entry outside the plan: `metrics` and `nonFinite` are read from the file again, on first access. */
class DeferredEntry implements SubsetScores {
  readonly #file: string;
  readonly #split: string;
  readonly #index: number;
  #full?: SubsetScores;
  mainScore?: number;

  constructor(
    readonly hfSubset: string,
    file: string,
    split: string,
    index: number,
    mainScore: number | undefined,
  ) {
    this.#file = file;
    this.#split = split;
    this.#index = index;
    if (mainScore !== undefined) this.mainScore = mainScore;
  }

  #entry(): SubsetScores {
    return (this.#full ??= readResultFile(this.#file, '').splits[this.#split][this.#index]);
  }

  get metrics(): Record<string, number> {
    return this.#entry().metrics;
  }

  get nonFinite(): string[] | undefined {
    return this.#entry().nonFinite;
  }
}

/** Makes the entry at `split`[`index`]: flattened inside the plan (or with none), deferred outside it. */
type EntryMaker = (split: string, index: number, hfSubset: string, dict: Record<string, Json>, mainScore: number | undefined, mainNull: boolean) => SubsetScores;

function entryMaker(file: string, plan: ReadPlan | undefined): EntryMaker {
  if (!plan) return (_s, _i, hfSubset, dict, ms, mainNull) => entryOf(hfSubset, dict, ms, mainNull);
  return (split, index, hfSubset, dict, ms, mainNull) =>
    plan.splits.has(split) && plan.subsets.has(hfSubset) ? entryOf(hfSubset, dict, ms, mainNull) : new DeferredEntry(hfSubset, file, split, index, ms);
}

/** A pre-1.11 split dict is per-language when its values are metric dicts keyed by something other than a family. */
function isPerLanguage(split: Record<string, Json>): boolean {
  const keys = Object.keys(split).filter((k) => k !== 'evaluation_time');
  if (keys.length === 0) return false;
  if (keys.some((k) => typeof split[k] === 'number')) return false;
  if (keys.every((k) => NESTED_FAMILIES.has(k))) return false;
  return keys.every((k) => isObject(split[k]));
}

function parsePre111(json: Record<string, Json>, file: string, make: EntryMaker): Record<string, SubsetScores[]> {
  const splits: Record<string, SubsetScores[]> = {};
  for (const [name, value] of Object.entries(json)) {
    if (PRE_111_META.has(name) || !isObject(value)) continue;
    const entries: SubsetScores[] = [];
    if (isPerLanguage(value)) {
      for (const [lang, m] of Object.entries(value)) {
        if (lang === 'evaluation_time' || !isObject(m)) continue;
        entries.push(make(name, entries.length, lang, m, undefined, false));
      }
    } else {
      entries.push(make(name, 0, 'default', value, undefined, false));
    }
    splits[name] = entries;
  }
  if (Object.keys(splits).length === 0) {
    throw new MtebError('E_RESULTS', 'pre-1.11 result file holds no split dict', { file });
  }
  return splits;
}

function parse111(scores: Json, file: string, make: EntryMaker): Record<string, SubsetScores[]> {
  if (!isObject(scores)) throw new MtebError('E_RESULTS', '"scores" must be an object of splits', { file, field: 'scores' });
  const splits: Record<string, SubsetScores[]> = {};
  for (const [split, list] of Object.entries(scores)) {
    if (!Array.isArray(list)) {
      throw new MtebError('E_RESULTS', `split "${split}" must be a list of subset entries`, { file, field: `scores.${split}` });
    }
    splits[split] = list.map((entry, i) => {
      if (!isObject(entry)) {
        throw new MtebError('E_RESULTS', 'subset entry is not an object', { file, field: `scores.${split}[${i}]` });
      }
      const hfSubset = typeof entry.hf_subset === 'string' ? entry.hf_subset : 'default';
      const ms = entry.main_score;
      // A main score of the wrong type is a broken file, not a missing value (NaN was turned into null).
      if (ms !== undefined && ms !== null && typeof ms !== 'number') {
        throw new MtebError('E_RESULTS', `main_score must be a number, got ${JSON.stringify(ms).slice(0, 40)}`, { file, field: `scores.${split}[${i}].main_score` });
      }
      return make(split, i, hfSubset, entry, typeof ms === 'number' ? ms : undefined, ms === null);
    });
  }
  return splits;
}

/**
 * Model-card `external` files (no mteb_version, no evaluation_time) store 0 for every MRR the card lacked.
 * Those zeros are removed so no rule can pick them up, and the removal is recorded as a note.
 */
function dropPlaceholderMrr(splits: Record<string, SubsetScores[]>, notes: string[]): void {
  for (const [split, entries] of Object.entries(splits)) {
    for (const e of entries) {
      const mrrKeys = Object.keys(e.metrics).filter((k) => /^mrr(_at_\d+)?$/.test(k));
      if (mrrKeys.length > 0 && mrrKeys.every((k) => e.metrics[k] === 0)) {
        for (const k of mrrKeys) delete e.metrics[k];
        notes.push(`placeholder MRR values (all 0) in split "${split}" subset "${e.hfSubset}" ignored`);
      }
    }
  }
}

export function parseResultJson(raw: unknown, file: string, fallbackTaskName: string): TaskResult {
  return parseResult(raw, file, fallbackTaskName, undefined);
}

/** `plan`: only for a `file` that can be read again (see ReadPlan). */
function parseResult(raw: unknown, file: string, fallbackTaskName: string, plan: ReadPlan | undefined): TaskResult {
  if (!isObject(raw)) throw new MtebError('E_RESULTS', 'result file is not a JSON object', { file });
  const json = raw;
  const format: ResultFormat = 'scores' in json ? '1.11+' : 'pre-1.11';
  const mtebVersion = typeof json.mteb_version === 'string' ? json.mteb_version : null;
  const modelCard = mtebVersion === null && (json.evaluation_time === null || json.evaluation_time === undefined);
  // A model-card file is checked for placeholder MRRs in every entry: it is read whole (such files are small).
  const make = entryMaker(file, modelCard ? undefined : plan);
  const splits = format === '1.11+' ? parse111(json.scores, file, make) : parsePre111(json, file, make);
  const taskName =
    typeof json.task_name === 'string' ? json.task_name
    : typeof json.mteb_dataset_name === 'string' ? json.mteb_dataset_name
    : fallbackTaskName;
  const notes: string[] = [];
  if (modelCard) dropPlaceholderMrr(splits, notes);
  const ours = isObject(json.mteb_ts) ? json.mteb_ts : undefined;
  if (ours && typeof ours.limit === 'number') notes.push(`dry run (--limit ${ours.limit}): not a full evaluation`);
  if (json.mteb_version !== undefined && json.mteb_version !== null && typeof json.mteb_version !== 'string') {
    throw new MtebError('E_RESULTS', '"mteb_version" must be a string', { file, field: 'mteb_version' });
  }
  if (json.dataset_revision !== undefined && json.dataset_revision !== null && typeof json.dataset_revision !== 'string') {
    throw new MtebError('E_RESULTS', '"dataset_revision" must be a string', { file, field: 'dataset_revision' });
  }
  const result: TaskResult = {
    taskName,
    file,
    format,
    mtebVersion,
    datasetRevision: typeof json.dataset_revision === 'string' ? json.dataset_revision : null,
    splits,
    notes,
  };
  if (typeof json.date === 'number') result.date = json.date;
  if (ours && typeof ours.protocol === 'string') result.protocol = ours.protocol;
  if (ours && typeof ours.limit === 'number') result.limit = ours.limit;
  return result;
}

/** Reads one result file; with a plan, entries outside it are read again only if asked for (see ReadPlan). */
export function readResultFile(file: string, fallbackTaskName: string, plan?: ReadPlan): TaskResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // Absent = E_FILE_MISSING; present but unreadable (a directory, no permission) is a broken result.
    const err = e as NodeJS.ErrnoException;
    throw new MtebError(err.code === 'ENOENT' ? 'E_FILE_MISSING' : 'E_RESULTS', `cannot read result file: ${err.message}`, { file });
  }
  let raw: unknown;
  const nonFinite: string[] = [];
  // A broken result is named by its file alone: gate/compare/report print it as `<file>: ... unusable`.
  raw = parseJson(pythonJsonToJson(text, nonFinite), { file }, { locate: false });
  const result = parseResult(raw, file, fallbackTaskName, plan);
  // NaN in side metrics (nAUC of a constant curve) is routine in mteb files; only a non-finite main score
  // changes what a leaderboard shows, so only that is reported.
  const badMain = nonFinite.length ? (text.match(/"main_score"\s*:\s*(?:NaN|-?Infinity)/g)?.length ?? 0) : 0;
  if (nonFinite.length) result.nonFiniteToken = nonFinite[0];
  if (badMain) result.notes.push(`main_score is ${nonFinite[0] ?? 'NaN'} in ${badMain} subset(s): not a score`);
  return result;
}

/** A bare non-finite token as Python's json writes it; where it stands decides whether it is one. */
const PY_TOKEN = /-?Infinity|NaN/g;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The token at [start, end) stands where a JSON value goes: after `:` `,` `[`, before `,` `]` `}` or the end. */
function inValuePosition(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  const before = text.charCodeAt(i);
  if (before !== 58 /* : */ && before !== 44 /* , */ && before !== 91 /* [ */) return false;
  let j = end;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  if (j === text.length) return true;
  const after = text.charCodeAt(j);
  return after === 44 || after === 93 /* ] */ || after === 125 /* } */;
}

/**
 * Python's json module writes NaN/Infinity/-Infinity as bare tokens (mteb does, e.g. nAUC metrics of a
 * degenerate query set); JSON.parse rejects them, so each one standing as a value outside of strings becomes
 * null (`seen` gets the tokens replaced, in order). Words inside strings (keys, task descriptions) are left
 * alone. Only files holding such a word are scanned, and only from one candidate to the next: the string state
 * is carried forward by jumping from quote to quote, instead of a regex pass over every string of the file.
 */
export function pythonJsonToJson(text: string, seen: string[] = []): string {
  if (!text.includes('NaN') && !text.includes('Infinity')) return text;
  const parts: string[] = [];
  let copied = 0; // text[0, copied) is in parts
  let scanned = 0; // string state known up to here
  let inString = false;
  PY_TOKEN.lastIndex = 0;
  for (let m = PY_TOKEN.exec(text); m; m = PY_TOKEN.exec(text)) {
    const start = m.index;
    for (let q = text.indexOf('"', scanned); q >= 0 && q < start; q = text.indexOf('"', q + 1)) {
      if (inString) {
        let slashes = 0;
        while (text.charCodeAt(q - 1 - slashes) === 92 /* \ */) slashes++;
        if (slashes % 2 === 1) continue; // an escaped quote inside the string
      }
      inString = !inString;
    }
    scanned = start;
    const end = start + m[0].length;
    if (inString || !inValuePosition(text, start, end)) continue;
    parts.push(text.slice(copied, start), 'null');
    copied = end;
    seen.push(m[0]);
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Looks a metric up under each of its historical spellings, first hit wins. */
export function getMetric(metrics: Record<string, number>, aliases: readonly string[]): { key: string; value: number } | undefined {
  for (const key of aliases) {
    const v = metrics[key];
    if (typeof v === 'number') return { key, value: v };
  }
  return undefined;
}
