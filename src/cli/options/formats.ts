/**
 * The output formats each results command offers, as `--help` lists them. The reporters registry
 * (reports/index.ts, `formatsFor`) is the source of truth, but importing it would load every reporter and
 * cli-table3 for `mteb-ts --help`; tests/cli/option-tables.test.ts fails when the two lists differ.
 */
export const FORMATS = {
  leaderboard: ['table', 'markdown', 'html', 'json'],
  comparison: ['table', 'markdown', 'html', 'json', 'github-summary'],
  gate: ['table', 'markdown', 'json', 'junit', 'github-summary'],
} as const;
