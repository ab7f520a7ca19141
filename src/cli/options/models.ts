import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const modelsOptions = {
  format: { type: 'string', alias: 'f', choices: ['table', 'json'], default: 'table', describe: 'a table, or the registered prompts as JSON' },
  json: { type: 'boolean', default: false, describe: 'same as --format json' },
} as const satisfies OptionTable;

export type ModelsArgs = ArgsOf<typeof modelsOptions>;

export const modelsSpec: CommandSpec<typeof modelsOptions> = {
  command: 'models',
  describe: "List the registered models' prompts (query / passage, per task type) and where each came from",
  options: modelsOptions,
};
