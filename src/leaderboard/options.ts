import type { Argv } from 'yargs';
import { MtebError, formatError } from '../core/errors.js';
import type { UnusableFile } from './types.js';
import type { LayerOrderOptions } from './select.js';
import type { RuleOptions } from './score.js';
import { inferBenchmark } from './infer-benchmark.js';

/** The options every results-reading command shares (report, compare, gate). */
export function withSourceOptions(y: Argv): Argv {
  return y
    .option('benchmark', {
      alias: 'b',
      type: 'string',
      describe: 'benchmark whose leaderboard rules score the results (default: the one the results cover most, named on stderr)',
    })
    .option('prefer', {
      // Repeat the flag for several (no `array`: a greedy array would swallow the RESULTS positionals).
      type: 'string',
      describe: 'results folder whose files take precedence over the RESULTS folders (repeatable, first wins), or "external" to rank model-card files above revision folders',
    })
    .option('strict', {
      type: 'boolean',
      default: false,
      describe: 'stricter than mteb: one revision folder per model (newest complete), v1 Reranking needs "map", CQADupstack forums of one folder only (docs/reports.md)',
    })
    .option('accept-split-mislabels', {
      type: 'boolean',
      default: false,
      describe: 'use a file holding only a stand-in split (MSMARCO "test" for "dev"), with a warning; mteb leaves the task blank',
    });
}

/** A repeatable string flag as an array (yargs gives a string for one use, an array for several). */
export function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

/**
 * The shared options as library options. Without -b the benchmark is the one `sources` cover most (said on
 * stderr), so `report demo-results` scores the demo tasks instead of printing 56 blank MTEB(eng, v1) rows.
 */
export function sourceOptions(args: Record<string, any>, sources: string[] = []): Pick<LayerOrderOptions, 'prefer' | 'strict'> & RuleOptions & { benchmark: string } {
  let benchmark = args.benchmark === undefined ? undefined : String(args.benchmark);
  if (benchmark === undefined) {
    const inferred = inferBenchmark(sources);
    benchmark = inferred.name;
    stderrLog(`benchmark: ${inferred.name} (${inferred.reason}; -b chooses another)`);
  }
  return {
    benchmark,
    prefer: list(args.prefer),
    strict: Boolean(args.strict),
    acceptSplitMislabels: Boolean(args['accept-split-mislabels']),
  };
}

export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Names each broken result file on stderr as one `error[CODE] task T FILE: message` line; returns how many.
 * report and compare exit 2 when this is not 0 (their output is still written: it names the files too).
 */
export function printBrokenFiles(files: UnusableFile[], prefix = ''): number {
  const broken = files.filter((u) => u.broken);
  for (const u of broken) {
    process.stderr.write(formatError(new MtebError(u.code, `${prefix}result file unusable: ${u.reason}`, { task: u.task, file: u.file })) + '\n');
  }
  return broken.length;
}
