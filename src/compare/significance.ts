import type { TaskRule } from '../leaderboard/rules.js';
import { readItemsFile, readItemsFor } from '../results/items.js';
import type { ItemsFile } from '../results/items.js';
import { pairedBootstrap, pairedRandomizationTest } from './paired-tests.js';
import type { ItemSignificance, TestKind } from './types.js';

export interface SignificanceOptions {
  test: TestKind;
  iterations: number;
  seed: number;
  alpha: number;
}

function pickMetric(rule: TaskRule, a: ItemsFile['splits'][string][string], b: ItemsFile['splits'][string][string]): string | undefined {
  // A test on another metric than the one the leaderboard scores would answer a different question.
  const wanted = rule.metric === 'main_score' ? [a.mainScore] : [...rule.metric];
  return wanted.find((m) => m && a.metrics[m] && b.metrics[m]);
}

/**
 * Paired test over the items both runs scored, when both result files have `<Task>.items.json` sidecars.
 * Returns a reason string when significance cannot be known.
 */
export function itemSignificance(
  rule: TaskRule,
  baseFile: string | undefined,
  candFile: string | undefined,
  opts: SignificanceOptions,
): ItemSignificance | string {
  if (rule.aggregateOf) return 'unknown: aggregate task (per-item scores of its parts are not pooled)';
  if (!baseFile || !candFile) return 'unknown: task missing on one side';
  // Per-item scores count only when they provably belong to the result (same evaluation id and digest): a
  // run killed between writing the two files must never be tested as if they matched. Pairs written before
  // mteb-ts recorded ties cannot be checked either way and are used as before.
  const side = (file: string, who: string): ItemsFile | undefined | string => {
    const r = readItemsFor(file);
    if ('items' in r) return r.items;
    if (r.reason === 'no-items') return undefined;
    if (r.reason === 'unverifiable') return readItemsFile(file);
    return `unknown: ${who}: ${r.unusable}`;
  };
  const a = side(baseFile, 'baseline');
  if (typeof a === 'string') return a;
  const b = side(candFile, 'candidate');
  if (typeof b === 'string') return b;
  if (!a || !b) {
    const which = [!a ? 'baseline' : '', !b ? 'candidate' : ''].filter(Boolean).join(' and ');
    return `unknown: no per-item scores (${which} ${!a && !b ? 'have' : 'has'} no ${rule.name}.items.json)`;
  }
  const xs: number[] = [];
  const ys: number[] = [];
  let dropped = 0;
  let metric = '';
  for (const subset of rule.subsets) {
    const sa = a.splits[rule.split]?.[subset];
    const sb = b.splits[rule.split]?.[subset];
    if (!sa || !sb) return `unknown: per-item scores lack split "${rule.split}" subset "${subset}"`;
    const m = pickMetric(rule, sa, sb);
    if (!m) {
      const want = rule.metric === 'main_score' ? sa.mainScore : rule.metric.join('/');
      return `unknown: per-item scores lack ${want} in split "${rule.split}" subset "${subset}"`;
    }
    metric = m;
    const ma = sa.metrics[m];
    const mb = sb.metrics[m];
    for (const id of Object.keys(ma)) {
      if (id in mb) {
        xs.push(ma[id] * 100);
        ys.push(mb[id] * 100);
      } else dropped++;
    }
    dropped += Object.keys(mb).filter((id) => !(id in ma)).length;
  }
  if (xs.length === 0) return 'unknown: the two runs share no item ids';
  const out: ItemSignificance = { n: xs.length, droppedItems: dropped, metric, significant: false };
  const o = { iterations: opts.iterations, seed: opts.seed };
  if (opts.test !== 'bootstrap') out.randomization = pairedRandomizationTest(xs, ys, o);
  if (opts.test !== 'randomization') out.bootstrap = pairedBootstrap(xs, ys, o);
  out.significant = out.randomization
    ? out.randomization.pValue < opts.alpha
    : out.bootstrap!.ci[0] > 0 || out.bootstrap!.ci[1] < 0;
  return out;
}
