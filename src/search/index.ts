import { MtebError } from '../core/errors.js';
import { ExactSearch, type ExactSearchOptions } from './exact.js';
import { HnswSearch, type HnswOptions } from './hnsw.js';
import type { SearchBackend } from './types.js';

export type { CorpusChunk, CorpusProvider, SearchBackend, SearchOptions, SearchResult, Similarity } from './types.js';
export { ExactSearch, type ExactSearchOptions } from './exact.js';
export { HnswSearch, type HnswOptions } from './hnsw.js';
export { matrixCorpus, npyCorpus, npyHeader, DEFAULT_CHUNK_ROWS } from './corpus.js';
export { compareUtf8, rankOrder } from './id-order.js';
export { shardOf, tryParseShard } from '../shard/shard-of.js';
export { retrievalSearchPlan } from './plan.js';

export type SearchConfig = ExactSearchOptions & HnswOptions & { backend?: string };

/**
 * `--search exact` | `--search hnsw`: either `createSearchBackend('hnsw', { M: 32 })` or the runner's single
 * object `createSearchBackend({ backend: 'hnsw', M: 32, efSearch: 128 })` (undefined fields = defaults).
 */
export function createSearchBackend(nameOrConfig: string | Record<string, unknown> = {}, opts: SearchConfig = {}): SearchBackend {
  const cfg = (typeof nameOrConfig === 'string' ? { ...opts, backend: nameOrConfig } : { ...opts, ...nameOrConfig }) as SearchConfig;
  for (const k of Object.keys(cfg) as (keyof SearchConfig)[]) if (cfg[k] === undefined) delete cfg[k];
  const name = cfg.backend ?? 'exact';
  if (name === 'exact') return new ExactSearch(cfg);
  if (name === 'hnsw') return new HnswSearch(cfg);
  throw new MtebError('E_USAGE', `unknown search backend "${name}" (expected exact or hnsw)`, { field: 'search' });
}
