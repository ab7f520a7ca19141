import { existsSync, readFileSync } from 'node:fs';
import { MtebError } from '../core/errors.js';
import type { TaskSpec } from '../task-types/spec.js';
import { pythonRound } from '../metrics/rounding.js';
import { parsePythonJson } from '../output/python-json.js';
import { MTEB_TS_VERSION, resultPath, type ResultFile, type SplitScoreEntry } from '../output/result-file.js';

/**
 * An aggregate task (CQADupstackRetrieval) as mteb's merge script builds it: every numeric metric is the
 * unweighted mean over the part tasks' result files, evaluation_time summed; all parts are required.
 */
export async function aggregateResult(spec: TaskSpec, outputDir: string, model: string, revision: string): Promise<ResultFile> {
  const parts = spec.aggregate_of ?? [];
  const missing = parts.filter((p) => !existsSync(resultPath(outputDir, model, revision, p)));
  if (missing.length)
    throw new MtebError('E_RESULTS', `aggregate needs all ${parts.length} part tasks; missing: ${missing.join(', ')}`, { task: spec.name });
  const files = parts.map((p) => parsePythonJson(readFileSync(resultPath(outputDir, model, revision, p), 'utf8')) as ResultFile);
  const scores: Record<string, SplitScoreEntry[]> = {};
  for (const split of spec.eval_splits) {
    const entries = files.map((f, i) => {
      const e = f.scores?.[split]?.[0];
      if (!e) throw new MtebError('E_RESULTS', `part ${parts[i]} has no "${split}" split`, { task: spec.name });
      return e;
    });
    const merged: Record<string, unknown> = {};
    for (const k of Object.keys(entries[0])) {
      const vals = entries.map((e) => e[k]);
      if (vals.every((v) => typeof v === 'number')) merged[k] = pythonRound((vals as number[]).reduce((a, b) => a + b, 0) / vals.length, 6);
    }
    scores[split] = [{ ...merged, main_score: merged[spec.main_score] as number, hf_subset: 'default', languages: entries[0].languages } as SplitScoreEntry];
  }
  return {
    dataset_revision: spec.dataset.revision ?? '1',
    task_name: spec.name,
    mteb_version: files[0].mteb_version,
    scores,
    evaluation_time: files.reduce((a, f) => a + (f.evaluation_time ?? 0), 0),
    kg_co2_emissions: null,
    mteb_ts: { version: MTEB_TS_VERSION, protocol: spec.protocol },
  };
}
