import { MtebError, formatError } from '../../core/errors.js';
import { inferBenchmark } from '../../leaderboard/infer-benchmark.js';
import type { UnusableFile } from '../../leaderboard/types.js';
import type { LayerOrderOptions } from '../../leaderboard/select.js';
import type { RuleOptions } from '../../leaderboard/score.js';
import type { ArgsOf } from '../option-table.js';
import type { resultsSourceOptions } from '../options/results-source.js';

/**
 * The shared results options (src/cli/options/results-source.ts) as library options. Without -b the benchmark
 * is the one `sources` cover most (said on stderr), so `report demo-results` scores the demo tasks instead of
 * printing 56 blank MTEB(eng, v1) rows.
 */
export function sourceOptions(
  args: ArgsOf<typeof resultsSourceOptions>,
  sources: string[],
): Pick<LayerOrderOptions, 'prefer' | 'strict'> & RuleOptions & { benchmark: string } {
  let benchmark = args.benchmark;
  if (benchmark === undefined) {
    const inferred = inferBenchmark(sources);
    benchmark = inferred.name;
    logFor(args)(`benchmark: ${inferred.name} (${inferred.reason}; -b chooses another)`);
  }
  return { benchmark, prefer: args.prefer, strict: args.strict, acceptSplitMislabels: args.acceptSplitMislabels };
}

/** The terminal's width when the output goes to one; undefined (every column) for a pipe or a file. */
export function terminalWidth(out: string | undefined): number | undefined {
  return !out && process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : undefined;
}

export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Where report, compare and gate write their notes and warnings: stderr, or nowhere under `-q/--quiet`. */
export function logFor(args: { quiet?: boolean }): (line: string) => void {
  return args.quiet ? () => {} : stderrLog;
}

/**
 * Names each broken result file on stderr as one `error[CODE] task T FILE: message` line; returns how many.
 * report and compare exit 2 when this is not 0 (their output is still written: it names the files too); `quiet`
 * counts without printing.
 */
export function printBrokenFiles(files: UnusableFile[], prefix = '', quiet = false): number {
  const broken = files.filter((u) => u.broken);
  for (const u of quiet ? [] : broken) {
    process.stderr.write(formatError(new MtebError(u.code, `${prefix}result file unusable: ${u.reason}`, { task: u.task, file: u.file })) + '\n');
  }
  return broken.length;
}
