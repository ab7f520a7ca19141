import { pythonRound } from '../metrics/rounding.js';
import { safeJoin } from '../util/safe-path.js';

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
  mteb_ts?: {
    version: string;
    protocol: string;
    limit?: number;
    metadata?: Record<string, unknown>;
    /** Random id of this scoring; the `<Task>.items.json` written with it carries the same id (src/output/unit.ts). */
    evaluation_id?: string;
    /** Everything that can change a score (src/run/identity.ts); `run` reuses the result only when it matches. */
    identity?: Record<string, string | number | null>;
    /** Base name -> `sha256:<hex>` of every sidecar written with this result (per-item scores, predictions). */
    sidecars?: Record<string, string>;
  };
}

/** mteb's `model_name_as_path`. */
export function modelNameAsPath(name: string): string {
  return name.replace(/\//g, '__').replace(/ /g, '_');
}

export function resultDir(outputDir: string, modelName: string, revision: string): string {
  return safeJoin(outputDir, ['model name', modelNameAsPath(modelName)], ['revision', revision || 'no_revision_available']);
}

export function resultPath(outputDir: string, modelName: string, revision: string, task: string): string {
  return safeJoin(resultDir(outputDir, modelName, revision), ['task', `${task}.json`]);
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

/** A subset's languages as mteb writes them (`eval_langs`: one list, or one per subset; default English). */
export function languagesFor(spec: { eval_langs?: string[] | Record<string, string[]> }, subset: string): string[] {
  const langs = spec.eval_langs;
  if (!langs) return ['eng-Latn'];
  if (Array.isArray(langs)) return langs;
  return langs[subset] ?? [];
}
