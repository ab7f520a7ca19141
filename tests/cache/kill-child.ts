// Child process for the SIGKILL test: embeds TEXTS through the cache; call number HANG never returns, and
// "hanging" on stdout tells the parent it may kill us now (chunks before it are already on disk).
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { StubEmbedder } from './stub-embedder.js';

const [dir, total, chunkRows, hang] = process.argv.slice(2);
const stub = new StubEmbedder(16, {
  beforeCall: async (call) => {
    if (call === Number(hang)) {
      process.stdout.write('hanging\n');
      await new Promise(() => setInterval(() => undefined, 1000));
    }
  },
});
const cache = new EmbeddingCache(dir, { chunkRows: Number(chunkRows) });
const texts = Array.from({ length: Number(total) }, (_, i) => `text number ${i}`);
await cache.wrap(stub).embed(texts, { role: 'passage' });
process.stdout.write('finished\n');
