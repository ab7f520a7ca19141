/**
 * mteb's training-set undersampling: before each experiment the index list left by the previous
 * experiment is shuffled again by a freshly seeded legacy RandomState (so experiment i sees P^(i+1) of
 * the identity), then scanned in order keeping at most `samplesPerLabel` rows per label.
 */
import { RandomState } from '../../rng/numpy-random-state.js';
import { MtebError } from '../../core/errors.js';
import type { Label } from './labels.js';

export interface UndersampleOptions {
  samplesPerLabel: number;
  nExperiments: number;
  /** mteb uses 42. */
  seed?: number;
}

/** Chosen training row indices per experiment, in mteb's selection order (= the order sklearn sees). */
export function undersampleExperiments(labels: readonly Label[], opts: UndersampleOptions): number[][] {
  const { samplesPerLabel, nExperiments } = opts;
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(samplesPerLabel) || samplesPerLabel < 1) {
    throw new MtebError('E_BAD_VALUE', `samples_per_label must be a positive integer, got ${samplesPerLabel}`, {
      field: 'samples_per_label',
    });
  }
  if (!Number.isInteger(nExperiments) || nExperiments < 1) {
    throw new MtebError('E_BAD_VALUE', `n_experiments must be a positive integer, got ${nExperiments}`, {
      field: 'n_experiments',
    });
  }
  const idxs = Array.from({ length: labels.length }, (_, i) => i);
  const out: number[][] = [];
  for (let e = 0; e < nExperiments; e++) {
    new RandomState(seed).shuffle(idxs);
    const counter = new Map<Label, number>();
    const chosen: number[] = [];
    for (const i of idxs) {
      const c = counter.get(labels[i]) ?? 0;
      if (c < samplesPerLabel) {
        chosen.push(i);
        counter.set(labels[i], c + 1);
      }
    }
    out.push(chosen);
  }
  return out;
}

/** Sorted union of the experiments' indices: the only training rows that need embedding. */
export function unionOfExperiments(experiments: readonly number[][]): number[] {
  const set = new Set<number>();
  for (const e of experiments) for (const i of e) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Maps each experiment's original row indices to positions in `union` (rows of the union's embeddings). */
export function remapToUnion(experiments: readonly number[][], union: readonly number[]): number[][] {
  const pos = new Map<number, number>();
  union.forEach((orig, p) => pos.set(orig, p));
  return experiments.map((e) =>
    e.map((i) => {
      const p = pos.get(i);
      if (p === undefined) throw new MtebError('E_INTERNAL', `training row ${i} missing from the embedded union`);
      return p;
    }),
  );
}
