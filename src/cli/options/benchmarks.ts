import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const benchmarksOptions = {
  format: { type: 'string', alias: 'f', choices: ['table', 'json'], default: 'table', describe: 'a table, or the benchmark definitions as JSON' },
  json: { type: 'boolean', default: false, describe: 'same as --format json' },
} as const satisfies OptionTable;

export type BenchmarksArgs = ArgsOf<typeof benchmarksOptions>;

export const benchmarksSpec: CommandSpec<typeof benchmarksOptions> = {
  command: 'benchmarks',
  describe: 'List the known benchmarks (names, aliases, number of tasks)',
  options: benchmarksOptions,
};
