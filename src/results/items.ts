import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MtebError, isMtebError } from '../core/errors.js';
import { pythonJsonToJson } from './parse.js';
import { sha256File } from '../output/unit.js';
import { parseJson } from '../util/json-file.js';

/** `<Task>.items.json` written by `mteb-ts run` (docs/per-item-scores.md). */
export interface ItemsFile {
  taskName: string;
  file: string;
  splits: Record<string, Record<string, { mainScore: string; metrics: Record<string, Record<string, number>> }>>;
  /** The id of the scoring that wrote it (`mteb_ts.evaluation_id` of its result); absent in files of older mteb-ts. */
  evaluationId?: string;
}

/**
 * What `readItemsFor` found: the per-item scores of exactly the result beside them, or why there are none usable.
 * `compare` / `gate --significant-only` must treat `unusable` as "significance unknown" (a refusal), never as
 * "not significant".
 */
export type ItemsForResult =
  | { items: ItemsFile; evaluationId: string }
  | { unusable: string; reason: 'no-items' | 'untied' | 'unverifiable' | 'invalid' };

interface ResultTie {
  evaluationId?: string;
  itemsDigest?: string;
  tracksSidecars: boolean;
}

function resultTie(resultFile: string): ResultTie {
  const r = parseJson(pythonJsonToJson(readFileSync(resultFile, 'utf8')), { file: resultFile }, { locate: false }) as any;
  const ts = r && typeof r === 'object' ? r.mteb_ts : undefined;
  const sidecars = ts && typeof ts.sidecars === 'object' && ts.sidecars ? ts.sidecars : undefined;
  return {
    evaluationId: typeof ts?.evaluation_id === 'string' ? ts.evaluation_id : undefined,
    itemsDigest: sidecars ? sidecars[path.basename(itemsPathFor(resultFile))] : undefined,
    tracksSidecars: !!sidecars,
  };
}

/** Why the items file does not belong to the result, or null when the tie holds (or neither side records one). */
function tieFailure(resultFile: string, items: ItemsFile, tie: ResultTie): string | null {
  const name = path.basename(items.file);
  if (tie.evaluationId === undefined && items.evaluationId === undefined && !tie.tracksSidecars) return null;
  if (tie.evaluationId === undefined)
    return `${name} (evaluation ${items.evaluationId ?? '?'}) sits beside a result that records no evaluation id: it belongs to another scoring`;
  if (items.evaluationId !== tie.evaluationId)
    return `${name} belongs to evaluation ${items.evaluationId ?? '(none recorded)'}, the result to ${tie.evaluationId} (an interrupted --overwrite?); rerun the task with --overwrite`;
  if (!tie.itemsDigest) return `the result does not record ${name} among its sidecars`;
  const got = sha256File(items.file);
  if (got !== tie.itemsDigest) return `${name} is not the file its result records (sha256 differs): edited or replaced after the run`;
  return null;
}


export function itemsPathFor(resultFile: string): string {
  return resultFile.replace(/\.json$/, '.items.json');
}

/**
 * The sidecar next to a result file, or undefined when there is none (official result files never have one).
 * Throws E_RESULTS when the file provably belongs to another scoring than the result (evaluation ids or digest
 * differ); a pair where neither side records a tie (older mteb-ts) is returned as it is. Prefer readItemsFor,
 * which also refuses untied pairs and reports instead of throwing.
 */
export function readItemsFile(resultFile: string): ItemsFile | undefined {
  const items = readItemsRaw(resultFile);
  if (!items) return undefined;
  if (existsSync(resultFile)) {
    const why = tieFailure(resultFile, items, resultTie(resultFile));
    if (why) throw new MtebError('E_RESULTS', `per-item scores unusable: ${why}`, { file: items.file, field: 'evaluation_id' });
  }
  return items;
}

/**
 * The per-item scores of `resultFile`, only when they provably belong to it: the items file repeats the result's
 * `mteb_ts.evaluation_id` and its sha256 is the one the result records in `mteb_ts.sidecars`. Otherwise
 * `{ unusable, reason }`: no items file, a broken tie (e.g. a `run --overwrite` killed between the two writes),
 * a pair written before mteb-ts recorded ties ('unverifiable'), or an unreadable file ('invalid'). Never throws
 * for these.
 */
export function readItemsFor(resultFile: string): ItemsForResult {
  let items: ItemsFile | undefined;
  let tie: ResultTie;
  try {
    items = readItemsRaw(resultFile);
    if (!items) return { unusable: `no per-item scores (${path.basename(itemsPathFor(resultFile))} is missing)`, reason: 'no-items' };
    tie = resultTie(resultFile);
  } catch (e) {
    if (!isMtebError(e)) throw e;
    return { unusable: `per-item scores unreadable: ${e.message}`, reason: 'invalid' };
  }
  if (tie.evaluationId === undefined && items.evaluationId === undefined && !tie.tracksSidecars)
    return {
      unusable: `${path.basename(items.file)} cannot be tied to its result (written by an mteb-ts that recorded no evaluation id); rerun the task with --overwrite`,
      reason: 'unverifiable',
    };
  const why = tieFailure(resultFile, items, tie);
  if (why) return { unusable: why, reason: 'untied' };
  return { items, evaluationId: tie.evaluationId! };
}

function readItemsRaw(resultFile: string): ItemsFile | undefined {
  const file = itemsPathFor(resultFile);
  if (!existsSync(file)) return undefined;
  const raw = parseJson(pythonJsonToJson(readFileSync(file, 'utf8')), { file }, { locate: false }) as any;
  if (!raw || typeof raw !== 'object' || typeof raw.splits !== 'object' || raw.splits === null) {
    throw new MtebError('E_RESULTS', 'per-item file has no "splits" object', { file, field: 'splits' });
  }
  if (raw.format !== undefined && !String(raw.format).startsWith('mteb-ts.items/')) {
    throw new MtebError('E_RESULTS', `unknown per-item format "${raw.format}"`, { file, field: 'format' });
  }
  const splits: ItemsFile['splits'] = {};
  for (const [split, subsets] of Object.entries<any>(raw.splits)) {
    splits[split] = {};
    for (const [subset, entry] of Object.entries<any>(subsets ?? {})) {
      if (!entry || typeof entry.metrics !== 'object') {
        throw new MtebError('E_RESULTS', 'subset entry needs "metrics"', { file, field: `splits.${split}.${subset}` });
      }
      splits[split][subset] = { mainScore: String(entry.main_score ?? ''), metrics: entry.metrics };
    }
  }
  return { taskName: String(raw.task_name ?? ''), file, splits, ...(typeof raw.evaluation_id === 'string' ? { evaluationId: raw.evaluation_id } : {}) };
}
