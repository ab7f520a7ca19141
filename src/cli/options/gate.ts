import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { FORMATS } from './formats.js';
import { comparisonOptions } from './compare.js';

/**
 * The gate's defaults and the mismatches it can be told to accept: DEFAULT_GATE_RULES and ALLOWABLE_MISMATCHES
 * of src/gate/gate.ts, written out because that module loads the task registry when imported (too slow for
 * `--help`); tests/cli/option-tables.test.ts fails when they differ.
 */
export const GATE_DEFAULTS = { maxTaskDrop: 1, maxCategoryDrop: 0.5, maxAverageDrop: 0.3 } as const;
export const ALLOWABLE_MISMATCH_NAMES = ['protocol', 'mteb-version', 'dataset-revision'] as const;

export const gateOptions = {
  ...comparisonOptions,
  baseline: { type: 'string', demandOption: true, describe: 'baseline results (e.g. a committed folder)' },
  candidate: { type: 'string', demandOption: true, describe: 'candidate results (e.g. this run)' },
  'max-task-drop': { type: 'number', default: GATE_DEFAULTS.maxTaskDrop, describe: 'largest allowed drop of one task (points, 0-100)' },
  'max-category-drop': { type: 'number', default: GATE_DEFAULTS.maxCategoryDrop },
  'max-average-drop': { type: 'number', default: GATE_DEFAULTS.maxAverageDrop },
  'significant-only': { type: 'boolean', default: false, describe: 'ignore drops a paired test finds not significant (unknown significance still counts)' },
  'allow-missing': {
    type: 'boolean',
    default: false,
    describe: 'skip tasks with no result file on either side instead of exiting 2 (a file that exists but cannot be scored always exits 2)',
  },
  'allow-mismatch': {
    type: 'string',
    repeatable: true,
    describe: `accept baseline/candidate files that differ in these (comma-separated, repeatable): ${ALLOWABLE_MISMATCH_NAMES.join(', ')}; otherwise such a difference exits 2`,
  },
  junit: { type: 'string', describe: 'write JUnit XML (one testcase per task) here' },
  'github-summary': { type: 'string', describe: 'append a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY")' },
  format: { type: 'string', alias: 'f', choices: FORMATS.gate, default: 'table', describe: 'table: sized to the terminal; the others: every column' },
  out: { type: 'string', alias: 'o', describe: 'write the verdict here instead of stdout' },
} as const satisfies OptionTable;

export type GateArgs = ArgsOf<typeof gateOptions>;

export const gateSpec: CommandSpec<typeof gateOptions> = {
  command: 'gate',
  describe: 'CI gate: exit 0 when the candidate stays within the drop limits of the baseline, 1 when a limit is broken, 2 when inputs are unusable',
  options: gateOptions,
};
