import { readFileSync } from 'node:fs';
import { PY_NONFINITE_TOKENS } from '../output/python-json.js';
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
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && skip.has(k)) continue;
    const key = prefix ? `${prefix}_${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (v === null) nonFinite?.push(key);
    else if (isObject(v)) flatten(v, key, out, skip, nonFinite);
  }
}

/** Entry with its non-finite keys recorded (only when there are any). */
function entryOf(hfSubset: string, metrics: Record<string, number>, nonFinite: string[], mainScore?: number): SubsetScores {
  const e: SubsetScores = { hfSubset, metrics };
  if (mainScore !== undefined) e.mainScore = mainScore;
  if (nonFinite.length) e.nonFinite = nonFinite;
  return e;
}

/** A pre-1.11 split dict is per-language when its values are metric dicts keyed by something other than a family. */
function isPerLanguage(split: Record<string, Json>): boolean {
  const keys = Object.keys(split).filter((k) => k !== 'evaluation_time');
  if (keys.length === 0) return false;
  if (keys.some((k) => typeof split[k] === 'number')) return false;
  if (keys.every((k) => NESTED_FAMILIES.has(k))) return false;
  return keys.every((k) => isObject(split[k]));
}

function parsePre111(json: Record<string, Json>, file: string): Record<string, SubsetScores[]> {
  const splits: Record<string, SubsetScores[]> = {};
  for (const [name, value] of Object.entries(json)) {
    if (PRE_111_META.has(name) || !isObject(value)) continue;
    const entries: SubsetScores[] = [];
    if (isPerLanguage(value)) {
      for (const [lang, m] of Object.entries(value)) {
        if (lang === 'evaluation_time' || !isObject(m)) continue;
        const metrics: Record<string, number> = {};
        const nonFinite: string[] = [];
        flatten(m, '', metrics, ENTRY_META, nonFinite);
        entries.push(entryOf(lang, metrics, nonFinite));
      }
    } else {
      const metrics: Record<string, number> = {};
      const nonFinite: string[] = [];
      flatten(value, '', metrics, ENTRY_META, nonFinite);
      entries.push(entryOf('default', metrics, nonFinite));
    }
    splits[name] = entries;
  }
  if (Object.keys(splits).length === 0) {
    throw new MtebError('E_RESULTS', 'pre-1.11 result file holds no split dict', { file });
  }
  return splits;
}

function parse111(scores: Json, file: string): Record<string, SubsetScores[]> {
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
      const metrics: Record<string, number> = {};
      const nonFinite: string[] = [];
      flatten(entry, '', metrics, ENTRY_META, nonFinite);
      const hfSubset = typeof entry.hf_subset === 'string' ? entry.hf_subset : 'default';
      const ms = entry.main_score;
      // A main score of the wrong type is a broken file, not a missing value (NaN was turned into null).
      if (ms !== undefined && ms !== null && typeof ms !== 'number') {
        throw new MtebError('E_RESULTS', `main_score must be a number, got ${JSON.stringify(ms).slice(0, 40)}`, { file, field: `scores.${split}[${i}].main_score` });
      }
      if (ms === null) nonFinite.push('main_score');
      return entryOf(hfSubset, metrics, nonFinite, typeof ms === 'number' ? ms : undefined);
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
  if (!isObject(raw)) throw new MtebError('E_RESULTS', 'result file is not a JSON object', { file });
  const json = raw;
  const format: ResultFormat = 'scores' in json ? '1.11+' : 'pre-1.11';
  const splits = format === '1.11+' ? parse111(json.scores, file) : parsePre111(json, file);
  const taskName =
    typeof json.task_name === 'string' ? json.task_name
    : typeof json.mteb_dataset_name === 'string' ? json.mteb_dataset_name
    : fallbackTaskName;
  const notes: string[] = [];
  const mtebVersion = typeof json.mteb_version === 'string' ? json.mteb_version : null;
  if (mtebVersion === null && (json.evaluation_time === null || json.evaluation_time === undefined)) {
    dropPlaceholderMrr(splits, notes);
  }
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

export function readResultFile(file: string, fallbackTaskName: string): TaskResult {
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
  const result = parseResultJson(raw, file, fallbackTaskName);
  // NaN in side metrics (nAUC of a constant curve) is routine in mteb files; only a non-finite main score
  // changes what a leaderboard shows, so only that is reported.
  const badMain = nonFinite.length ? (text.match(/"main_score"\s*:\s*(?:NaN|-?Infinity)/g)?.length ?? 0) : 0;
  if (nonFinite.length) result.nonFiniteToken = nonFinite[0];
  if (badMain) result.notes.push(`main_score is ${nonFinite[0] ?? 'NaN'} in ${badMain} subset(s): not a score`);
  return result;
}

/**
 * Python's json module writes NaN/Infinity/-Infinity as bare tokens (mteb does, e.g. nAUC metrics of a
 * degenerate query set); JSON.parse rejects them, so they become null outside of strings.
 */
export function pythonJsonToJson(text: string, seen: string[] = []): string {
  // Most files hold no such token: two substring searches are far cheaper than a regex pass over every string.
  if (!text.includes('NaN') && !text.includes('Infinity')) return text;
  return text.replace(PY_NONFINITE_TOKENS, (m) => {
    if (m.startsWith('"')) return m;
    seen.push(m);
    return 'null';
  });
}

/** Looks a metric up under each of its historical spellings, first hit wins. */
export function getMetric(metrics: Record<string, number>, aliases: readonly string[]): { key: string; value: number } | undefined {
  for (const key of aliases) {
    const v = metrics[key];
    if (typeof v === 'number') return { key, value: v };
  }
  return undefined;
}
