/**
 * Progress on stderr: the step at hand (counts, rate, ETA) and, for a multi-task run, the whole run (task i of
 * N, items done, the run's ETA). Results never go through here: they go to files and stdout.
 *
 * On a terminal one status line is redrawn in place, by the ticks (throttled) and by a 1 s heartbeat, so no step
 * (loading a dataset, scoring, writing) is silent: the line then says what runs and for how long. Elsewhere (CI
 * logs, tests capturing stderr) the output is driven by counts, never by the clock: one `[task i/N] name` line
 * per task, and for a step of 1000 items or more a `label: done/total (pct%)` line at each quarter (a step's
 * rate and ETA are a terminal's business).
 */
export interface ProgressSink {
  start(label: string, total: number): void;
  tick(done: number): void;
  end(): void;
  /** A multi-task run moves to its `index`-th (1-based) of `count` tasks. */
  task?(index: number, count: number, name: string): void;
  /** A step with no count (loading, scoring, writing): shown with its elapsed time. */
  phase?(label: string): void;
  /** The run is over: stop redrawing. */
  close?(): void;
  /** A log line (warnings, per-task results) printed above the status line instead of through it. */
  print?(line: string): void;
}

export const silentProgress: ProgressSink = { start() {}, tick() {}, end() {} };

/**
 * One step fed by several calls that overlap (a corpus embedded in pieces, several in flight while the next are
 * read): each piece's sink adds its own ticks to the step's count, so the step shows the whole range's count,
 * rate and ETA instead of whichever piece started last (a sink holds one step at a time). A piece counts its
 * `rows` when it ends (texts it deduplicated away included); `add` counts rows done elsewhere (embedded while the
 * split loaded). The step starts with the first piece or `add` and ends with `end()`.
 */
export function sharedStep(sink: ProgressSink, label: string, total: number): { piece(rows: number): ProgressSink; add(rows: number): void; end(): void } {
  let done = 0;
  let open = false;
  const begin = (): void => {
    if (open) return;
    open = true;
    sink.start(label, total);
  };
  const add = (rows: number): void => {
    begin();
    done += rows;
    sink.tick(Math.min(done, total));
  };
  return {
    piece(rows: number): ProgressSink {
      let last = 0;
      return {
        start: () => begin(),
        tick: (d: number) => {
          const step = d - last;
          last = d;
          if (step > 0) add(step);
        },
        end: () => {
          if (rows > last) add(rows - last);
          last = rows;
        },
      };
    },
    add,
    end: () => {
      if (open) sink.end();
      open = false;
    },
  };
}

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

/** A step's ETA is shown only once it means something: after 2 s and a few percent of the work. */
const ETA_AFTER_S = 2;
const ETA_AFTER_FRACTION = 0.02;
/** Off a terminal, steps smaller than this print nothing of their own (the demo's steps take milliseconds). */
const NON_TTY_MIN_ITEMS = 1000;

/** What the status line shows; pure, so tests can check the wording without a terminal or a clock. */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  /** Seconds in the current step. */
  stepSeconds: number;
  task?: { index: number; count: number; name: string };
  /** Seconds since the run's first task started. */
  runSeconds: number;
  /** Items ticked in finished steps of the run, plus the current step's. */
  items: number;
}

/** The run's fraction done: finished tasks plus the current step's fraction of its task (a rough share). */
export function runFraction(s: ProgressState): number {
  if (!s.task) return 0;
  const step = s.total > 0 ? s.done / s.total : 0;
  return Math.min(1, (s.task.index - 1 + step) / s.task.count);
}

