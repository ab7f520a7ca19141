import { defineCommand } from '../command.js';
import { compareRuns } from '../../compare/compare.js';
import type { CompareOptions } from '../../compare/compare.js';
import { compareSpec, type CompareArgs, type ComparisonArgs } from '../options/compare.js';
import { renderComparison } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { logFor, printBrokenFiles, sourceOptions, terminalWidth } from './results-source.js';

/** The options compare and gate share, as the library's CompareOptions. */
export function comparisonOptions(args: ComparisonArgs, baseline: string, candidate: string): CompareOptions {
  return {
    ...sourceOptions(args, [baseline, candidate]),
    baselineRevision: args.baselineRevision,
    candidateRevision: args.candidateRevision,
    baselineModel: args.baselineModel,
    candidateModel: args.candidateModel,
    test: args.test,
    iterations: args.iterations,
    seed: args.seed,
    alpha: args.alpha,
    log: logFor(args),
  };
}

/** `mteb-ts compare`: per-task and per-category deltas with paired significance tests. */
export async function compare(args: CompareArgs): Promise<number> {
  const cmp = compareRuns([args.baseline], [args.candidate], comparisonOptions(args, args.baseline, args.candidate));
  const text = renderComparison(cmp, args.format, { width: terminalWidth(args.out) });
  if (args.out) {
    await writeFileAtomic(args.out, text);
    logFor(args)(`wrote ${args.out}`);
  } else process.stdout.write(text);
  const broken = printBrokenFiles(cmp.baseline.unusable, 'baseline ', args.quiet) + printBrokenFiles(cmp.candidate.unusable, 'candidate ', args.quiet);
  return broken ? 2 : 0;
}

export const compareCommand = defineCommand(compareSpec, compare);
