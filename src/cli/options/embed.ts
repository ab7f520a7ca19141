import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const embedOptions = {
  model: { type: 'string', alias: 'm', demandOption: true, describe: 'model spec, e.g. nvembed:fixtures/models/nv-embed-tiny' },
  instruction: { type: 'string', default: '', describe: 'task instruction (NV-Embed wraps it as "Instruct: …\\nQuery: ")' },
  role: { type: 'string', choices: ['query', 'passage'], default: 'query', describe: 'side of the task the texts are on' },
  'max-length': { type: 'number', integer: true, min: 1, describe: 'token limit per text (after the template)' },
  device: { type: 'string', describe: 'cpu | cuda[:N] | webgpu | tensorrt (in-process models)' },
  input: { type: 'string', describe: 'input file (default stdin)' },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['jsonl', 'json'],
    default: 'jsonl',
    describe: 'JSONL, one {"text","role","instruction"?,"embedding"} a line (usable as precomputed:), or one JSON object {model, revision, dimension, items: [those]}',
  },
} as const satisfies OptionTable;

export type EmbedArgs = ArgsOf<typeof embedOptions>;

export const embedSpec: CommandSpec<typeof embedOptions> = {
  command: 'embed',
  describe: 'Embed texts (one per line or JSONL {"text"}) with a model spec; writes JSONL {"text","embedding"}',
  options: embedOptions,
};
