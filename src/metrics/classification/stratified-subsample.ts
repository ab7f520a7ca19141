/**
 * mteb's `AbsTask.stratified_subsampling` (ToxicConversations since mteb 1.8: a 2048-row stratified
 * test subset): `class_encode_column(label)` then Hugging Face `datasets`
 * `train_test_split(test_size=n, seed=42, stratify_by_column="label")["test"]`. The split is
 * `datasets/utils/stratify.py` (a copy of sklearn's StratifiedShuffleSplit) driven by
 * `np.random.default_rng(seed)` (PCG64); this port consumes that stream identically.
 */
import { MtebError } from '../../core/errors.js';
import { defaultRng, type Generator } from '../../rng/numpy-generator.js';
import type { Label } from './labels.js';

export interface StratifiedSubsampleOptions {
  /**
   * How labels become class ids. 'class-encode' (default) = datasets' `class_encode_column`: classes
   * sorted by `str(label)` (Python's str of an int is its decimal form), which is what mteb does for
   * integer label columns. 'as-is' = labels already are ClassLabel ids (sorted numerically).
   */
  encoding?: 'class-encode' | 'as-is';
  /** Also return the train indices (the rest of the split). */
  withTrain?: boolean;
}

/** `approximate_mode` from datasets/utils/stratify.py (ties broken by the generator). */
function approximateMode(classCounts: number[], nDraws: number, rng: Generator): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (nDraws * c) / total);
  const floored = continuous.map((v) => Math.floor(v));
  let needToAdd = nDraws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((v, i) => v - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds: number[] = [];
      remainder.forEach((r, i) => {
        if (r === value) inds.push(i);
      });
      const addNow = Math.min(inds.length, needToAdd);
      const picked = rng.choiceWithoutReplacement(inds.length, addNow).map((k) => inds[k]);
      for (const i of picked) floored[i] += 1;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

function pyStr(label: Label): string {
  if (typeof label === 'string') return label;
  if (Number.isInteger(label)) return String(label);
  throw new MtebError('E_BAD_VALUE', `stratified subsampling expects integer or string labels, got ${label}`, {
    field: 'label',
  });
}

function compareStr(a: string, b: string): number {
  // Python sorts str by code point; for the ASCII digits/names used as labels this equals UTF-16 order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Row indices of the stratified test subset, in `datasets`' order (and, optionally, the train rows).
 */
export function stratifiedSubsample(
  labels: readonly Label[],
  testSize: number,
  seed = 42,
  opts: StratifiedSubsampleOptions = {},
): { test: number[]; train?: number[] } {
  const n = labels.length;
  if (!Number.isInteger(testSize) || testSize <= 0 || testSize >= n) {
    throw new MtebError('E_BAD_VALUE', `test_size=${testSize} should be positive and smaller than the number of samples ${n}`, {
      field: 'test_subsample_size',
    });
  }
  const nTest = testSize;
  const nTrain = n - nTest;

  // class id per row: datasets' ClassLabel index, then np.unique(return_inverse) over those ids.
  let ids: number[];
  if ((opts.encoding ?? 'class-encode') === 'class-encode') {
    const names = [...new Set(labels.map(pyStr))].sort(compareStr);
    const pos = new Map(names.map((s, i) => [s, i]));
    ids = labels.map((l) => pos.get(pyStr(l))!);
  } else {
    ids = labels.map((l) => {
      if (typeof l !== 'number' || !Number.isInteger(l)) {
        throw new MtebError('E_BAD_VALUE', `ClassLabel ids must be integers, got ${JSON.stringify(l)}`, { field: 'label' });
      }
      return l;
    });
  }
  const classes = [...new Set(ids)].sort((a, b) => a - b);
  const yIdx = new Map(classes.map((c, i) => [c, i]));
  const nClasses = classes.length;
  const classIndices: number[][] = classes.map(() => []);
  ids.forEach((c, row) => classIndices[yIdx.get(c)!].push(row));
  const classCounts = classIndices.map((l) => l.length);
  if (Math.min(...classCounts) < 2) {
    throw new MtebError(
      'E_BAD_VALUE',
      'The least populated class in label column has only 1 member, which is too few for a stratified split',
      { field: 'label' },
    );
  }
  if (nTrain < nClasses || nTest < nClasses) {
    throw new MtebError('E_BAD_VALUE', `train and test sizes (${nTrain}, ${nTest}) must be >= the number of classes ${nClasses}`, {
      field: 'test_subsample_size',
    });
  }

  const rng = defaultRng(seed);
  const nI = approximateMode(classCounts, nTrain, rng);
  const remaining = classCounts.map((c, i) => c - nI[i]);
  const tI = approximateMode(remaining, nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < nClasses; i++) {
    const perm = rng.permutation(classCounts[i]);
    const rows = perm.map((k) => classIndices[i][k]);
    train.push(...rows.slice(0, nI[i]));
    test.push(...rows.slice(nI[i], nI[i] + tI[i]));
  }
  const trainPerm = rng.permutation(train);
  const testPerm = rng.permutation(test);
  return opts.withTrain ? { test: testPerm, train: trainPerm } : { test: testPerm };
}
