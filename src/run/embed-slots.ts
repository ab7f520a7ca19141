import type { Embedder } from '../core/embedder.js';

/**
 * The `embed` calls an embedder may have running at once (`maxInFlight`), shared by every `embedTexts` call on
 * it: a retrieval corpus embeds several pieces at a time (src/task-types/retrieval/embedded-corpus.ts), so that
 * the next piece's batches are queued before the last ones of the current piece come back and the embedder is
 * never left waiting at a piece's end, yet the embedder never sees more than its limit.
 *
 * A free slot goes to the waiting batch that comes first in the order (call number, batch index): an earlier
 * call's batches go before a later call's, so the pieces finish in corpus order and a later piece only takes
 * the slots the earlier ones leave idle.
 */
export class EmbedSlots {
  private running = 0;
  private calls = 0;
  /** Waiting batches, sorted by (call, batch): the first is served first. */
  private readonly waiting: { call: number; batch: number; go: () => void }[] = [];
  /** Most slots ever held at once (the back-pressure tests). */
  peak = 0;

  constructor(readonly limit: number) {}

  /** A number for a new call: its batches wait behind those of every call numbered before it. */
  nextCall(): number {
    return this.calls++;
  }

  /** Runs `f` in a slot, waiting for one in (call, batch) order. */
  async run<T>(call: number, batch: number, f: () => Promise<T>): Promise<T> {
    if (this.running < this.limit && !this.waiting.length) this.running++;
    else
      await new Promise<void>((go) => {
        // The releaser hands its slot over, so `running` stays as it is.
        let i = this.waiting.length;
        while (i > 0 && (this.waiting[i - 1].call > call || (this.waiting[i - 1].call === call && this.waiting[i - 1].batch > batch))) i--;
        this.waiting.splice(i, 0, { call, batch, go });
      });
    this.peak = Math.max(this.peak, this.running);
    try {
      return await f();
    } finally {
      // Handed over on the next turn of the event loop, not now: the batch that just ended lets its own call queue
      // its next batch first, which then goes before a later call's (one turn: well under a millisecond).
      setImmediate(() => {
        const next = this.waiting.shift();
        if (next) next.go();
        else this.running--;
      });
    }
  }
}

const slotsOf = new WeakMap<Embedder, EmbedSlots>();

/** The slots shared by every embedTexts call on this embedder (created at its first call). */
export function embedSlots(embedder: Embedder): EmbedSlots {
  let s = slotsOf.get(embedder);
  if (!s) slotsOf.set(embedder, (s = new EmbedSlots(Math.max(1, Math.floor(embedder.maxInFlight ?? 1) || 1))));
  return s;
}
