export { EmbeddingCache, type CacheStats, type CachingEmbedder, type EmbeddingCacheOptions } from './embedding-cache.js';
export { cacheInfo, verifyCache, pruneCache, type NamespaceSummary, type VerifyReport, type PruneOptions } from './maintenance.js';
export { namespaceKey, namespaceInfo, embedderFingerprint, type NamespaceInfo } from './keys.js';
