import path from 'node:path';
import { defineCommand } from '../command.js';
import { openModel, selectTasks } from '../../run/run-cli.js';
import { runEvaluation, type RunSummary } from '../../run/runner.js';
import { renderRunSummary, renderRunSummaryJson } from '../../run/summary-table.js';
import { resolveShard } from '../../shard/auto.js';
import { mergeShards } from '../../shard/merge.js';
import { loadCblas } from '../../search/blas/cblas.js';
import { StderrProgress, silentProgress } from '../../util/progress.js';
import { redact } from '../../core/redact.js';
import { demoSpec, mergeSpec, runSpec, type DemoArgs, type MergeArgs, type ModelAndTaskArgs, type RunArgs } from '../options/run.js';

/** The --search* options as the runner's search config (undefined fields = the backend's defaults). */
export function searchConfig(a: ModelAndTaskArgs) {
  return {
    backend: a.search,
    engine: a.searchEngine,
    blasLibrary: a.blasLib,
    M: a.hnswM,
    efConstruction: a.hnswEfConstruction,
    efSearch: a.hnswEfSearch,
  };
}

/** `--search-engine blas` without a loadable library would fail every retrieval task: refuse it up front. */
function checkSearchEngine(a: ModelAndTaskArgs): void {
  if (a.searchEngine === 'blas') loadCblas(a.blasLib);
}

const warn = (m: string) => process.stderr.write(`warning: ${redact(m)}\n`);
const log = (l: string) => process.stderr.write(redact(l) + '\n');

/** The RunOptions `run` and `merge` share, from their common arguments. */
function commonRunOptions(a: ModelAndTaskArgs) {
  const progress = a.quiet ? silentProgress : new StderrProgress();
  return {
    outputDir: path.resolve(a.output),
    modelName: a.modelName,
    modelRevision: a.modelRevision,
    batchSize: a.batchSize,
    dataDir: a.dataDir,
    hfHome: a.hfHome,
    search: searchConfig(a),
    sklearn: a.sklearn,
    progress,
    // Log lines go above the status line on a terminal, not through it.
    log: (l: string) => (progress.print ? progress.print(redact(l)) : log(l)),
    savePredictions: a.savePredictions,
  };
}

/** The end-of-run summary in the chosen format; exit 1 when a task failed (the others are still written). */
function printSummary(summary: RunSummary, format: string, heading?: string): number {
  if (format === 'json') process.stdout.write(renderRunSummaryJson(summary) + '\n');
  else process.stdout.write(`${heading ? heading + '\n' : ''}${renderRunSummary(summary)}\n`);
  return summary.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

/** `mteb-ts run`: evaluate; exit 1 when a task failed (the others are still written). */
export async function run(a: RunArgs): Promise<number> {
  checkSearchEngine(a);
  const tasks = selectTasks(a, process.cwd(), warn);
  const resolved = resolveShard(a.shard, a.shards);
  if (resolved && a.shard?.trim() === 'auto') process.stderr.write(`shard ${resolved.index}/${resolved.count} (${resolved.source})\n`);
  const shard = resolved ? { index: resolved.index, count: resolved.count, chunkRows: a.shardChunkRows } : undefined;
  const { embedder } = await openModel(a.model, a);
  let summary: RunSummary;
  try {
    summary = await runEvaluation({ ...commonRunOptions(a), tasks, embedder, overwriteStrategy: a.overwrite ? 'always' : a.overwriteStrategy, limit: a.limit, shard });
  } finally {
    await embedder.close?.();
  }
  return printSummary(summary, a.format);
}

/** `mteb-ts merge`: the same selection and model as the shards, then score what they left to the merge. */
export async function merge(a: MergeArgs): Promise<number> {
  checkSearchEngine(a);
  const tasks = selectTasks(a, process.cwd(), warn);
  const { embedder } = await openModel(a.model, a);
  try {
    const summary = await mergeShards({ ...commonRunOptions(a), tasks, embedder, count: a.shards });
    const merged = `merged: ${summary.plan.complete.length} results present, ${summary.plan.toScore.length} split tasks scored, ${summary.plan.aggregates.length} aggregates`;
    return printSummary(summary, a.format, merged);
  } finally {
    await embedder.close?.();
  }
}

/** `mteb-ts demo`: the bundled demo (src/cli/demo.ts). */
export async function demo(a: DemoArgs): Promise<number> {
  const { runDemo } = await import('../demo.js');
  return runDemo({ model: a.model, output: a.output, quiet: a.quiet });
}

export const runCommand = defineCommand(runSpec, run);
export const mergeCommand = defineCommand(mergeSpec, merge);
export const demoCommand = defineCommand(demoSpec, demo);
