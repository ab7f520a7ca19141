/**
 * Runs `task(0) … task(count - 1)` with at most `limit` running at once: `limit` lanes each take the next index
 * when their task ends, so the memory held is `limit` tasks, never an array of `count` promises (back-pressure:
 * a lane starts a task only when one finished). Where each result goes is the task's business (by its index), so
 * the outcome does not depend on which task finishes first.
 *
 * The first failure stops new starts; the tasks already running are waited for (what they produced is kept by
 * whoever they handed it to, e.g. the embedding cache's write buffer) and then that first error is thrown as is.
 */
export async function runBounded(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < count && !failure) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, count));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
}
