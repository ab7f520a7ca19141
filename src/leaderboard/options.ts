import type { Argv } from 'yargs';
import type { LayerOrderOptions } from './select.js';

/** The options every results-reading command shares (report, compare, gate). */
export function withSourceOptions(y: Argv): Argv {
  return y
    .option('benchmark', { alias: 'b', type: 'string', default: 'MTEB(eng, v1)', describe: 'benchmark whose leaderboard rules score the results' })
    .option('prefer', {
      // Repeat the flag for several (no `array`: a greedy array would swallow the RESULTS positionals).
      type: 'string',
      describe: 'results folder whose files take precedence over the RESULTS folders (repeatable, first wins), or "external" to rank model-card files above revision folders',
    });
}

/** A repeatable string flag as an array (yargs gives a string for one use, an array for several). */
export function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function sourceOptions(args: Record<string, any>): Pick<LayerOrderOptions, 'prefer'> & { benchmark: string } {
  return { benchmark: String(args.benchmark), prefer: list(args.prefer) };
}

export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}
