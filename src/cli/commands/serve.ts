import path from 'node:path';
import type { Argv } from 'yargs';
import type { CliCommand } from '../command.js';
import { resolveEmbedder } from '../../embedders/resolve.js';
import { EmbeddingCache } from '../../cache/embedding-cache.js';
import { startServer } from '../../serve/server.js';

/** `mteb-ts serve --model SPEC`: any mteb-ts embedder behind the OpenAI embeddings API. */
export const serveCommand: CliCommand = {
  command: 'serve',
  describe: 'Serve a model over the OpenAI embeddings API (POST /v1/embeddings, GET /v1/models, GET /health)',
  builder: (y: Argv) =>
    y
      .option('model', { alias: 'm', type: 'string', demandOption: true, describe: 'model spec (nvembed:DIR, hash:DIM, ...)' })
      .option('port', { alias: 'p', type: 'number', default: 8000 })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'bind address; no authentication, so 0.0.0.0 only on a trusted network' })
      .option('device', { type: 'string', describe: 'onnxruntime device for in-process models' })
      .option('cache-dir', { type: 'string', default: 'none', describe: 'also cache served vectors in this embedding cache' })
      .option('concurrency', { type: 'number', default: 1, describe: 'embed calls run at once' }),
  handler: async (args) => {
    let embedder = await resolveEmbedder(args.model as string, { device: args.device as string | undefined });
    if (args['cache-dir'] !== 'none') embedder = new EmbeddingCache(path.resolve(args['cache-dir'] as string)).wrap(embedder);
    const server = await startServer(embedder, {
      port: args.port as number,
      host: args.host as string,
      concurrency: args.concurrency as number,
      log: (m) => process.stderr.write(m + '\n'),
    });
    process.stderr.write(`serving ${embedder.name} (dim ${embedder.dimension}) at ${server.url}/v1/embeddings; Ctrl-C stops\n`);
    process.stdout.write(server.url + '\n');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await embedder.close?.();
    return 0;
  },
};
