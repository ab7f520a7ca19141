import path from 'node:path';
import { existsSync } from 'node:fs';
import { getBenchmark, benchmarkTaskSpecs, REPO_ROOT } from '../registry/index.js';
import { StderrProgress, silentProgress } from '../util/progress.js';
import { runEvaluation } from '../run/runner.js';
import { openModel } from '../run/run-cli.js';
import { renderRunSummary } from '../run/summary-table.js';
import { buildLeaderboard } from '../leaderboard/index.js';
import { renderReport } from '../../reports/index.js';

export const DEMO_MODEL_DIR = path.join(REPO_ROOT, 'fixtures', 'models', 'nv-embed-tiny');

/** The models the demo compares: the bundled tiny NV-Embed checkpoint, a lexical and a chance baseline. */
export function demoModels(): string[] {
  const models: string[] = [];
  if (existsSync(path.join(DEMO_MODEL_DIR, 'config.json'))) models.push(`nvembed:${DEMO_MODEL_DIR}`);
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
      process.stderr.write(renderRunSummary(summary) + '\n');
    } finally {
      await embedder.close?.();
    }
  }
  const lb = buildLeaderboard([output], { benchmark: 'demo', log: (l) => process.stderr.write(l + '\n') });
  process.stdout.write(renderReport(lb, 'table') + '\n');
  process.stdout.write(`\nResult files: ${output}\n`);
  return failed ? 1 : 0;
}
