import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { modelAndTaskOptions } from './run.js';

const m = modelAndTaskOptions;

/** The task selection of `run` (same flags, same meanings), where to write, and nothing about a model. */
export const exportTextsOptions = {
  tasks: m.tasks,
  benchmark: m.benchmark,
  type: m.type,
  'eval-splits': m['eval-splits'],
  subsets: m.subsets,
  languages: m.languages,
  output: { type: 'string', alias: 'o', default: 'texts', describe: 'folder for <Task>.jsonl (JSONL {"text","role","instruction"?}); nothing is written elsewhere' },
  'data-dir': m['data-dir'],
  'hf-home': m['hf-home'],
  limit: { type: 'number', integer: true, min: 1, describe: "the texts of `run --limit N`'s dry run" },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['table', 'json'],
    default: 'table',
    describe: 'stdout: one line per task, or one JSON object (each task\'s file and text counts)',
  },
  quiet: m.quiet,
} as const satisfies OptionTable;

export type ExportTextsArgs = ArgsOf<typeof exportTextsOptions>;

export const exportTextsSpec: CommandSpec<typeof exportTextsOptions> = {
  command: 'export-texts',
  describe: 'Write the exact texts (with role and instruction) each task has a model embed, as JSONL, for embedding elsewhere and coming back with precomputed:',
  options: exportTextsOptions,
};
