import path from 'node:path';
import { existsSync } from 'node:fs';
import { getBenchmark, benchmarkTaskSpecs, REPO_ROOT } from '../registry/index.js';
import { StderrProgress, silentProgress } from '../util/progress.js';
import { runEvaluation } from '../run/runner.js';
import { openModel } from '../run/run-cli.js';
import { renderRunSummary } from '../run/summary-table.js';
import { buildLeaderboard } from '../leaderboard/index.js';
import { renderComparison, renderReport } from '../../reports/index.js';
import { compareRuns } from '../compare/compare.js';

export const DEMO_MODEL_DIR = path.join(REPO_ROOT, 'fixtures', 'models', 'nv-embed-tiny');
/** A tiny BERT-family checkpoint in the Hugging Face hub layout, run in-process by the `hf:` embedder. */
export const DEMO_ENCODER_DIR = path.join(REPO_ROOT, 'fixtures', 'models', 'bert-tiny');

/**
 * The models the demo compares: the bundled tiny NV-Embed checkpoint and a tiny BERT (both in-process, from
 * the checkpoints' own files), a lexical and a chance baseline.
 */
export function demoModels(): string[] {
  const models: string[] = [];
  if (existsSync(path.join(DEMO_MODEL_DIR, 'config.json'))) models.push(`nvembed:${DEMO_MODEL_DIR}`);
  if (existsSync(path.join(DEMO_ENCODER_DIR, 'config.json'))) models.push(`hf:${DEMO_ENCODER_DIR}`);
  models.push('hash:512', 'random:256');
  return models;
}

/**
 * `mteb-ts demo`: the main job end to end on the bundled fixture tasks (every task type) — embed, score,
 * write mteb result files — for each demo model, then print the leaderboard of the `demo` benchmark.
 */
export async function runDemo(opts: { model?: string; output: string; quiet?: boolean }): Promise<number> {
  const output = path.resolve(opts.output);
  const tasks = benchmarkTaskSpecs(getBenchmark('demo'));
  const models = opts.model ? [opts.model] : demoModels();
  let failed = 0;
  const names = new Map<string, string>();
  for (const spec of models) {
    process.stderr.write(`\n== ${spec} ==\n`);
    const { embedder } = await openModel(spec, { cacheDir: path.join(output, '.cache') });
    const progress = opts.quiet ? silentProgress : new StderrProgress();
    try {
      const summary = await runEvaluation({
        tasks,
        embedder,
        outputDir: output,
        overwrite: true,
        batchSize: 32,
        progress,
        // Above the status line on a terminal.
        log: opts.quiet ? undefined : (l) => progress.print?.(l),
      });
      failed += summary.outcomes.filter((o) => o.status === 'failed').length;
      names.set(spec, summary.model);
      process.stderr.write(renderRunSummary(summary) + '\n');
    } finally {
      await embedder.close?.();
    }
  }
  const lb = buildLeaderboard([output], { benchmark: 'demo', log: (l) => process.stderr.write(l + '\n') });
  process.stdout.write(renderReport(lb, 'table') + '\n');
  // The two in-process checkpoints side by side, as `mteb-ts compare` shows two runs.
  const nv = names.get(`nvembed:${DEMO_MODEL_DIR}`);
  const bert = names.get(`hf:${DEMO_ENCODER_DIR}`);
  if (nv && bert) {
    process.stdout.write(`\ncompare ${nv} (baseline) -> ${bert}:\n`);
    const cmp = compareRuns([output], [output], { benchmark: 'demo', baselineModel: nv, candidateModel: bert, log: () => {} });
    process.stdout.write(renderComparison(cmp, 'table', { width: process.stdout.isTTY ? process.stdout.columns : undefined }));
  }
  process.stdout.write(`\nResult files: ${output}\n`);
  return failed ? 1 : 0;
}
