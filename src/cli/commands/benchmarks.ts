import Table from 'cli-table3';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { listBenchmarks } from '../../registry/index.js';

export const benchmarksCommand: CliCommand = {
  command: 'benchmarks',
  describe: 'List the known benchmarks (names, aliases, number of tasks)',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'print the benchmark definitions as JSON' }),
  handler: async (args) => {
    const all = listBenchmarks();
    if (args.json) {
      process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      return 0;
    }
    const table = new Table({
      head: ['benchmark', 'aliases', 'tasks', 'description'],
      colWidths: [16, 24, 7, 70],
      wordWrap: true,
      ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
    });
    for (const b of all) table.push([b.name, (b.aliases ?? []).join(', '), String(b.tasks.length), b.description]);
    process.stdout.write(table.toString() + '\n');
    return 0;
  },
};
