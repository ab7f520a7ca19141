/**
 * mteb's fast (bootstrapped) clustering protocol (`AbsTaskClusteringFast` in 1.12.41+, `AbsTaskClustering` in
 * 2.x), used by the `.v2` and Hierarchical tasks of MTEB(eng, v2). Python's `random.Random(seed)` first picks
 * the documents to embed (`sample`, 4 % by default), then per hierarchy level draws `n_clusters` bootstrap
 * samples with replacement (`choices`) that one MiniBatchKMeans(batch_size = 512) clusters in turn.
 * 2.x passes random_state = seed, so every fit restarts numpy's stream at 42; 1.x passes None, so the fits
 * share numpy's global stream, seeded once with 42 and never reseeded between rounds or levels.
 */
import { gather, type Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { RandomState } from '../../rng/numpy-random-state.js';
import { PythonRandom } from '../../rng/python-random.js';
import type { ClusteringProtocol, ClusteringResult } from './legacy-protocol.js';
import { miniBatchKMeans, type KMeansPlusPlusVariant } from './minibatch-kmeans.js';
import { numpyMean, numpyStd } from '../numeric/numpy-sum.js';
import { adjustedMutualInfoScore } from './ami.js';
import { uniqueInverse, vMeasureScore, type Label } from './v-measure.js';

export interface FastPlanOptions {
  /** mteb `max_fraction_of_documents_to_embed` (default 0.04; null = no fraction rule). */
  maxFractionOfDocumentsToEmbed?: number | null;
  /** mteb `max_document_to_embed` (default null); setting it implies no fraction rule unless both are given. */
  maxDocumentsToEmbed?: number | null;
  /** Seed of the task's `random.Random` (mteb `seed`, 42). Ignored when `rng` is given. */
  seed?: number;
  /** The task's shared Python RNG (2.x `self.rng_state`); pass the same object to plan and evaluate. */
  rng?: PythonRandom;
}

export interface FastClusteringOptions extends FastPlanOptions {
  protocol: ClusteringProtocol;
  /** mteb `max_documents_per_cluster`: bootstrap sample size (16 384). */
  maxDocumentsPerCluster?: number;
  /** mteb `n_clusters`: bootstrap rounds per level (10). */
  nClusters?: number;
  /** mteb `k_mean_batch_size` (512). */
  kMeansBatchSize?: number;
  /** mteb `max_depth` (null = every level present). */
  maxDepth?: number | null;
  /**
   * When `rng` is not given: the document count `planFastClustering` was called with, so the fresh
   * Random(seed) is advanced past the downsampling draws. Omit only when nothing was downsampled.
   */
  plannedFromDocs?: number;
  /** 1.x only: numpy's global RandomState (default: fresh RandomState(seed)), consumed across every fit. */
  numpyRng?: RandomState;
  kmeansPlusPlus?: KMeansPlusPlusVariant;
  onProgress?: (message: string) => void;
}

export interface FastClusteringScores {
  v_measures: Record<string, number[]>;
  v_measure: number;
  v_measure_std: number;
  /** mteb-2 only (mteb ≥ 2.13.4): adjusted mutual information of the same rounds, keyed like `v_measures`. */
  ami_scores?: Record<string, number[]>;
  ami?: number;
  ami_std?: number;
}

function resolveLimit(nDocs: number, opts: FastPlanOptions): number | null {
  const docs = opts.maxDocumentsToEmbed ?? null;
  const frac = opts.maxFractionOfDocumentsToEmbed === undefined ? (docs === null ? 0.04 : null) : opts.maxFractionOfDocumentsToEmbed;
  if (docs !== null && frac !== null) {
    throw new MtebError(
      'E_TASK_SCHEMA',
      'Both max_document_to_embed and max_fraction_of_documents_to_embed are set. Please only set one.',
      { field: 'max_document_to_embed' },
    );
  }
  if (docs === null && frac === null) return null;
  const limit = frac !== null ? Math.trunc(frac * nDocs) : (docs as number);
  return Math.min(nDocs, limit);
}

/**
 * Indices (into the split) of the documents mteb embeds, in mteb's order; the embeddings handed to
 * `evaluateFastClustering` must follow this order. Consumes `opts.rng` when one is given.
 */
export function planFastClustering(nDocs: number, opts: FastPlanOptions = {}): number[] {
  if (!Number.isInteger(nDocs) || nDocs < 0) throw new MtebError('E_BAD_VALUE', `document count must be >= 0, got ${nDocs}`);
  const limit = resolveLimit(nDocs, opts);
  if (limit === null) return Array.from({ length: nDocs }, (_, i) => i);
  const rng = opts.rng ?? new PythonRandom(opts.seed ?? 42);
  return rng.sampleRange(nDocs, limit);
}

/**
 * Level labels as mteb builds them: a missing level becomes -1 and is dropped, but only when the column is
 * numeric; with string labels numpy turns -1 into "-1", the `!= -1` test is always true and such documents are
 * kept under the label "-1". Reproduced deliberately.
 */
function levelSelection(labels: readonly (readonly Label[])[], level: number): { keep: number[]; labels: Label[] } {
  const raw: Label[] = labels.map((l) => (l.length > level ? l[level] : -1));
  const anyString = raw.some((l) => typeof l === 'string');
  if (anyString) return { keep: raw.map((_, i) => i), labels: raw.map((l) => (typeof l === 'string' ? l : String(l))) };
  const keep: number[] = [];
  for (let i = 0; i < raw.length; i++) if (raw[i] !== -1) keep.push(i);
  return { keep, labels: keep.map((i) => raw[i]) };
}

/**
 * Bootstrapped V-measure (and for mteb-2 AMI) over hierarchy levels, as `_evaluate_clustering_bootstrapped`. `labels[i]` is the
 * label (or list of per-level labels) of the i-th embedded document.
 */
export function evaluateFastClustering(
  X: Matrix,
  labels: readonly (Label | readonly Label[])[],
  opts: FastClusteringOptions,
): ClusteringResult<FastClusteringScores> {
  if (X.rows !== labels.length) {
    throw new MtebError('E_EMBEDDING_MISSING', `${X.rows} embeddings for ${labels.length} documents`, { field: 'labels' });
  }
  if (labels.length === 0) throw new MtebError('E_BAD_VALUE', 'fast clustering needs at least one document');
  const seed = opts.seed ?? 42;
  let rng = opts.rng;
  if (!rng) {
    rng = new PythonRandom(seed);
    if (opts.plannedFromDocs !== undefined) planFastClustering(opts.plannedFromDocs, { ...opts, rng });
  }
  const perLevel: Label[][] = labels.map((l) => (Array.isArray(l) ? (l as Label[]) : [l as Label]));
  const depthAll = Math.max(...perLevel.map((l) => l.length));
  const maxDepth = opts.maxDepth == null ? depthAll : Math.min(opts.maxDepth, depthAll);
  const rounds = opts.nClusters ?? 10;
  const sampleSize = opts.maxDocumentsPerCluster ?? 16384;
  const globalNumpy = opts.protocol === 'mteb-1' ? (opts.numpyRng ?? new RandomState(seed)) : undefined;

  const withAmi = opts.protocol === 'mteb-2';
  const vMeasures: Record<string, number[]> = {};
  const amiScores: Record<string, number[]> = {};
  const flat: number[] = [];
  const flatAmi: number[] = [];
  for (let level = 0; level < maxDepth; level++) {
    const sel = levelSelection(perLevel, level);
    const levelX = sel.keep.length === X.rows ? X : gather(X, sel.keep);
    const k = uniqueInverse(sel.labels).nUnique;
    const key = `Level ${level}`;
    vMeasures[key] = [];
    if (withAmi) amiScores[key] = [];
    for (let r = 0; r < rounds; r++) {
      const idx = rng.choicesRange(sel.labels.length, sampleSize);
      const sample = gather(levelX, idx);
      const sampleLabels = idx.map((i) => sel.labels[i]);
      const assignment = miniBatchKMeans(sample, {
        nClusters: k,
        batchSize: opts.kMeansBatchSize ?? 512,
        seed: globalNumpy ?? seed,
        kmeansPlusPlus: opts.kmeansPlusPlus,
      });
      const v = vMeasureScore(sampleLabels, assignment);
      vMeasures[key].push(v);
      flat.push(v);
      let amiNote = '';
      if (withAmi) {
        const ami = adjustedMutualInfoScore(sampleLabels, assignment);
        amiScores[key].push(ami);
        flatAmi.push(ami);
        amiNote = ` ami=${ami.toFixed(4)}`;
      }
      opts.onProgress?.(`clustering ${key} round ${r + 1}/${rounds}: k=${k} v_measure=${v.toFixed(4)}${amiNote}`);
    }
  }
  // Key order as mteb's result dict: each metric's per-level lists, then its mean and std.
  const scores: FastClusteringScores = { v_measures: vMeasures, v_measure: numpyMean(flat), v_measure_std: numpyStd(flat) };
  if (withAmi) {
    scores.ami_scores = amiScores;
    scores.ami = numpyMean(flatAmi);
    scores.ami_std = numpyStd(flatAmi);
  }
  return { scores, perItem: flat };
}
