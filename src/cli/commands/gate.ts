import { appendFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { compareRuns } from '../../compare/compare.js';
import { ALLOWABLE_MISMATCHES, DEFAULT_GATE_RULES, evaluateGate, gateExitCode, parseAllowMismatch } from '../../gate/gate.js';
import { MtebError, formatError } from '../../core/errors.js';
import { formatsFor, renderGate } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { compareOptions, withCompareOptions } from './compare.js';

export const gateCommand: CliCommand = {
  command: 'gate',
  describe: 'CI gate: exit 0 when the candidate stays within the drop limits of the baseline, 1 when a limit is broken, 2 when inputs are unusable',
  builder: (y: Argv) =>
    withCompareOptions(y)
      .option('baseline', { type: 'string', demandOption: true, describe: 'baseline results (e.g. a committed folder)' })
      .option('candidate', { type: 'string', demandOption: true, describe: 'candidate results (e.g. this run)' })
      .option('max-task-drop', { type: 'number', default: DEFAULT_GATE_RULES.maxTaskDrop, describe: 'largest allowed drop of one task (points, 0-100)' })
      .option('max-category-drop', { type: 'number', default: DEFAULT_GATE_RULES.maxCategoryDrop })
      .option('max-average-drop', { type: 'number', default: DEFAULT_GATE_RULES.maxAverageDrop })
      .option('significant-only', { type: 'boolean', default: false, describe: 'ignore drops a paired test finds not significant (unknown significance still counts)' })
      .option('allow-missing', { type: 'boolean', default: false, describe: 'skip tasks with no result file on either side instead of exiting 2 (a file that exists but cannot be scored always exits 2)' })
      .option('allow-mismatch', {
        // Not `array`: a greedy array would swallow following arguments; repeat the flag or use commas.
        type: 'string',
        describe: `accept baseline/candidate files that differ in these (comma-separated, repeatable): ${ALLOWABLE_MISMATCHES.join(', ')}; otherwise such a difference exits 2`,
      })
      .option('junit', { type: 'string', describe: 'write JUnit XML (one testcase per task) here' })
      .option('github-summary', { type: 'string', describe: 'append a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY")' })
      .option('format', { alias: 'f', choices: formatsFor('gate'), default: 'table' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the verdict here instead of stdout' }),
  handler: async (args) => {
    const allowMismatch = parseAllowMismatch(args['allow-mismatch']);
    const cmp = compareRuns([String(args.baseline)], [String(args.candidate)], compareOptions(args));
    const verdict = evaluateGate(cmp, {
      maxTaskDrop: args['max-task-drop'],
      maxCategoryDrop: args['max-category-drop'],
      maxAverageDrop: args['max-average-drop'],
      significantOnly: Boolean(args['significant-only']),
      allowMissing: Boolean(args['allow-missing']),
      allowMismatch,
    });
    if (args.junit) await writeFileAtomic(String(args.junit), renderGate(verdict, 'junit'));
    if (args['github-summary']) appendFileSync(String(args['github-summary']), renderGate(verdict, 'github-summary'));
    const text = renderGate(verdict, String(args.format));
    if (args.out) await writeFileAtomic(String(args.out), text);
    else process.stdout.write(text);
    for (const w of verdict.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const e of verdict.errors) process.stderr.write(formatError(new MtebError(e.code, e.message, e.location)) + '\n');
    return gateExitCode(verdict);
  },
};
