import path from 'node:path';
import { pythonRound } from '../metrics/rounding.js';
import type { TaskSpec } from '../core/task-spec.js';

export const MTEB_TS_VERSION = '0.1.0';

/** The mteb release whose evaluation code each protocol reproduces (docs/protocol.md). */
export const PROTOCOL_MTEB_VERSION: Record<string, string> = { 'mteb-1': '1.39.7', 'mteb-2': '2.1.0' };

export interface SplitScoreEntry extends Record<string, unknown> {
  hf_subset: string;
  languages: string[];
  main_score: number;
}

export interface ResultFile {
  dataset_revision: string;
  task_name: string;
  mteb_version: string;
  scores: Record<string, SplitScoreEntry[]>;
  evaluation_time: number;
  kg_co2_emissions: number | null;
  date?: number;
  /** mteb-ts's own provenance; mteb's readers ignore unknown keys. */
  mteb_ts?: { version: string; protocol: string; limit?: number; metadata?: Record<string, unknown> };
}

/** mteb's `model_name_as_path`. */
export function modelNameAsPath(name: string): string {
  return name.replace(/\//g, '__').replace(/ /g, '_');
}

export function resultDir(outputDir: string, modelName: string, revision: string): string {
  return path.join(outputDir, modelNameAsPath(modelName), revision || 'no_revision_available');
}

export function resultPath(outputDir: string, modelName: string, revision: string, task: string): string {
  return path.join(resultDir(outputDir, modelName, revision), `${task}.json`);
}

export function itemsPath(resultFile: string): string {
  return resultFile.replace(/\.json$/, '.items.json');
}

/** mteb ≥1.12.78 `_round_scores(scores, 6)`: every float in the scores tree rounded with Python's round(). */
export function roundScores(value: unknown, ndigits = 6): unknown {
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? value : pythonRound(value, ndigits);
  if (Array.isArray(value)) return value.map((v) => roundScores(v, ndigits));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundScores(v, ndigits);
    return out;
  }
  return value;
}

export function languagesFor(spec: TaskSpec, subset: string): string[] {
  const langs = spec.eval_langs;
  if (!langs) return ['eng-Latn'];
  if (Array.isArray(langs)) return langs;
  return langs[subset] ?? [];
}
