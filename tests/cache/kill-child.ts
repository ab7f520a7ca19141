// Child process for the SIGKILL/SIGTERM tests: embeds TEXTS through the cache in calls of BATCH texts, as the
// runner does; call number HANG (0: none) never returns, and "hanging" on stdout tells the parent it may signal us now.
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { StubEmbedder } from './stub-embedder.js';

const [dir, total, chunkRows, hang, batch] = process.argv.slice(2, 7).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number, number, number];
// 'no-close': end without close(), as a caller that forgets it; the exit hook must still write pending rows.
const close = process.argv[7] !== 'no-close';
// 'app-handler': the application handles SIGTERM itself; the cache must flush and leave the exit to it.
if (process.argv[7] === 'app-handler') process.once('SIGTERM', () => process.exit(3));
const stub = new StubEmbedder(16, {
  beforeCall: async (call) => {
    if (call === hang) {
      process.stdout.write('hanging\n');
      await new Promise(() => setInterval(() => undefined, 1000));
    }
  },
});
const embedder = new EmbeddingCache(dir, { chunkRows }).wrap(stub);
const texts = Array.from({ length: total }, (_, i) => `text number ${i}`);
for (let s = 0; s < total; s += batch) await embedder.embed(texts.slice(s, s + batch), { role: 'passage' });
if (close) await embedder.close();
process.stdout.write('finished\n');
