import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { defaultDataDir } from '../../data/index.js';
import { downloadTaskDataset } from '../../task-types/download.js';
import { benchmarkTaskSpecs, expandAggregates, getBenchmark, resolveTasks } from '../../registry/index.js';
import { MtebError } from '../../core/errors.js';
import type { TaskSpec } from '../../core/task-spec.js';

export const downloadCommand: CliCommand = {
  command: 'download',
  describe: 'Fetch the pinned dataset revisions of tasks from the Hugging Face hub into --data-dir',
  builder: (y: Argv) =>
    y
      .option('tasks', { alias: 't', type: 'string', array: true, describe: 'task names or task files (comma-separated or repeated)' })
      .option('benchmark', { alias: 'b', type: 'string', describe: 'every task of this benchmark' })
      .option('data-dir', { type: 'string', describe: `target folder (<dir>/<org>/<name>/); default $MTEB_TS_DATA_DIR or ${defaultDataDir({})}` })
      .option('endpoint', { type: 'string', describe: 'hub endpoint (default $HF_ENDPOINT or https://huggingface.co)' })
      .option('all-files', { type: 'boolean', default: false, describe: 'download every file of each repo, not only the evaluated splits' }),
  handler: async (args) => {
    let specs: TaskSpec[] = [];
    if (args.benchmark) specs.push(...benchmarkTaskSpecs(getBenchmark(args.benchmark)));
    if (args.tasks?.length) specs.push(...resolveTasks(args.tasks, { cwd: process.cwd() }));
    if (!specs.length) throw new MtebError('E_USAGE', 'name --tasks or --benchmark', { field: 'tasks' });
    specs = expandAggregates(specs);
    const seen = new Set<string>();
    let total = 0;
    for (const spec of specs) {
      const key = `${spec.dataset.path}@${spec.dataset.revision ?? 'main'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (spec.source_dir && !/^[\w.-]+\/[\w.-]+$/.test(spec.dataset.path)) {
        process.stderr.write(`${spec.name}: local dataset ${spec.dataset.path}, nothing to download\n`);
        continue;
      }
      const r = await downloadTaskDataset(spec, { dataDir: args['data-dir'] ?? args.dataDir, endpoint: args.endpoint, allFiles: args['all-files'] ?? args.allFiles });
      total += r.bytes;
      const got = r.files.filter((f) => !f.skipped).length;
      process.stdout.write(`${spec.name}\t${r.repo}@${r.revision}\t${r.files.length} files (${got} fetched, ${r.files.length - got} present)\t${r.dir}\n`);
    }
    process.stderr.write(`downloaded ${(total / 1e6).toFixed(1)} MB\n`);
    return 0;
  },
};