export function renderProgressLine(s: ProgressState): string {
  const parts: string[] = [];
  if (s.task) parts.push(`[task ${s.task.index}/${s.task.count} ${s.task.name}]`);
  if (s.total > 0) {
    const rate = s.stepSeconds > 0 ? s.done / s.stepSeconds : 0;
    const pct = ((100 * s.done) / s.total).toFixed(1);
    let step = `${s.label}: ${s.done}/${s.total} (${pct}%) ${rate.toFixed(1)}/s`;
    if (s.done < s.total && s.stepSeconds >= ETA_AFTER_S && s.done / s.total >= ETA_AFTER_FRACTION && rate > 0)
      step += ` ETA ${formatDuration((s.total - s.done) / rate)}`;
    parts.push(step);
  } else if (s.label) parts.push(`${s.label} ${formatDuration(s.stepSeconds)}`);
  if (s.task && s.task.count > 1) {
    const f = runFraction(s);
    let run = `run: ${s.items} items, ${formatDuration(s.runSeconds)}`;
    if (f >= ETA_AFTER_FRACTION && s.runSeconds >= ETA_AFTER_S) run += `, ETA ${formatDuration((s.runSeconds * (1 - f)) / f)}`;
    parts.push(run);
  }
  return parts.join(' | ');
}

export class StderrProgress implements ProgressSink {
  private label = '';
  private total = 0;
  private done = 0;
  private t0 = Date.now();
  private last = 0;
  private runT0 = 0;
  private itemsBefore = 0;
  private taskInfo?: { index: number; count: number; name: string };
  private heartbeat?: NodeJS.Timeout;
  private readonly tty: boolean;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly intervalMs = 1000) {
    this.tty = Boolean(stream.isTTY);
  }

  private state(now: number): ProgressState {
    return {
      label: this.label,
      done: this.done,
      total: this.total,
      stepSeconds: (now - this.t0) / 1000,
      task: this.taskInfo,
      runSeconds: this.runT0 ? (now - this.runT0) / 1000 : 0,
      items: this.itemsBefore + this.done,
    };
  }

  private draw(now = Date.now()): void {
    this.last = now;
    const line = renderProgressLine(this.state(now));
    const width = this.stream.columns ? this.stream.columns - 1 : Infinity;
    this.stream.write(`\r${line.length > width ? line.slice(0, width - 1) + '…' : line}\x1b[K`);
  }

  private beat(): void {
    if (!this.tty || this.heartbeat) return;
    // unref: the heartbeat never keeps the process alive on its own.
    this.heartbeat = setInterval(() => this.draw(), this.intervalMs);
    this.heartbeat.unref();
  }

  task(index: number, count: number, name: string): void {
    if (!this.runT0) this.runT0 = Date.now();
    this.taskInfo = { index, count, name };
    this.phase('starting');
    if (!this.tty) this.stream.write(`[task ${index}/${count}] ${name}\n`);
  }

  phase(label: string): void {
    this.itemsBefore += this.done;
    this.label = label;
    this.total = 0;
    this.done = 0;
    this.t0 = Date.now();
    if (this.tty) {
      this.beat();
      this.draw();
    }
  }

  start(label: string, total: number): void {
    this.itemsBefore += this.done;
    this.label = label;
    this.total = total;
    this.done = 0;
    this.t0 = Date.now();
    this.last = 0;
    this.beat();
  }

  tick(done: number): void {
    if (!this.tty && this.total >= NON_TTY_MIN_ITEMS) {
      // Count-driven lines: each quarter crossed since the last tick, once.
      const before = Math.floor((4 * this.done) / this.total);
      const after = Math.floor((4 * done) / this.total);
      if (after > before) this.stream.write(`${this.taskInfo ? `[task ${this.taskInfo.index}/${this.taskInfo.count}] ` : ''}${this.label}: ${done}/${this.total} (${((100 * done) / this.total).toFixed(1)}%)\n`);
    }
    this.done = done;
    const now = Date.now();
    if (now - this.last < this.intervalMs && done < this.total) return;
    if (this.tty) this.draw(now);
  }

  end(): void {
    // The step's items count toward the run; the line now says the step is over until the next one starts.
    this.phase(this.label ? `after ${this.label}` : '');
  }

  print(line: string): void {
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(line + '\n');
    if (this.tty && this.heartbeat) this.draw();
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.tty) this.stream.write('\r\x1b[K');
  }
}
