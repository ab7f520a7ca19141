/**
 * Which server a request goes to, and how many requests are in flight: at most `limit` over all URLs (a caller
 * beyond that waits for a slot, first come first served), each attempt sent to the least busy URL (ties in
 * turn), so a slow server gets fewer requests and a fast one is never left idle. Where a response goes is
 * decided by its batch's indices, never by the server, so the vectors are the same whatever the order.
 */
export class Dispatcher {
  private readonly busy: number[];
  private inFlight = 0;
  private turn = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most requests ever in flight at once (stats, and the back-pressure tests). */
  peak = 0;

  constructor(endpoints: number, readonly limit: number) {
    this.busy = new Array<number>(endpoints).fill(0);
  }

  /** Holds one of the `limit` slots for the duration of `f` (its retries and backoff included). */
  async withSlot<T>(f: () => Promise<T>): Promise<T> {
    if (this.inFlight < this.limit) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // the releaser hands its slot over
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  /** The least busy URL's index for one attempt (ties: the next in turn); `done` must be called with it. */
  pick(): number {
    const n = this.busy.length;
    let best = this.turn % n;
    for (let k = 1; k < n; k++) {
      const i = (this.turn + k) % n;
      if (this.busy[i] < this.busy[best]) best = i;
    }
    this.turn = best + 1;
    this.busy[best]++;
    return best;
  }

  done(i: number): void {
    this.busy[i]--;
  }
}
