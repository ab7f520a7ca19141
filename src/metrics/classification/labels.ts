/**
 * Label ordering as numpy/sklearn see it: `np.unique` sorts numbers numerically and strings by code
 * point. sklearn's `classes_`, the label list of per-class metrics and the binary positive class all
 * derive from this order, so it must not follow JS's default (string) sort.
 */
import type { Label } from '../../core/datasets.js';
import { MtebError } from '../../core/errors.js';

export type { Label };

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  throw new MtebError('E_BAD_VALUE', `labels mix numbers and strings (${JSON.stringify(a)} vs ${JSON.stringify(b)})`, {
    field: 'label',
  });
}

/** `np.unique(labels)`: sorted distinct labels. */
export function uniqueLabels(...lists: readonly Label[][]): Label[] {
  const set = new Set<Label>();
  for (const l of lists) for (const v of l) set.add(v);
  return [...set].sort(compareLabels);
}

/** Index of each label in `classes` (which must contain them all). */
export function encodeLabels(labels: readonly Label[], classes: readonly Label[]): Int32Array {
  const pos = new Map<Label, number>();
  classes.forEach((c, i) => pos.set(c, i));
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const k = pos.get(labels[i]);
    if (k === undefined) throw new MtebError('E_INTERNAL', `label ${JSON.stringify(labels[i])} not among the classes`);
    out[i] = k;
  }
  return out;
}
