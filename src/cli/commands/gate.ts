import { appendFileSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { compareRuns } from '../../compare/compare.js';
import { evaluateGate, gateExitCode, parseAllowMismatch } from '../../gate/gate.js';
import { MtebError, formatError } from '../../core/errors.js';
import { gateSpec, type GateArgs } from '../options/gate.js';
import { renderGate } from '../../../reports/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { comparisonOptions } from './compare.js';
import { terminalWidth } from './results-source.js';

/** `mteb-ts gate`: the verdict of the candidate against the baseline's drop limits, as an exit code. */
export async function gate(args: GateArgs): Promise<number> {
  const allowMismatch = parseAllowMismatch(args.allowMismatch);
  const cmp = compareRuns([args.baseline], [args.candidate], comparisonOptions(args, args.baseline, args.candidate));
  const verdict = evaluateGate(cmp, {
    maxTaskDrop: args.maxTaskDrop,
    maxCategoryDrop: args.maxCategoryDrop,
    maxAverageDrop: args.maxAverageDrop,
    significantOnly: args.significantOnly,
    allowMissing: args.allowMissing,
    allowMismatch,
  });
  if (args.junit) await writeFileAtomic(args.junit, renderGate(verdict, 'junit'));
  if (args.githubSummary) appendFileSync(args.githubSummary, renderGate(verdict, 'github-summary'));
  const text = renderGate(verdict, args.format, { width: terminalWidth(args.out) });
  if (args.out) await writeFileAtomic(args.out, text);
  else process.stdout.write(text);
  // -q: the verdict alone (it lists the warnings and errors itself); the exit code still says.
  if (!args.quiet) {
    for (const w of verdict.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const e of verdict.errors) process.stderr.write(formatError(new MtebError(e.code, e.message, e.location)) + '\n');
  }
  return gateExitCode(verdict);
}

export const gateCommand = defineCommand(gateSpec, gate);
