import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { compareRuns } from '../../compare/compare.js';
import type { CompareOptions } from '../../compare/compare.js';
import { list, printBrokenFiles, sourceOptions, stderrLog, withSourceOptions } from '../../leaderboard/options.js';
import { formatsFor, renderComparison } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

/** Options compare and gate share. */
export function withCompareOptions(y: Argv): Argv {
  return withSourceOptions(y)
    .option('baseline-revision', { type: 'string', describe: 'revision folder for the baseline (REV or org/model=REV)' })
    .option('candidate-revision', { type: 'string', describe: 'revision folder for the candidate' })
    .option('baseline-model', { type: 'string', describe: 'model to take when the baseline folder holds several' })
    .option('candidate-model', { type: 'string', describe: 'model to take when the candidate folder holds several' })
    .option('test', { choices: ['both', 'randomization', 'bootstrap'] as const, default: 'both', describe: 'paired test(s) over per-item scores' })
    .option('iterations', { type: 'number', default: 10000, describe: 'resamples per test' })
    .option('seed', { type: 'number', default: 42, describe: 'seed of the resampling (numpy RandomState stream)' })
    .option('alpha', { type: 'number', default: 0.05, describe: 'significance level' });
}

export function compareOptions(args: Record<string, any>): CompareOptions {
  return {
    ...sourceOptions(args, [String(args.baseline), String(args.candidate)]),
    baselineRevision: list(args['baseline-revision']),
    candidateRevision: list(args['candidate-revision']),
    baselineModel: args['baseline-model'],
    candidateModel: args['candidate-model'],
    test: args.test,
    iterations: args.iterations,
    seed: args.seed,
    alpha: args.alpha,
    log: stderrLog,
  };
}

export const compareCommand: CliCommand = {
  command: 'compare <baseline> <candidate>',
  describe: 'Per-task and per-category deltas between two runs, with paired significance tests where per-item scores exist; warns on protocol/mteb version/dataset revision/--limit mismatches; exit 2 when a result file is broken',
  builder: (y: Argv) =>
    withCompareOptions(y)
      .positional('baseline', { type: 'string', describe: 'baseline results (model folder or revision folder)' })
      .positional('candidate', { type: 'string', describe: 'candidate results' })
      .option('format', { alias: 'f', choices: formatsFor('comparison'), default: 'table' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the comparison here instead of stdout' }),
  handler: async (args) => {
    const cmp = compareRuns([String(args.baseline)], [String(args.candidate)], compareOptions(args));
    const text = renderComparison(cmp, String(args.format));
    if (args.out) {
      await writeFileAtomic(String(args.out), text);
      stderrLog(`wrote ${args.out}`);
    } else process.stdout.write(text);
    const broken = printBrokenFiles(cmp.baseline.unusable, 'baseline ') + printBrokenFiles(cmp.candidate.unusable, 'candidate ');
    return broken ? 2 : 0;
  },
};
