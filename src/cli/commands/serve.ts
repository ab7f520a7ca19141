import path from 'node:path';
import { defineCommand } from '../command.js';
import { resolveEmbedder } from '../../embedders/resolve.js';
import { EmbeddingCache } from '../../cache/embedding-cache.js';
import { startServer } from '../../serve/server.js';
import { serveSpec, type ServeArgs } from '../options/serve.js';

/** `mteb-ts serve --model SPEC`: any mteb-ts embedder behind the OpenAI embeddings API, until SIGINT/SIGTERM. */
export async function serve(args: ServeArgs): Promise<number> {
  let embedder = await resolveEmbedder(args.model, { device: args.device });
  if (args.cacheDir !== 'none') embedder = new EmbeddingCache(path.resolve(args.cacheDir)).wrap(embedder);
  const server = await startServer(embedder, {
    port: args.port,
    host: args.host,
    concurrency: args.concurrency,
    log: (m) => process.stderr.write(m + '\n'),
  });
  process.stderr.write(`serving ${embedder.name} (dim ${embedder.dimension}) at ${server.url}/v1/embeddings; Ctrl-C stops\n`);
  process.stdout.write(
    args.format === 'json' ? JSON.stringify({ url: server.url, model: embedder.name, revision: embedder.revision, dimension: embedder.dimension }) + '\n' : server.url + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await embedder.close?.();
  return 0;
}

export const serveCommand = defineCommand(serveSpec, serve);
