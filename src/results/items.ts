import { existsSync, readFileSync } from 'node:fs';
import { MtebError } from '../core/errors.js';
import { pythonJsonToJson } from './parse.js';

/** `<Task>.items.json` written by `mteb-ts run` (docs/per-item-scores.md). */
export interface ItemsFile {
  taskName: string;
  file: string;
  splits: Record<string, Record<string, { mainScore: string; metrics: Record<string, Record<string, number>> }>>;
}

export function itemsPathFor(resultFile: string): string {
  return resultFile.replace(/\.json$/, '.items.json');
}

/** The sidecar next to a result file, or undefined when there is none (official result files never have one). */
export function readItemsFile(resultFile: string): ItemsFile | undefined {
  const file = itemsPathFor(resultFile);
  if (!existsSync(file)) return undefined;
  let raw: any;
  try {
    raw = JSON.parse(pythonJsonToJson(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new MtebError('E_PARSE', `invalid JSON: ${(e as Error).message}`, { file });
  }
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
  return { taskName: String(raw.task_name ?? ''), file, splits };
}
