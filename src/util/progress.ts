/**
 * Progress on stderr (counts, rate, ETA), throttled so that millions of updates cost nothing. Silent when
 * stderr is not wanted (tests, --quiet). Results never go through here: they go to files and stdout.
 */
export interface ProgressSink {
  start(label: string, total: number): void;
  tick(done: number): void;
  end(): void;
}

export const silentProgress: ProgressSink = { start() {}, tick() {}, end() {} };

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export class StderrProgress implements ProgressSink {
  private label = '';
  private total = 0;
  private t0 = 0;
  private last = 0;
  private readonly tty: boolean;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly intervalMs = 1000) {
    this.tty = Boolean(stream.isTTY);
  }
  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.t0 = Date.now();
    this.last = 0;
  }
  tick(done: number): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs && done < this.total) return;
    this.last = now;
    const elapsed = (now - this.t0) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : Infinity;
    const pct = this.total ? ((100 * done) / this.total).toFixed(1) : '100.0';
    const line = `${this.label}: ${done}/${this.total} (${pct}%) ${rate.toFixed(1)}/s ETA ${formatDuration(eta)}`;
    this.stream.write(this.tty ? `\r${line}\x1b[K` : line + '\n');
  }
  end(): void {
    if (this.tty) this.stream.write('\n');
  }
}
