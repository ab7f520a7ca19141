import type { Argv } from 'yargs';
import type { LayerOrderOptions } from './select.js';

/** The options every results-reading command shares (report, compare, gate). */
export function withSourceOptions(y: Argv): Argv {
  return y
    .option('benchmark', { alias: 'b', type: 'string', default: 'MTEB(eng, v1)', describe: 'benchmark whose leaderboard rules score the results' })
    .option('prefer', {
      type: 'string',
      array: true,
      describe: 'results folder whose files take precedence over the RESULTS folders (repeatable, first wins), or "external" to rank model-card files above revision folders',
    });
}

export function sourceOptions(args: Record<string, any>): Pick<LayerOrderOptions, 'prefer'> & { benchmark: string } {
  return { benchmark: String(args.benchmark), prefer: (args.prefer as string[] | undefined)?.map(String) };
}

export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
