import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { evaluateRetrieval } from '../../metrics/retrieval/evaluate.js';
import { readQrels, readRun } from '../../metrics/retrieval/readers.js';
import {
  DEFAULT_K_VALUES,
  type Mteb1Variant,
  type PythonSum,
  type RetrievalCoverage,
  type RetrievalProtocol,
} from '../../metrics/retrieval/types.js';

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
export const metricsRetrievalCommand: CliCommand = {
  command: 'retrieval',
  describe: 'Retrieval metrics (trec_eval ndcg_cut/map_cut/recall/P/success + mteb MRR) of a run, as mteb reports them',
  builder: (y: Argv) =>
    y
      .option('qrels', { type: 'string', demandOption: true, describe: 'qrels: TREC (qid iter docid rel), BEIR TSV (query-id<TAB>corpus-id<TAB>score, header optional) or JSON {qid: {docid: rel}}; detected from the file' })
      .option('run', { type: 'string', demandOption: true, describe: 'TREC run (qid Q0 docid rank score tag) or JSON {qid: {docid: score}}' })
      .option('k', { type: 'string', default: DEFAULT_K_VALUES.join(','), describe: 'comma-separated cutoffs' })
      .option('protocol', { choices: ['mteb-1', 'mteb-2'], default: 'mteb-2', describe: 'which mteb line to reproduce' })
      .option('mteb1-variant', {
        choices: ['1.12.0', '1.12.8'],
        default: '1.12.8',
        describe: 'mteb-1 only: 1.12.8+ (MRR mean, nauc keys; what `run` writes and the published files hold) or 1.12.0 (MRR / len(qrels), rounded)',
      })
      .option('python-sum', { choices: ['naive', 'neumaier'], default: 'naive', describe: "Python's sum(): naive (<=3.11) or neumaier (3.12+)" })
      .option('ignore-identical-ids', { type: 'boolean', default: false, describe: 'drop doc == query from the run first' })
      .option('nauc', { type: 'boolean', default: true, describe: 'compute nauc_* abstention keys where the protocol has them' })
      .option('per-query', { type: 'boolean', default: false, describe: 'also print unrounded per-query values' }),
  handler: async (args) => {
    const kValues = String(args.k)
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => {
        const v = Number(s.trim());
        if (!Number.isInteger(v)) throw new MtebError('E_USAGE', `--k: "${s}" is not an integer`, { field: 'k' });
        return v;
      });
    const qrels = readQrels(String(args.qrels));
    const run = readRun(String(args.run));
    const t0 = Date.now();
    const res = evaluateRetrieval(qrels, run, {
      kValues,
      protocol: args.protocol as RetrievalProtocol,
      mteb1Variant: args['mteb1-variant'] as Mteb1Variant,
      pythonSum: args['python-sum'] as PythonSum,
      ignoreIdenticalIds: Boolean(args['ignore-identical-ids']),
      nauc: Boolean(args.nauc),
    });
    for (const w of coverageWarnings(res.coverage)) process.stderr.write(`warning: ${w}\n`);
    process.stderr.write(`evaluated ${res.perQuery.size} queries in ${Date.now() - t0} ms\n`);
    const out: Record<string, unknown> = { scores: res.scores };
    if (args['per-query']) out.per_query = Object.fromEntries(res.perQuery);
    // NaN (a flat oracle curve in nauc_*) has no JSON form; it prints as null.
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  },
};
