/**
 * Corpus chunks whose vectors stay valid and unchanged until the search that received them ends, so the search
 * may keep reading them after it asked for the next chunk instead of copying them (the native canonical kernel
 * rescores a coalesced group's candidates straight from its chunks' own arrays: src/search/exact.ts).
 *
 * The CorpusProvider contract says the opposite by default (a chunk's data is only valid until the next one is
 * requested: providers may reuse one buffer), and a chunk read after its buffer was refilled would give wrong
 * scores, silently. So, as with row-norm bounds (row-norm-bound.ts), the promise is never read from the chunk a
 * provider hands over: only a provider in this repository that knows its buffers are never reused registers
 * its chunks here (matrixCorpus: views of vectors that must not change; the embedded corpus and npyCorpus with
 * `reuseBuffer: false`: a fresh array per chunk). Every other chunk is copied, as before.
 */
import type { CorpusChunk } from './types.js';

const stable = new WeakSet<CorpusChunk>();

/** Registers `chunk` (whose data its producer never reuses or changes) as stable; returns it. */
export function markStable<C extends CorpusChunk>(chunk: C): C {
  stable.add(chunk);
  return chunk;
}

/** Whether `chunk`'s producer registered its data as stable. */
export function isStable(chunk: CorpusChunk): boolean {
  return stable.has(chunk);
}
