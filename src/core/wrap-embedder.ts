import type { Embedder } from './embedder.js';

/**
 * An Embedder that forwards everything to `inner` except what `overrides` redefines (plain values, methods or
 * getters). The validating layer, the embedding cache and `--model-revision` all wrap a model this way, so
 * a field added to Embedder is forwarded in one place.
 */
export function wrapEmbedder<T extends object>(inner: Embedder, overrides: T): Embedder & T {
  const base: Embedder = {
    get name() {
      return inner.name;
    },
    get revision() {
      return inner.revision;
    },
    get dimension() {
      return inner.dimension;
    },
    get fingerprint() {
      return inner.fingerprint;
    },
    get maxBatchSize() {
      return inner.maxBatchSize;
    },
    get maxInFlight() {
      return inner.maxInFlight;
    },
    embed: (texts, options) => inner.embed(texts, options),
    preflight: inner.preflight ? (texts, options) => inner.preflight!(texts, options) : undefined,
    instructionFor: inner.instructionFor ? (task, role, file) => inner.instructionFor!(task, role, file) : undefined,
    meta: inner.meta ? () => inner.meta!() : undefined,
    flush: inner.flush ? () => inner.flush!() : undefined,
    close: inner.close ? () => inner.close!() : undefined,
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides)) as Embedder & T;
}
