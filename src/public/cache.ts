/**
 * `mteb-ts/cache`: the crash-safe Arrow embedding cache (wraps any Embedder) and its upkeep (info, verify,
 * prune). Its own subpath because it loads apache-arrow, which the other entries do not need.
 */
export * from '../cache/index.js';
