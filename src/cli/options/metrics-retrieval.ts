import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { DEFAULT_K_VALUES } from '../../metrics/retrieval/types.js';

export const metricsRetrievalOptions = {
  qrels: {
    type: 'string',
    demandOption: true,
    describe: 'qrels: TREC (qid iter docid rel), BEIR TSV (query-id<TAB>corpus-id<TAB>score, header optional) or JSON {qid: {docid: rel}}; detected from the file',
  },
  run: { type: 'string', demandOption: true, describe: 'TREC run (qid Q0 docid rank score tag) or JSON {qid: {docid: score}}' },
  k: { type: 'string', default: DEFAULT_K_VALUES.join(','), describe: 'comma-separated cutoffs' },
  protocol: { type: 'string', choices: ['mteb-1', 'mteb-2'], default: 'mteb-2', describe: 'which mteb line to reproduce' },
  'mteb1-variant': {
    type: 'string',
    choices: ['1.12.0', '1.12.8'],
    default: '1.12.8',
    describe: 'mteb-1 only: 1.12.8+ (MRR mean, nauc keys; what `run` writes and the published files hold) or 1.12.0 (MRR / len(qrels), rounded)',
  },
  'python-sum': { type: 'string', choices: ['naive', 'neumaier'], default: 'naive', describe: "Python's sum(): naive (<=3.11) or neumaier (3.12+)" },
  'ignore-identical-ids': { type: 'boolean', default: false, describe: 'drop doc == query from the run first' },
  nauc: { type: 'boolean', default: true, describe: 'compute nauc_* abstention keys where the protocol has them' },
  'per-query': { type: 'boolean', default: false, describe: 'also print unrounded per-query values' },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['json', 'table'],
    default: 'json',
    describe: 'one JSON object {scores, per_query?}, or one "metric<TAB>value" line per score (no --per-query)',
  },
} as const satisfies OptionTable;

export type MetricsRetrievalArgs = ArgsOf<typeof metricsRetrievalOptions>;

/** Mounted under the `metrics` group: `mteb-ts metrics retrieval`. */
export const metricsRetrievalSpec: CommandSpec<typeof metricsRetrievalOptions> = {
  command: 'retrieval',
  describe: 'Retrieval metrics (trec_eval ndcg_cut/map_cut/recall/P/success + mteb MRR) of a run, as mteb reports them',
  options: metricsRetrievalOptions,
};
