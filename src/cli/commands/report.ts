import { defineCommand } from '../command.js';
import { buildLeaderboard } from '../../leaderboard/build.js';
import { selectColumns } from '../../leaderboard/select-columns.js';
import { selectRows } from '../../leaderboard/select-rows.js';
import { reportSpec, type ReportArgs } from '../options/report.js';
import { renderReport } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { logFor, printBrokenFiles, sourceOptions, terminalWidth } from './results-source.js';

/** `mteb-ts report`: the leaderboard of the results folders. */
export async function report(args: ReportArgs): Promise<number> {
  const log = logFor(args);
  const all = buildLeaderboard(args.results, { ...sourceOptions(args, args.results), revision: args.revision, log });
  const lb = selectColumns(selectRows(all, { models: args.models, top: args.top }), { tasks: args.tasks, types: args.types });
  if (lb.models.length < all.models.length) log(`showing ${lb.models.length} of ${all.models.length} models`);
  const text = renderReport(lb, args.format, { width: terminalWidth(args.out) });
  if (args.out) {
    await writeFileAtomic(args.out, text);
    log(`wrote ${args.out}`);
  } else process.stdout.write(text);
  // A file that is there but unreadable, invalid or holds a non-finite score is named; the report is still
  // written (it lists the file among the warnings), and the exit code says the inputs were not all usable.
  const broken = printBrokenFiles(lb.unusable ?? [], '', args.quiet);
  return broken ? 2 : 0;
}

export const reportCommand = defineCommand(reportSpec, report);
