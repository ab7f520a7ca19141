import Table from 'cli-table3';
import { defineCommand } from '../command.js';
import { listBenchmarks } from '../../registry/index.js';
import { benchmarksSpec, type BenchmarksArgs } from '../options/benchmarks.js';
import { colorOn } from '../../util/color.js';
import { wrapWidths } from '../../util/terminal-table.js';

/** `mteb-ts benchmarks`: the known benchmarks as a table or JSON. */
export async function benchmarks(args: BenchmarksArgs): Promise<number> {
  const all = listBenchmarks();
  if (args.json || args.format === 'json') {
    process.stdout.write(JSON.stringify(all, null, 2) + '\n');
    return 0;
  }
  const table = new Table({
    head: ['benchmark', 'aliases', 'tasks', 'description'],
    // Sized to the terminal (the description wraps inside its cell); pipes and files get the full widths.
    colWidths: wrapWidths([16, 24, 7, 70], process.stdout.isTTY ? process.stdout.columns : undefined),
    wordWrap: true,
    ...(colorOn(process.stdout) ? {} : { style: { head: [], border: [] } }),
  });
  for (const b of all) table.push([b.name, (b.aliases ?? []).join(', '), String(b.tasks.length), b.description]);
  process.stdout.write(table.toString() + '\n');
  return 0;
}

export const benchmarksCommand = defineCommand(benchmarksSpec, benchmarks);
