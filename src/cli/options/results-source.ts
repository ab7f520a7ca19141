import type { OptionTable } from '../option-table.js';

/** The options every results-reading command shares (report, compare, gate). */
export const resultsSourceOptions = {
  benchmark: {
    type: 'string',
    alias: 'b',
    describe: 'benchmark whose leaderboard rules score the results (default: the one the results cover most, named on stderr)',
  },
  prefer: {
    type: 'string',
    repeatable: true,
    describe: 'results folder whose files take precedence over the RESULTS folders (repeatable, first wins), or "external" to rank model-card files above revision folders',
  },
  strict: {
    type: 'boolean',
    default: false,
    describe: 'stricter than mteb: one revision folder per model (newest complete), v1 Reranking needs "map", CQADupstack forums of one folder only (docs/reports.md)',
  },
  quiet: {
    type: 'boolean',
    alias: 'q',
    default: false,
    describe: 'print only the report (table, comparison or verdict): no notes, warnings or broken-file lines on stderr; the exit code still says',
  },
  'accept-split-mislabels': {
    type: 'boolean',
    default: false,
    describe: 'use a file holding only a stand-in split (MSMARCO "test" for "dev"), with a warning; mteb leaves the task blank',
  },
} as const satisfies OptionTable;
