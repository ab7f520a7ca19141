import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const benchmarksOptions = {
  json: { type: 'boolean', default: false, describe: 'print the benchmark definitions as JSON' },
} as const satisfies OptionTable;

export type BenchmarksArgs = ArgsOf<typeof benchmarksOptions>;

export const benchmarksSpec: CommandSpec<typeof benchmarksOptions> = {
  command: 'benchmarks',
  describe: 'List the known benchmarks (names, aliases, number of tasks)',
  options: benchmarksOptions,
};
