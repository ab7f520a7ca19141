import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { FORMATS } from './formats.js';
import { resultsSourceOptions } from './results-source.js';

export const reportOptions = {
  results: { type: 'string', positional: true, array: true, demandOption: true, describe: 'results root, <org>__<model> folder or <org>__<model>/<revision> folder' },
  ...resultsSourceOptions,
  revision: {
    type: 'string',
    repeatable: true,
    describe: 'revision folder to use: REV (prefix ok) for every model, or org/model=REV; default: all revision folders joined task by task as mteb does (--strict: the newest complete one)',
  },
  models: { type: 'string', repeatable: true, describe: 'only models whose name contains one of these (case-insensitive; comma-separated or repeated); ranks stay those among all models' },
  top: { type: 'number', integer: true, min: 1, describe: 'only the N best-ranked models (after --models); ranks stay those among all models' },
  tasks: { type: 'string', repeatable: true, describe: 'only these task columns (names, case-insensitive; comma-separated or repeated); averages and ranks stay over every task' },
  types: { type: 'string', repeatable: true, describe: 'only these task types: their average and task columns (e.g. STS,Retrieval; case-insensitive)' },
  format: { type: 'string', alias: 'f', choices: FORMATS.leaderboard, default: 'table', describe: 'table: sized to the terminal (models as rows when more than 4); markdown, html and json: every column' },
  out: { type: 'string', alias: 'o', describe: 'write the report here instead of stdout' },
} as const satisfies OptionTable;

export type ReportArgs = ArgsOf<typeof reportOptions>;

export const reportSpec: CommandSpec<typeof reportOptions> = {
  command: 'report <results..>',
  describe: 'Leaderboard of the models under RESULTS: per-task scores, category averages, overall average, rank, warnings; exit 2 when a result file is broken',
  options: reportOptions,
};
