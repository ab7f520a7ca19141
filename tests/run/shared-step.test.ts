// sharedStep: overlapping pieces of one corpus feed one progress step whose count is the range's rows, so the rate
// and ETA are the whole corpus's, not whichever 500-row piece started last.
import { describe, test, expect } from '@jest/globals';
import { sharedStep, type ProgressSink } from '../../src/util/progress.js';

function recorder(): { sink: ProgressSink; log: string[] } {
  const log: string[] = [];
  return { log, sink: { start: (l, t) => log.push(`start ${l} ${t}`), tick: (d) => log.push(`tick ${d}`), end: () => log.push('end') } };
}

describe('sharedStep', () => {
  test('interleaved pieces add up; deduplicated rows count at their end; one start, one end', () => {
    const { sink, log } = recorder();
    const step = sharedStep(sink, 'corpus', 1000);
    const a = step.piece(500);
    const b = step.piece(500);
    a.start('piece a', 500);
    b.start('piece b', 480); // 20 duplicates in b
    a.tick(200);
    b.tick(100);
    a.tick(500);
    a.end();
    b.tick(480);
    b.end();
    step.end();
    expect(log).toEqual(['start corpus 1000', 'tick 200', 'tick 300', 'tick 600', 'tick 980', 'tick 1000', 'end']);
  });

  test('rows done elsewhere (embedded while loading) count through add; a step never started never ends', () => {
    const { sink, log } = recorder();
    const step = sharedStep(sink, 'corpus chunk 1/2', 300);
    step.add(100);
    const p = step.piece(200);
    p.start('x', 200);
    p.tick(150);
    p.end();
    step.end();
    expect(log).toEqual(['start corpus chunk 1/2 300', 'tick 100', 'tick 250', 'tick 300', 'end']);
    const idle = recorder();
    sharedStep(idle.sink, 'empty', 0).end();
    expect(idle.log).toEqual([]);
  });
});
