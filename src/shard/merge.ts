import { existsSync } from 'node:fs';
import { MtebError } from '../core/errors.js';
import { hfSubsets, type TaskSpec } from '../task-types/spec.js';
import { missingChunks } from './chunk-lists/paths.js';
import { resultPath } from '../output/result-file.js';
import { taskType } from '../task-types/index.js';
import { predictionsToWrite, runEvaluation, shardMarkerDir, type RunOptions, type RunSummary } from '../run/runner.js';
import { assignShards, chunkShards } from './select-tasks.js';
import { checkShardLayouts, readShardLayouts } from './layout.js';

export interface MergePlan {
  /** Tasks every part of which exists: whole results, or split corpora with every chunk's top-k list. */
  complete: string[];
  /** Split-corpus tasks to score now, from their chunks' top-k lists. */
  toScore: TaskSpec[];
  aggregates: TaskSpec[];
  /** What is missing, one line each, naming the shard that should have made it. */
  missing: string[];
}


export function planMerge(tasks: TaskSpec[], outputDir: string, model: string, revision: string, count: number): MergePlan {
  const plain = tasks.filter((t) => !t.aggregate_of);
  const plan: MergePlan = { complete: [], toScore: [], aggregates: tasks.filter((t) => t.aggregate_of), missing: [] };
  // The corpus chunking decides the cost-balanced split too (src/shard/select-tasks.ts): the shards' own.
  const chunkRows = readShardLayouts(outputDir, model, revision)[0]?.chunkRows;
  const assignment = assignShards(plain, count, chunkRows);
  const ownerOf = (name: string) => assignment.shards.findIndex((s) => s.tasks.includes(name));
  for (const spec of plain) {
    if (existsSync(resultPath(outputDir, model, revision, spec.name))) {
      plan.complete.push(spec.name);
      continue;
    }
    const gaps: string[] = [];
    let split = false;
    for (const s of spec.eval_splits) {
      for (const sub of hfSubsets(spec)) {
        const m = missingChunks(shardMarkerDir(outputDir, model, revision, spec.name, s, sub));
        if (!m) continue;
        split = true;
        if (m.missing.length) gaps.push(`${s}/${sub}: corpus chunks ${m.missing.join(', ')} of ${m.total} not searched (shards ${[...new Set(m.missing.map((c) => chunkShards(assignment, spec.name, m.total)[c]))].sort((a, b) => a - b).join(', ')})`);
      }
    }
    if (!split) plan.missing.push(`${spec.name}: no result (shard ${ownerOf(spec.name)}/${count})`);
    else if (gaps.length) plan.missing.push(`${spec.name}: ${gaps.join('; ')}`);
    else plan.toScore.push(spec);
  }
  return plan;
}

/**
 * `mteb-ts merge`: once every shard has finished, score the split-corpus tasks by merging the top-k lists their
 * shards wrote per corpus chunk (no embedding, no corpus search: src/shard/chunk-lists/) and write the aggregates,
 * so the output equals one unsharded run. Refuses a partial merge with the list of gaps.
 * With `savePredictions` it writes the split-corpus tasks' predictions, and those of finished retrieval /
 * reranking results that lack them (shards run without the option): re-scored from the shared cache, the result
 * files kept (see RunOptions.savePredictions).
 */
export async function mergeShards(opts: RunOptions & { count: number }): Promise<RunSummary & { plan: MergePlan }> {
  const model = opts.modelName ?? opts.embedder.name;
  const revision = opts.modelRevision ?? opts.embedder.revision ?? 'no_revision_available';
  checkShardLayouts(readShardLayouts(opts.outputDir, model, revision), {
    count: opts.count,
    tasks: opts.tasks.filter((t) => !t.aggregate_of).map((t) => t.name),
    model,
    revision,
  });
  const plan = planMerge(opts.tasks, opts.outputDir, model, revision, opts.count);
  if (plan.missing.length)
    throw new MtebError('E_PARTS_MISSING', `cannot merge: ${plan.missing.length} part(s) missing:\n  ${plan.missing.join('\n  ')}`);
  const fill = opts.savePredictions
    ? opts.tasks.filter(
        (t) => !t.aggregate_of && plan.complete.includes(t.name) && taskType(t.type).producesRankings && predictionsToWrite(resultPath(opts.outputDir, model, revision, t.name), t).length,
      )
    : [];
  const summary = await runEvaluation({ ...opts, shard: undefined, chunkLists: true, overwrite: false, tasks: [...fill, ...plan.toScore, ...plan.aggregates] });
  return { ...summary, plan };
}
