import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { FORMATS } from './formats.js';
import { resultsSourceOptions } from './results-source.js';

/** Options compare and gate share: which runs, and the paired significance tests. */
export const comparisonOptions = {
  ...resultsSourceOptions,
  'baseline-revision': { type: 'string', repeatable: true, describe: 'revision folder for the baseline (REV or org/model=REV)' },
  'candidate-revision': { type: 'string', repeatable: true, describe: 'revision folder for the candidate' },
  'baseline-model': { type: 'string', describe: 'model to take when the baseline folder holds several' },
  'candidate-model': { type: 'string', describe: 'model to take when the candidate folder holds several' },
  test: { type: 'string', choices: ['both', 'randomization', 'bootstrap'], default: 'both', describe: 'paired test(s) over per-item scores' },
  iterations: { type: 'number', default: 10000, describe: 'resamples per test' },
  seed: { type: 'number', default: 42, describe: 'seed of the resampling (numpy RandomState stream)' },
  alpha: { type: 'number', default: 0.05, describe: 'significance level' },
} as const satisfies OptionTable;

export type ComparisonArgs = ArgsOf<typeof comparisonOptions>;

export const compareOptions = {
  baseline: { type: 'string', positional: true, demandOption: true, describe: 'baseline results (model folder or revision folder)' },
  candidate: { type: 'string', positional: true, demandOption: true, describe: 'candidate results' },
  ...comparisonOptions,
  format: { type: 'string', alias: 'f', choices: FORMATS.comparison, default: 'table', describe: 'table: sized to the terminal; the others: every column' },
  out: { type: 'string', alias: 'o', describe: 'write the comparison here instead of stdout' },
} as const satisfies OptionTable;

export type CompareArgs = ArgsOf<typeof compareOptions>;

export const compareSpec: CommandSpec<typeof compareOptions> = {
  command: 'compare <baseline> <candidate>',
  describe:
    'Per-task and per-category deltas between two runs, with paired significance tests where per-item scores exist; warns on protocol/mteb version/dataset revision/--limit mismatches; exit 2 when a result file is broken',
  options: compareOptions,
};
