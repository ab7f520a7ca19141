/**
 * Deterministic qrels + runs shaped like real benchmarks (and random ones), for the trec_eval differential tests
 * (trec-eval-*.test.ts). Only trec_eval's outputs are committed (fixtures/golden/retrieval/generated/*.json,
 * written by fixtures/golden/retrieval/generated/make_goldens.ts); the tests rebuild the inputs from the seeds here.
 *
 * Scores are decimals: score = n / 10^d with n an integer (|n| < 2^53) and d ≤ 22. Both n and 10^d are exact
 * doubles, so the quotient is the correctly rounded value of the decimal text `formatScore(n, d)`, which is what
 * trec_eval's atof (glibc strtod, correctly rounded) reads from the run file: the doubles given to mteb-ts here
 * are exactly the ones trec_eval parsed (make_goldens.ts re-checks every one with Number(text)).
 *
 * Changing anything here changes the inputs: regenerate the goldens (see make_goldens.ts).
 */
import { mulberry32 } from '../../../src/util/mulberry32.js';
import { compareCodePoints } from '../../../src/metrics/retrieval/order.js';
import type { ColumnRun, Qrels } from '../../../src/metrics/retrieval/types.js';

export const TREC_K = [1, 3, 5, 10, 20, 100, 1000];
/** trec_eval measure names (-m NAME.1,3,...) and the key mteb-ts uses for each. */
export const TREC_MEASURES: [string, string][] = [
  ['ndcg_cut', 'ndcg'],
  ['map_cut', 'map'],
  ['recall', 'recall'],
  ['P', 'precision'],
  ['success', 'hit_rate'],
];

