import type { CommandSpec } from '../command.js';
import { MtebError } from '../../core/errors.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

/** mteb 1.39.7's `mteb create_meta` flags (dashes as in mteb 2.x's `create-model-results`). */
export const createMetaOptions = {
  'results-folder': { type: 'string', demandOption: true, describe: 'one revision folder of results: <results>/<org>__<model>/<revision>' },
  'output-path': { type: 'string', default: 'model_card.md', describe: 'model card to write ("-": stdout)' },
  overwrite: { type: 'boolean', default: false, describe: 'replace --output-path when it exists' },
  'from-existing': {
    type: 'string',
    describe: "a README.md to merge into (mteb's merge_yamls): its front matter gains the mteb tag and the model-index, its text is kept",
  },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['text', 'json'],
    default: 'text',
    describe: 'what stdout says: a line naming the card written, or one JSON object (model, output, entries, files)',
  },
} as const satisfies OptionTable;

export type CreateMetaArgs = ArgsOf<typeof createMetaOptions>;

export const createMetaSpec: CommandSpec<typeof createMetaOptions> = {
  command: 'create-meta',
  describe: "Write a Hugging Face model card's model-index YAML from a results folder, as mteb's create_meta does",
  options: createMetaOptions,
  check(a) {
    // One document on stdout: the card itself or the JSON summary, not both.
    if (a.outputPath === '-' && a.format === 'json')
      throw new MtebError('E_USAGE', '--output-path - writes the card to stdout; --format json would write a second document there', { field: 'format' });
  },
};
