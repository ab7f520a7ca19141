/**
 * Where an mteb-ts command or option has a Python mteb counterpart, which one: docs/cli.md shows them side by
 * side (src/cli/cli-doc.ts). mteb 2.20's CLI (mteb/cli/build_cli.py) unless a version is named; an option left out
 * has none. A name here that no command or option has fails tests/cli/cli-doc.test.ts.
 */
export interface MtebEquivalent {
  command: string;
  options?: Record<string, string>;
}

export const MTEB_EQUIVALENTS: Record<string, MtebEquivalent> = {
  run: {
    command: '`mteb run`',
    options: {
      model: '`-m/--model`',
      tasks: '`-t/--tasks`',
      benchmark: '`-b/--benchmarks`',
      type: '`--task-types`',
      'eval-splits': '`--eval-splits`',
      languages: '`-l/--languages`',
      subsets: 'Python only: `task.filter_languages(hf_subsets=...)`',
      output: '`--output-folder`',
      'model-revision': '`--model-revision`',
      'batch-size': '`--batch-size`',
      device: '`--device`',
      overwrite: '`--overwrite` (deprecated there too)',
      'overwrite-strategy': '`--overwrite-strategy`',
      'save-predictions': '`--prediction-folder` (`--save_predictions`, deprecated)',
      quiet: '`-v 0`',
    },
  },
  tasks: { command: '`mteb available-tasks`', options: { type: '`--task-types`' } },
  benchmarks: { command: '`mteb available-benchmarks`' },
  'create-meta': {
    command: '`mteb create_meta` (1.39.7; 2.x: `mteb create-model-results`)',
    options: {
      'results-folder': '`--results_folder` (2.x `--results-folder`)',
      'output-path': '`--output_path` (2.x `--output-path`)',
      overwrite: '`--overwrite`',
      'from-existing': '`--from_existing` (2.x `--from-existing`)',
    },
  },
  report: { command: 'Python: `mteb.load_results(...).to_dataframe()` / the leaderboard (`mteb leaderboard`)' },
};
