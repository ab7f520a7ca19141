/**
 * The command table: what `mteb-ts --help` lists, in that order. Only the light specs (src/cli/options/) are
 * imported here; each handler module, and the libraries behind it (apache-arrow, onnxruntime, hyparquet, the
 * hub client, ...), is imported when its command runs. tests/cli/lazy-commands.test.ts holds that line.
 */
import { lazyCommand, type CommandEntry } from '../command.js';
import { benchmarksSpec } from '../options/benchmarks.js';
import { buildOnnxSpec } from '../options/build-onnx.js';
import { cacheSpec } from '../options/cache.js';
import { compareSpec } from '../options/compare.js';
import { createMetaSpec } from '../options/create-meta.js';
import { downloadSpec } from '../options/download.js';
import { embedSpec } from '../options/embed.js';
import { exportTextsSpec } from '../options/export-texts.js';
import { gateSpec } from '../options/gate.js';
import { metricsRetrievalSpec } from '../options/metrics-retrieval.js';
import { modelsSpec } from '../options/models.js';
import { planSpec } from '../options/plan.js';
import { reportSpec } from '../options/report.js';
import { demoSpec, mergeSpec, runSpec } from '../options/run.js';
import { serveSpec } from '../options/serve.js';
import { tasksSpec } from '../options/tasks.js';

export const COMMANDS: readonly CommandEntry[] = [
  lazyCommand(runSpec, async () => (await import('./run.js')).run),
  lazyCommand(demoSpec, async () => (await import('./run.js')).demo),
  lazyCommand(reportSpec, async () => (await import('./report.js')).report),
  lazyCommand(compareSpec, async () => (await import('./compare.js')).compare),
  lazyCommand(gateSpec, async () => (await import('./gate.js')).gate),
  lazyCommand(tasksSpec, async () => (await import('./tasks.js')).tasks),
  lazyCommand(benchmarksSpec, async () => (await import('./benchmarks.js')).benchmarks),
  lazyCommand(modelsSpec, async () => (await import('./models.js')).models),
  lazyCommand(downloadSpec, async () => (await import('./download.js')).download),
  lazyCommand(embedSpec, async () => (await import('./embed.js')).embed),
  lazyCommand(exportTextsSpec, async () => (await import('./export-texts.js')).exportTexts),
  lazyCommand(createMetaSpec, async () => (await import('./create-meta.js')).createMeta),
  lazyCommand(buildOnnxSpec, async () => (await import('./build-onnx.js')).buildOnnxGraph),
  {
    command: 'metrics',
    describe: 'Compute metrics from files (retrieval: TREC/JSON qrels and run, like a faster trec_eval)',
    subcommands: [lazyCommand(metricsRetrievalSpec, async () => (await import('./metrics-retrieval.js')).metricsRetrieval)],
  },
  lazyCommand(mergeSpec, async () => (await import('./run.js')).merge),
  lazyCommand(planSpec, async () => (await import('./plan.js')).plan),
  lazyCommand(cacheSpec, async () => (await import('./cache.js')).cache),
  lazyCommand(serveSpec, async () => (await import('./serve.js')).serve),
];
