import { defineCommand } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { evaluateRetrieval } from '../../metrics/retrieval/evaluate.js';
import { readQrels, readRun } from '../../metrics/retrieval/readers.js';
import type { RetrievalCoverage } from '../../metrics/retrieval/types.js';
import { metricsRetrievalSpec, type MetricsRetrievalArgs } from '../options/metrics-retrieval.js';

/** What the user should know about the queries the means cover (counts + one example id each). */
export function coverageWarnings(c: RetrievalCoverage | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  if (c.runQueriesNotInQrels > 0) {
    out.push(
      `${c.runQueriesNotInQrels} run quer${c.runQueriesNotInQrels === 1 ? 'y has' : 'ies have'} no qrels entry and ${c.runQueriesNotInQrels === 1 ? 'is' : 'are'} not evaluated (as pytrec_eval/trec_eval; mteb's MRR would raise KeyError), e.g. ${JSON.stringify(c.runQueriesNotInQrelsExample)}`,
    );
  }
  if (c.qrelsQueriesNotInRun > 0) {
    out.push(
      `${c.qrelsQueriesNotInRun} qrels quer${c.qrelsQueriesNotInRun === 1 ? 'y is' : 'ies are'} not in the run and not evaluated${c.mrrDenominator > c.evaluated ? ' (mteb 1.12.0 MRR still divides by them)' : ''}, e.g. ${JSON.stringify(c.qrelsQueriesNotInRunExample)}`,
    );
  }
  if (c.emptyJudgements > 0) {
    out.push(
      `${c.emptyJudgements} evaluated quer${c.emptyJudgements === 1 ? 'y has' : 'ies have'} an empty qrels entry and count${c.emptyJudgements === 1 ? 's' : ''} as 0 in every mean (mteb 2 drops such queries before evaluating; pytrec_eval's values for them are undefined, cvangysel/pytrec_eval#49), e.g. ${JSON.stringify(c.emptyJudgementsExample)}`,
    );
  }
  return out;
}

/** `mteb-ts metrics retrieval`: score a run file against qrels with mteb's keys (mounted under `metrics`). */
export async function metricsRetrieval(args: MetricsRetrievalArgs): Promise<number> {
  const kValues = args.k
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const v = Number(s.trim());
      if (!Number.isInteger(v)) throw new MtebError('E_USAGE', `--k: "${s}" is not an integer`, { field: 'k' });
      return v;
    });
  const qrels = readQrels(args.qrels);
  const run = readRun(args.run);
  const t0 = Date.now();
  const res = evaluateRetrieval(qrels, run, {
    kValues,
    protocol: args.protocol,
    mteb1Variant: args.mteb1Variant,
    pythonSum: args.pythonSum,
    ignoreIdenticalIds: args.ignoreIdenticalIds,
    nauc: args.nauc,
  });
  for (const w of coverageWarnings(res.coverage)) process.stderr.write(`warning: ${w}\n`);
  process.stderr.write(`evaluated ${res.perQuery.size} queries in ${Date.now() - t0} ms\n`);
  const out: Record<string, unknown> = { scores: res.scores };
  if (args.perQuery) out.per_query = Object.fromEntries(res.perQuery);
  if (args.format === 'table') {
    if (args.perQuery) throw new MtebError('E_USAGE', '--per-query values are JSON only; drop --format table', { field: 'format' });
    process.stdout.write(Object.entries(res.scores).map(([k, v]) => `${k}\t${v}`).join('\n') + '\n');
    return 0;
  }
  // NaN (a flat oracle curve in nauc_*) has no JSON form; it prints as null.
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

export const metricsRetrievalCommand = defineCommand(metricsRetrievalSpec, metricsRetrieval);
