/**
 * Which benchmark a set of result folders is about, when the user names none: the benchmark with the most of its
 * tasks present as result files (ties: the larger share of its tasks, then registry order). Results that hold no
 * task of any benchmark are an error naming what they hold, not 56 blank rows of MTEB(eng, v1).
 */
import { MtebError } from '../core/errors.js';
import { benchmarkTaskSpecs, listBenchmarks } from '../registry/index.js';
import { discoverLayers } from '../results/discover.js';

export interface InferredBenchmark {
  name: string;
  /** Why: "<n> of its <m> tasks have result files; next: <other> with <k> of <j>". */
  reason: string;
}

export function inferBenchmark(sources: string[]): InferredBenchmark {
  const present = new Set<string>();
  for (const s of sources) for (const l of discoverLayers(s)) for (const t of l.files.keys()) present.add(t);
  const ranked = listBenchmarks()
    .map((b, order) => {
      const names = [...new Set(benchmarkTaskSpecs(b).map((t) => t.name))];
      const hit = names.filter((n) => present.has(n)).length;
      return { name: b.name, hit, total: names.length, order };
    })
    .filter((x) => x.hit > 0)
    .sort((a, b) => b.hit - a.hit || b.hit / b.total - a.hit / a.total || a.order - b.order);
  if (!ranked.length) {
    const some = [...present].sort().slice(0, 6);
    throw new MtebError(
      'E_USAGE',
      `the results hold no task of any known benchmark (found: ${some.join(', ')}${present.size > some.length ? ', …' : ''}); name one with -b (mteb-ts benchmarks lists them)`,
      { field: 'benchmark' },
    );
  }
  const [best, next] = ranked;
  return {
    name: best.name,
    reason: `${best.hit} of its ${best.total} tasks have result files${next ? `; next: ${next.name} with ${next.hit} of ${next.total}` : ''}`,
  };
}