export interface GenCase {
  name: string;
  qrels: Qrels;
  /** Scores are exactly scoreInts[qid][i] / 10^decimals[qid]. */
  run: ColumnRun;
  scoreInts: Map<string, Float64Array>;
  decimals: Map<string, number>;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
// Jest runs tests in a vm context, where every lookup of a global (`Math`) is slow; these are looked up once.
const { abs, floor, imul, round, fround } = Math;

/** Exact decimal text of n / 10^d (n an integer). */
export function formatScore(n: number, d: number): string {
  const neg = n < 0;
  let s = String(abs(n));
  if (d > 0) {
    if (s.length <= d) s = '0'.repeat(d - s.length + 1) + s;
    s = s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }
  return neg ? '-' + s : s;
}

export function qrelsText(c: GenCase): string {
  const out: string[] = [];
  for (const [qid, docs] of c.qrels) for (const [doc, rel] of docs) out.push(`${qid} 0 ${doc} ${rel}\n`);
  return out.join('');
}

export function runText(c: GenCase): string {
  const out: string[] = [];
  for (const [qid, { docIds }] of c.run) {
    const ints = c.scoreInts.get(qid)!;
    const d = c.decimals.get(qid)!;
    for (let i = 0; i < docIds.length; i++) out.push(`${qid} Q0 ${docIds[i]} ${i + 1} ${formatScore(ints[i], d)} gen\n`);
  }
  return out.join('');
}

// ------------------------------------------------------------------ doc ids
/** Bijective 32-bit mix (odd multiplier, xorshift): distinct inputs give distinct outputs. */
function mix(k: number): number {
  let x = imul(k ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  x ^= x >>> 15;
  return imul(x, 0x85ebca6b) >>> 0;
}
const UNICODE_PREFIXES = ['é', '\uff21', '\u{1f600}', 'z', '\ue000', '\u{1d538}', 'A', 'ß'];

/**
 * Doc id forms. `num` ("7" > "10" as strings), `msmarco` (big integers of varied length), `covid` (8 base-36
 * chars), `touche` (two hex parts), `prefixed` ("d7" > "d10"), `unicode` (prefixes whose UTF-16 order differs
 * from their UTF-8/code point order: U+FF21 and U+E000 vs the astral U+1F600 / U+1D538).
 */
export type IdForm = 'num' | 'msmarco' | 'covid' | 'touche' | 'prefixed' | 'unicode';
export const ID_FORMS: IdForm[] = ['num', 'msmarco', 'covid', 'touche', 'prefixed', 'unicode'];

function docId(form: IdForm, k: number): string {
  switch (form) {
    case 'num':
      return String(k);
    case 'msmarco':
      return String(mix(k));
    case 'covid':
      return mix(k).toString(36).padStart(7, '0') + 'c';
    case 'touche':
      return `S${mix(k).toString(16)}-A${mix(k + 0x10000).toString(16)}`;
    case 'prefixed':
      return `d${k}`;
    case 'unicode':
      return UNICODE_PREFIXES[k % UNICODE_PREFIXES.length] + String(k >> 3);
  }
}

// ------------------------------------------------------------------ one query
export interface QuerySpec {
  qid: string;
  /** Grades of the judged docs (may include 0 and negatives), in qrels order. */
  grades: number[];
  /** Run depth; 0 leaves the query out of the run. */
  depth: number;
  /** Probability that a judged doc of this grade is retrieved (before the depth limit). */
  pRetrieved: (grade: number) => number;
  /** Real-valued score of a retrieved doc of this grade (undefined = unjudged); quantised to `decimals`. */
  score: (grade: number | undefined) => number;
  decimals: number;
  idForm: IdForm;
  /** Run lines sorted by score descending (as real runs are) instead of in random order. */
  sorted: boolean;
}

function shuffle<T>(rng: () => number, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

function addQuery(rng: () => number, spec: QuerySpec, c: GenCase): void {
  const J = spec.grades.length;
  const total = J + spec.depth;
  if (total === 0) return;
  // doc index i -> id key by a random affine permutation of 0..total-1 (cheaper than a shuffle), so judged docs'
  // ids scatter among the run's.
  let a = int(rng, 1, total);
  while (gcd(a, total) !== 1) a++;
  const b = int(rng, 0, total - 1);
  const keys = new Array<number>(total);
  for (let i = 0; i < total; i++) keys[i] = (a * i + b) % total;
  if (J > 0) {
    const docs = new Map<string, number>();
    for (let i = 0; i < J; i++) docs.set(docId(spec.idForm, keys[i]), spec.grades[i]);
    c.qrels.set(spec.qid, docs);
  }
  if (spec.depth === 0) return;
  const picked: number[] = [];
  for (let i = 0; i < J && picked.length < spec.depth; i++) if (rng() < spec.pRetrieved(spec.grades[i])) picked.push(i);
  for (let i = J; picked.length < spec.depth; i++) picked.push(i);
  const scale = POW10[spec.decimals];
  const ints = new Float64Array(picked.length);
  for (let j = 0; j < picked.length; j++) {
    const i = picked[j];
    ints[j] = round(spec.score(i < J ? spec.grades[i] : undefined) * scale);
  }
  const order = Array.from({ length: picked.length }, (_, j) => j);
  if (spec.sorted) order.sort((a, b) => ints[b] - ints[a]);
  else shuffle(rng, order);
  const docIds: string[] = new Array(order.length);
  const scores = new Float64Array(order.length);
  const sortedInts = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const o = order[j];
    docIds[j] = docId(spec.idForm, keys[picked[o]]);
    sortedInts[j] = ints[o];
    scores[j] = ints[o] / scale;
  }
  c.run.set(spec.qid, { docIds, scores });
  c.scoreInts.set(spec.qid, sortedInts);
  c.decimals.set(spec.qid, spec.decimals);
}

/**
 * A query whose relevant docs sit at exactly the given ranks (1-based) of a run of distinct integer scores
 * depth, depth-1, …, 1; doc ids `e<rank>`.
 */
function addExactRanks(c: GenCase, qid: string, depth: number, relRanks: [rank: number, grade: number][]): void {
  const docIds = Array.from({ length: depth }, (_, i) => `e${i + 1}`);
  const ints = Float64Array.from(docIds, (_, i) => depth - i);
  c.qrels.set(qid, new Map(relRanks.map(([r, g]) => [`e${r}`, g])));
  c.run.set(qid, { docIds, scores: ints.slice() });
  c.scoreInts.set(qid, ints);
  c.decimals.set(qid, 0);
}

function newCase(name: string): GenCase {
  return { name, qrels: new Map(), run: new Map(), scoreInts: new Map(), decimals: new Map() };
}

const int = (rng: () => number, lo: number, hi: number) => lo + floor(rng() * (hi - lo + 1));
/** Triangular on (-w, w) (sum of 2 uniforms). */
const noise = (rng: () => number, w: number) => (rng() + rng() - 1) * w;
const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
function gradesOf(rng: () => number, counts: [grade: number, n: number][]): number[] {
  const g: number[] = [];
  for (const [grade, n] of counts) for (let i = 0; i < n; i++) g.push(grade);
  return shuffle(rng, g);
}

// ------------------------------------------------------------------ benchmark shapes
export interface ShapeInfo {
  name: string;
  seed: number;
  what: string;
  /** Cutoffs, when not mteb's TREC_K. */
  k?: number[];
  build: (rng: () => number) => GenCase;
}

export const SHAPES: ShapeInfo[] = [
  {
    name: 'trec-covid',
    seed: 20200416,
    what: '50 queries, runs 1000 deep, 100-500 relevant (grades 1-2) + as many zero judgements, cosine-like scores, 6 decimals',
    build: (rng) => {
      const c = newCase('trec-covid');
      for (let q = 1; q <= 50; q++) {
        const nRel = int(rng, 100, 500);
        const n2 = Math.floor(nRel * (0.3 + 0.4 * rng()));
        addQuery(rng, {
          qid: String(q),
          grades: gradesOf(rng, [[2, n2], [1, nRel - n2], [0, int(rng, nRel / 2, nRel * 2)]]),
          depth: 1000,
          pRetrieved: (g) => (g >= 1 ? 0.55 : 0.7),
          score: (g) => 0.55 + (g === undefined ? 0 : 0.02 + 0.03 * g) + noise(rng, 0.06),
          decimals: 6,
          idForm: 'covid',
          sorted: true,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'nfcorpus',
    seed: 3237,
    what: '323 queries, runs 1000 deep, 1-150 relevant (grades 1-2, skewed to few), no zero judgements, 7 decimals',
    build: (rng) => {
      const c = newCase('nfcorpus');
      for (let q = 0; q < 323; q++) {
        const nRel = Math.min(150, 1 + Math.floor(150 * rng() ** 3));
        const n2 = int(rng, 0, nRel);
        addQuery(rng, {
          qid: `PLAIN-${q * 7 + 1}`,
          grades: gradesOf(rng, [[2, n2], [1, nRel - n2]]),
          depth: 1000,
          pRetrieved: () => 0.8,
          score: (g) => 0.3 + (g === undefined ? 0 : 0.04 * g) + noise(rng, 0.08),
          decimals: 7,
          idForm: 'prefixed',
          sorted: true,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'msmarco-dev',
    seed: 6980,
    what: '2000 queries, runs 200 deep (not 1000, to keep the test fast), 1 relevant each (1 in 20 with 2-4), dot-product scores with 3 decimals',
    build: (rng) => {
      const c = newCase('msmarco-dev');
      for (let q = 0; q < 2000; q++) {
        const nRel = rng() < 0.05 ? int(rng, 2, 4) : 1;
        addQuery(rng, {
          qid: String(mix(q)),
          grades: gradesOf(rng, [[1, nRel]]),
          depth: 200,
          pRetrieved: () => 0.8,
          score: (g) => 80 + (g === undefined ? 0 : 3) + noise(rng, 6),
          decimals: 3,
          idForm: 'msmarco',
          sorted: true,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'touche',
    seed: 2020,
    what: '49 queries, runs 1000 deep, judged grades 0-2 (about 70% zeros, 30-90 judged), 5 decimals',
    build: (rng) => {
      const c = newCase('touche');
      for (let q = 1; q <= 49; q++) {
        const n = int(rng, 30, 90);
        const n0 = Math.floor(n * 0.7);
        const n2 = int(rng, 0, n - n0);
        addQuery(rng, {
          qid: String(q),
          grades: gradesOf(rng, [[0, n0], [1, n - n0 - n2], [2, n2]]),
          depth: 1000,
          pRetrieved: () => 0.75,
          score: (g) => 0.6 + (g === undefined ? 0 : 0.01 * (g + 1)) + noise(rng, 0.05),
          decimals: 5,
          idForm: 'touche',
          sorted: false,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'heavy-ties',
    seed: 777,
    what:
      '120 queries, runs 50-1000 deep: integer scores from a handful of values (ties decided by doc id), and 9-decimal ' +
      'scores that are distinct doubles but equal float32s (ties only in trec_eval\'s float)',
    build: (rng) => {
      const c = newCase('heavy-ties');
      for (let q = 0; q < 120; q++) {
        const floatTies = q % 3 === 2;
        const levels = int(rng, 2, 12);
        const nRel = int(rng, 1, 150);
        addQuery(rng, {
          qid: `t${q}`,
          grades: gradesOf(rng, [[1, nRel], [2, int(rng, 0, 20)], [3, int(rng, 0, 5)], [0, int(rng, 0, 40)]]),
          depth: int(rng, 50, 1000),
          pRetrieved: () => 0.6,
          // float ties: 0.500000000..0.500000200 — float32 spacing at 0.5 is 6e-8, so ~4 distinct floats
          score: floatTies
            ? () => 0.5 + int(rng, 0, 200) * 1e-9
            : (g) => Math.min(levels, Math.max(0, Math.floor(rng() * levels + (g ?? 0) * rng()))),
          decimals: floatTies ? 9 : 0,
          idForm: (['num', 'prefixed', 'unicode'] as IdForm[])[(q >> 1) % 3],
          sorted: rng() < 0.5,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'deep-runs',
    seed: 1201,
    what: '40 queries, runs 1000-1200 deep, 1-6 relevant scored so that the first one often ranks near or below 1000',
    build: (rng) => {
      const c = newCase('deep-runs');
      for (let q = 0; q < 40; q++) {
        addQuery(rng, {
          qid: `deep${q}`,
          grades: gradesOf(rng, [[1, int(rng, 1, 4)], [2, int(rng, 0, 2)], [0, int(rng, 0, 3)]]),
          depth: int(rng, 1000, 1200),
          pRetrieved: () => 0.9,
          score: (g) => (g !== undefined && g > 0 ? 0.25 * rng() : rng()),
          decimals: 4,
          idForm: 'prefixed',
          sorted: true,
        }, c);
      }
      return c;
    },
  },
  {
    name: 'deep-cutoffs',
    seed: 1375,
    k: [1000, 1374, 1375, 2000, 3000, 5000],
    what:
      '12 queries, runs 5000 deep, 300-3000 relevant (grades 1-3), cutoffs up to 5000: nDCG discounts log2(n) for ' +
      'n up to 5001; 7 more queries put a relevant doc at rank n-1 for n = 1375, 1621, 2750, 3242, 3393, where V8\'s ' +
      'Math.log2(n) is 1 ulp off glibc\'s (log2.ts)',
    build: (rng) => {
      const c = newCase('deep-cutoffs');
      for (let q = 0; q < 12; q++) {
        const nRel = int(rng, 300, 3000);
        addQuery(rng, {
          qid: `deep-k${q}`,
          grades: gradesOf(rng, [[1, nRel - Math.floor(nRel / 3)], [2, Math.floor(nRel / 4)], [3, Math.floor(nRel / 3) - Math.floor(nRel / 4)]]),
          depth: 5000,
          pRetrieved: () => 0.85,
          score: (g) => (g === undefined ? 0 : 0.1 * g) + rng(),
          decimals: 6,
          idForm: 'msmarco',
          sorted: true,
        }, c);
      }
      // Here a single discount decides the value, so a 1-ulp log2 shows (in the sums above it is usually absorbed).
      const exact: [number, number][][] = [[[1374, 1]], [[1620, 1]], [[2749, 2]], [[3241, 1]], [[3392, 3]], [[1374, 1], [3392, 2]], [[1, 1], [1620, 2], [2749, 3]]];
      exact.forEach((ranks, i) => addExactRanks(c, `exact${i}`, 5000, ranks));
      return c;
    },
  },
  {
    name: 'short-and-missing',
    seed: 4242,
    what:
      '200 qrels queries: runs 1-30 deep (shorter than most cutoffs); every 7th query has no run; 20 run-only queries ' +
      'without judgements; some queries judged only 0 or only negative',
    build: (rng) => {
      const c = newCase('short-and-missing');
      for (let q = 0; q < 200; q++) {
        const kind = q % 7 === 0 ? 'absent' : q % 11 === 0 ? 'zeros' : q % 13 === 0 ? 'negative' : 'normal';
        const nRel = int(rng, 1, 40);
        addQuery(rng, {
          qid: `q${q}`,
          grades:
            kind === 'zeros'
              ? gradesOf(rng, [[0, int(rng, 1, 10)]])
              : kind === 'negative'
                ? gradesOf(rng, [[-1, int(rng, 1, 5)]])
                : gradesOf(rng, [[1, nRel], [2, int(rng, 0, 5)], [0, int(rng, 0, 10)], [-1, int(rng, 0, 3)]]),
          depth: kind === 'absent' ? 0 : int(rng, 1, 30),
          pRetrieved: () => 0.5,
          score: (g) => (g ?? 0) * 0.1 + noise(rng, 0.3),
          decimals: 4,
          idForm: 'num',
          sorted: true,
        }, c);
      }
      for (let q = 0; q < 20; q++) {
        addQuery(rng, {
          qid: `runonly${q}`,
          grades: [],
          depth: int(rng, 1, 50),
          pRetrieved: () => 0,
          score: () => rng(),
          decimals: 4,
          idForm: 'num',
          sorted: false,
        }, c);
      }
      return c;
    },
  },
];

export function shapeCase(name: string): GenCase {
  const s = SHAPES.find((x) => x.name === name);
  if (!s) throw new Error(`no shape ${name}`);
  return s.build(mulberry32(s.seed));
}

// ------------------------------------------------------------------ random shapes
export const RANDOM_SEEDS: number[] = Array.from({ length: 200 }, (_, i) => 90001 + i * 7919);

/**
 * A random case: 1-6 queries (plus sometimes a run-only or a qrels-only one), depth 0-1200, 0-1000 relevant,
 * grades -1..3 with zero judgements, score resolution from integers (heavy ties) to 9 decimals (float32 ties),
 * doc ids of one random form per query.
 */
export function randomCase(seed: number): GenCase {
  const rng = mulberry32(seed);
  const c = newCase(`random-${seed}`);
  const nq = int(rng, 1, 6);
  for (let q = 0; q < nq; q++) {
    const bigRel = rng() < 0.15;
    const nRel = bigRel ? int(rng, 64, 1000) : int(rng, 0, 63);
    const grades = gradesOf(rng, [
      [1, nRel - Math.floor(nRel * rng() * 0.5)],
      [2, 0],
      [0, rng() < 0.5 ? int(rng, 0, 300) : 0],
      [-1, rng() < 0.2 ? int(rng, 1, 10) : 0],
    ]);
    // upgrade some relevant ones to grades 2 and 3
    for (let i = 0; i < grades.length; i++) if (grades[i] === 1 && rng() < 0.3) grades[i] = rng() < 0.5 ? 2 : 3;
    if (grades.length === 0) grades.push(rng() < 0.5 ? 1 : 0); // a qrels entry needs at least one judgement
    const depthKind = rng();
    let depth = depthKind < 0.1 ? 0 : depthKind < 0.3 ? int(rng, 1, 20) : int(rng, 1, 1200);
    if (q === 0 && depth === 0) depth = 1; // at least one query is evaluated (else there is nothing to average)
    const decimals = [0, 0, 1, 2, 4, 6, 9][int(rng, 0, 6)];
    const spread = decimals === 0 ? int(rng, 1, 30) : decimals === 9 ? 3e-7 : rng() * 2;
    const boost = rng() * spread * 0.5;
    const pRet = rng();
    addQuery(rng, {
      qid: q % 2 ? `Q${q}` : String(q * 11),
      grades,
      depth,
      pRetrieved: () => pRet,
      score: (g) => (decimals === 9 ? 0.25 : 0) + rng() * spread + (g !== undefined && g > 0 ? boost * g : 0) * rng(),
      decimals,
      idForm: ID_FORMS[int(rng, 0, ID_FORMS.length - 1)],
      sorted: rng() < 0.5,
    }, c);
  }
  if (rng() < 0.3) {
    addQuery(rng, { qid: 'run-only', grades: [], depth: int(rng, 1, 100), pRetrieved: () => 0, score: () => rng(), decimals: 3, idForm: 'num', sorted: false }, c);
  }
  return c;
}

// ------------------------------------------------------------------ comparison with the committed goldens
/** One case of suite.json / shapes.json / random.json (see make_goldens.ts). */
export interface GoldenCase {
  name: string;
  /** Cutoffs, when not TREC_K. */
  k?: number[];
  qids: string[];
  table: number[];
  values: Record<string, number[]>;
  all: Record<string, number>;
  py_mean: Record<string, number>;
  py_round5: Record<string, number>;
}
export interface GoldenFile {
  measures: string[];
  cases: GoldenCase[];
}

export interface CompareStats {
  queries: number;
  /** per-query trec_eval values compared (5 measures × the case's cutoffs per query; recip_rank apart). */
  values: number;
  maxDiff: number;
  /** Human-readable disagreements; empty when everything is bit-identical. */
  mismatches: string[];
  /** Queries where mteb-2's mrr_at_1000 differs from trec_eval's recip_rank (not a defect by itself). */
  mrrDiffs: { qid: string; mrr: number; recipRank: number }[];
}

/** trec_eval value of measure m for the i-th golden query. */
export const goldenValue = (g: GoldenCase, m: string, i: number): number => g.table[g.values[m][i]];

/**
 * Compares mteb-ts's per-query values (and, given `scores`, its 5-decimal means) with trec_eval:
 * - every per-query value of ndcg_cut/map_cut/recall/P/success at TREC_K, bit for bit;
 * - the plain mean of our values in trec_eval's query order (qid by strcmp) with trec_eval's "all" line;
 * - the mean in the run's query order with Python's sum(vals)/n, and scores[...] with Python's round(mean, 5).
 */
export function compareWithTrec(
  g: GoldenCase,
  perQuery: Map<string, Record<string, number>>,
  scores: Record<string, number> | undefined,
  opts: { measures?: string[]; means?: boolean } = {},
): CompareStats {
  const stats: CompareStats = { queries: 0, values: 0, maxDiff: 0, mismatches: [], mrrDiffs: [] };
  const bad = (s: string) => {
    if (stats.mismatches.length < 20) stats.mismatches.push(`${g.name}: ${s}`);
    else if (stats.mismatches.length === 20) stats.mismatches.push(`${g.name}: …`);
  };
  const ours = [...perQuery.keys()];
  if (ours.join('\u0000') !== g.qids.join('\u0000')) {
    bad(`evaluated queries differ: ours [${ours.slice(0, 8)}] (${ours.length}), trec_eval [${g.qids.slice(0, 8)}] (${g.qids.length})`);
    return stats;
  }
  stats.queries = g.qids.length;
  const trecOrder = g.qids.map((_, i) => i).sort((a, b) => compareCodePoints(g.qids[a], g.qids[b]));
  const measures = opts.measures ?? TREC_MEASURES.map(([m]) => m);
  for (const [trec, key] of TREC_MEASURES) {
    if (!measures.includes(trec)) continue;
    for (const k of g.k ?? TREC_K) {
      const m = `${trec}_${k}`;
      const ourKey = `${key}_at_${k}`;
      const vals = g.qids.map((q) => perQuery.get(q)![ourKey]);
      vals.forEach((v, i) => {
        const w = goldenValue(g, m, i);
        stats.values++;
        const d = Math.abs(v - w);
        if (!(d <= stats.maxDiff)) stats.maxDiff = Number.isNaN(d) ? Infinity : d;
        if (v !== w) bad(`${g.qids[i]} ${m}: trec_eval ${w}, ours ${v}`);
      });
      if (opts.means === false) continue;
      let sTrec = 0;
      for (const i of trecOrder) sTrec += vals[i];
      if (sTrec / vals.length !== g.all[m]) bad(`all ${m}: trec_eval ${g.all[m]}, mean of ours in trec_eval's order ${sTrec / vals.length}`);
      let sRun = 0;
      for (const v of vals) sRun += v;
      if (sRun / vals.length !== g.py_mean[m]) bad(`mean ${m}: python ${g.py_mean[m]}, ours ${sRun / vals.length}`);
      if (scores && scores[ourKey] !== g.py_round5[m]) bad(`${ourKey}: python round(mean, 5) ${g.py_round5[m]}, ours ${scores[ourKey]}`);
    }
  }
  g.qids.forEach((q, i) => {
    const mrr = perQuery.get(q)!.mrr_at_1000;
    const rr = goldenValue(g, 'recip_rank', i);
    if (mrr !== undefined && mrr !== rr) stats.mrrDiffs.push({ qid: q, mrr, recipRank: rr });
  });
  return stats;
}

/** True if two of the query's scores are different doubles but the same float32 (a tie only for trec_eval). */
export function hasFloat32Collision(scores: ArrayLike<number>): boolean {
  const byFloat = new Map<number, number>();
  for (let i = 0; i < scores.length; i++) {
    const f = fround(scores[i]);
    const prev = byFloat.get(f);
    if (prev === undefined) byFloat.set(f, scores[i]);
    else if (prev !== scores[i]) return true;
  }
  return false;
}
