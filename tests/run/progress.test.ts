// The run's progress (issue 20): task i of N, items, rate, the run's ETA; deterministic lines off a terminal.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StderrProgress, renderProgressLine, runFraction, type ProgressState } from '../../src/util/progress.js';
import { runMain } from '../cli/support/run-main.js';

/** A stream that records writes; a terminal or not. */
function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream };
}

const base: ProgressState = { label: 'SciFact test/default corpus', done: 2500, total: 5000, stepSeconds: 10, task: { index: 3, count: 4, name: 'SciFact' }, runSeconds: 100, items: 9000 };

describe('the status line', () => {
  test('task i/N, the step with rate and ETA, the run with items and its ETA', () => {
    // The run: 2 tasks done + half of the 3rd of 4 = 62.5%; 100 s so far -> 60 s to go.
    expect(runFraction(base)).toBe(0.625);
    expect(renderProgressLine(base)).toBe('[task 3/4 SciFact] | SciFact test/default corpus: 2500/5000 (50.0%) 250.0/s ETA 10s | run: 9000 items, 1m40s, ETA 1m00s');
  });

  test('no ETA from a first batch (under 2 s or 2% of the step); a step without a count shows its elapsed time', () => {
    expect(renderProgressLine({ ...base, done: 32, stepSeconds: 0.5, runSeconds: 0.5, task: { index: 1, count: 4, name: 'SciFact' } })).toBe(
      '[task 1/4 SciFact] | SciFact test/default corpus: 32/5000 (0.6%) 64.0/s | run: 9000 items, 1s',
    );
    expect(renderProgressLine({ ...base, label: 'test/default: loading and scoring', total: 0, done: 0, stepSeconds: 6 })).toBe(
      '[task 3/4 SciFact] | test/default: loading and scoring 6s | run: 9000 items, 1m40s, ETA 1m40s',
    );
    // One task: no run part.
    expect(renderProgressLine({ ...base, task: { index: 1, count: 1, name: 'SciFact' } })).toBe('[task 1/1 SciFact] | SciFact test/default corpus: 2500/5000 (50.0%) 250.0/s ETA 10s');
  });
});

describe('StderrProgress', () => {
  test('off a terminal: one line per task, a line per quarter of a step of 1000+ items, nothing driven by the clock', () => {
    const { writes, stream } = fakeStream(false);
    const p = new StderrProgress(stream, 0);
    p.task(1, 2, 'A');
    p.start('A corpus', 4000);
    for (let d = 500; d <= 4000; d += 500) p.tick(d);
    p.end();
    p.task(2, 2, 'B');
    p.start('B queries', 10);
    p.tick(10);
    p.end();
    p.print('B: main = 0.5');
    p.close();
    expect(writes.join('')).toBe(
      '[task 1/2] A\n[task 1/2] A corpus: 1000/4000 (25.0%)\n[task 1/2] A corpus: 2000/4000 (50.0%)\n[task 1/2] A corpus: 3000/4000 (75.0%)\n[task 1/2] A corpus: 4000/4000 (100.0%)\n[task 2/2] B\nB: main = 0.5\n',
    );
  });

  test('on a terminal: one line redrawn in place (cut to the width), log lines printed above it, cleared at the end', () => {
    const { writes, stream } = fakeStream(true, 40);
    const p = new StderrProgress(stream, 60_000);
    p.task(1, 2, 'A');
    p.print('A: warning: something');
    p.close();
    expect(writes[0]).toMatch(/^\r\[task 1\/2 A\] \| starting 0s \| run: 0 it…\x1b\[K$/);
    expect(writes[0].length).toBe('\r'.length + 39 + '\x1b[K'.length);
    expect(writes.slice(1, 3)).toEqual(['\r\x1b[K', 'A: warning: something\n']);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  test('a multi-task run prints "[task i/N] name" for each task on stderr (not a terminal)', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'progress-'));
    const r = await runMain(['run', '-m', 'hash:8', '-t', 'DemoSTS,DemoClassification', '-o', out, '--cache-dir', 'none', '-f', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('[task '));
    expect(lines).toEqual(['[task 1/2] DemoSTS', '[task 2/2] DemoClassification']);
    // stdout is still the one JSON document.
    expect(JSON.parse(r.stdout).counts.done).toBe(2);
  });
});
