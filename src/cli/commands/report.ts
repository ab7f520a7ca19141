import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { buildLeaderboard } from '../../leaderboard/build.js';
import { list, printBrokenFiles, sourceOptions, stderrLog, withSourceOptions } from '../../leaderboard/options.js';
import { formatsFor, renderReport } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

export const reportCommand: CliCommand = {
  command: 'report <results..>',
  describe: 'Leaderboard of the models under RESULTS: per-task scores, category averages, overall average, rank, warnings; exit 2 when a result file is broken',
  builder: (y: Argv) =>
    withSourceOptions(y)
      .positional('results', { type: 'string', array: true, describe: 'results root, <org>__<model> folder or <org>__<model>/<revision> folder' })
      .option('revision', { type: 'string', describe: 'revision folder to use: REV (prefix ok) for every model, or org/model=REV; default: all revision folders joined task by task as mteb does (--strict: the newest complete one)' })
      .option('format', { alias: 'f', choices: formatsFor('leaderboard'), default: 'table' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the report here instead of stdout' }),
  handler: async (args) => {
    const lb = buildLeaderboard(args.results as string[], {
      ...sourceOptions(args, (args.results as string[]).map(String)),
      revision: list(args.revision),
      log: stderrLog,
    });
    const text = renderReport(lb, String(args.format));
    if (args.out) {
      await writeFileAtomic(String(args.out), text);
      stderrLog(`wrote ${args.out}`);
    } else process.stdout.write(text);
    // A file that is there but unreadable, invalid or holds a non-finite score is named; the report is still
    // written (it lists the file among the warnings), and the exit code says the inputs were not all usable.
    const broken = printBrokenFiles(lb.unusable ?? []);
    return broken ? 2 : 0;
  },
};
