import type { CliCommand } from '../command.js';
import { runCommand, demoCommand, mergeCommand } from './run.js';
import { tasksCommand } from './tasks.js';
import { benchmarksCommand } from './benchmarks.js';
import { downloadCommand } from './download.js';
import { buildOnnxCommand } from './build-onnx.js';
import { embedCommand } from './embed.js';
import { metricsRetrievalCommand } from './metrics-retrieval.js';
import { reportCommand } from './report.js';
import { compareCommand } from './compare.js';
import { gateCommand } from './gate.js';
import { cacheCommand } from './cache.js';
import { serveCommand } from './serve.js';

const metricsCommand: CliCommand = {
  command: 'metrics',
  describe: 'Compute metrics from files (retrieval: TREC/JSON qrels and run, like a faster trec_eval)',
  builder: (y) => y,
  handler: async () => 0,
  subcommands: [metricsRetrievalCommand],
};

/** Every subcommand, in the order `mteb-ts --help` lists them. */
export const COMMANDS: CliCommand[] = [
  runCommand,
  demoCommand,
  reportCommand,
  compareCommand,
  gateCommand,
  tasksCommand,
  benchmarksCommand,
  downloadCommand,
  embedCommand,
  buildOnnxCommand,
  metricsCommand,
  mergeCommand,
  cacheCommand,
  serveCommand,
];
