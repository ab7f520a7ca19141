/**
 * SIGINT/SIGTERM and process exit write the vectors a cache still holds in memory, synchronously, before the
 * process goes: Ctrl-C on a long embedding run keeps everything embedded so far. Handlers are installed only
 * while some cache holds unwritten vectors. After flushing, a signal is re-raised with Node's default action
 * unless another listener (the application's own) is there to handle it.
 */
interface Flushable {
  flushSync(): void;
  /** Writes this holder's pending rows of one namespace folder (no-op if it has none there). */
  flushNamespaceDir(dir: string): Promise<void>;
}

const holders = new Set<Flushable>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function flushAll(): void {
  for (const h of [...holders]) h.flushSync();
  holders.clear();
}

function onExit(): void {
  flushAll();
}

function onSignal(sig: NodeJS.Signals): void {
  flushAll();
  uninstall();
  // Ours runs first (prepended), so any listener still registered is the application's: let it decide.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.prependListener(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', onExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export function trackUnwritten(h: Flushable): void {
  holders.add(h);
  install();
}

export function untrackUnwritten(h: Flushable): void {
  holders.delete(h);
  if (holders.size === 0) uninstall();
}

/**
 * Caches of this process holding unwritten rows, other than `self`: a cache opening or rescanning a namespace
 * first has them write that namespace, so instances in one process see each other's vectors at once (only
 * other processes see them a chunk late).
 */
export async function flushOthers(self: Flushable, nsDir: string): Promise<void> {
  for (const h of [...holders]) if (h !== self) await h.flushNamespaceDir(nsDir);
}
