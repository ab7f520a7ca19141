import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const serveOptions = {
  model: { type: 'string', alias: 'm', demandOption: true, describe: 'model spec (nvembed:DIR, hash:DIM, ...)' },
  port: { type: 'number', alias: 'p', integer: true, min: 0, default: 8000, describe: 'TCP port (0: any free one; the URL is printed on stdout)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'bind address; no authentication, so 0.0.0.0 only on a trusted network' },
  device: { type: 'string', describe: 'onnxruntime device for in-process models' },
  'cache-dir': { type: 'string', default: 'none', describe: 'also cache served vectors in this embedding cache' },
  concurrency: { type: 'number', integer: true, min: 1, default: 1, describe: 'embed calls run at once' },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['text', 'json'],
    default: 'text',
    describe: 'what stdout says once listening: the URL, or one JSON line {url, model, revision, dimension}',
  },
} as const satisfies OptionTable;

export type ServeArgs = ArgsOf<typeof serveOptions>;

export const serveSpec: CommandSpec<typeof serveOptions> = {
  command: 'serve',
  describe: 'Serve a model over the OpenAI embeddings API (POST /v1/embeddings, GET /v1/models, GET /health)',
  options: serveOptions,
};
