/*
 * Native canonical scores: an accelerator that computes bit for bit what canonical.wat (and canonicalScore in
 * canonical.ts, the definition) computes, read straight from the corpus chunks' own arrays (no copy into
 * WebAssembly memory). Built by `node scripts/build-native.js src/search/canonical/canonical-native.c`; opened by
 * native-scorer.ts, which falls back to canonical.wasm wherever this library is absent, stale or turned off.
 *
 * The definition (canonical.ts): products of float32 values in float64, EXACT (24 + 24 significant bits fit in 53,
 * and no float32 product can overflow or underflow float64), so a fused multiply-add rounds exactly as the
 * separate multiply and add of the WebAssembly kernel do; lane L (0..7) sums the products of the elements
 * i = L (mod 8) in increasing i; dot = ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)); the last dim mod 8
 * elements go to lanes 0, 1, ...; cosine = f32(dot / (qnorm * max(sqrt(dot(d, d)), 1e-12))), dot = f32(dot), NaN
 * -> -1. The eight lanes are one AVX-512 register (lane L = element L of each 8-element block) or two AVX2 ones;
 * only independent pairs are interleaved, never the additions of one lane. Everything outside the vector loops is
 * plain C: -ffp-contract=off (build-native.js) keeps each written operation one IEEE operation, and the SSE
 * control word is set to round-to-nearest without flush-to-zero for each call (another library in the process
 * could have changed it).
 *
 * The vector kernels are written once, below, and compiled twice by including this file into itself, once per
 * instruction set (#pragma GCC target); mteb_canonical_level() says which ones this CPU runs.
 */
#ifndef CANONICAL_ISA
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

__attribute__((visibility("default"))) const char *mteb_native_source_hash(void) { return MTEB_NATIVE_SOURCE_HASH; }

/* The eight lanes in the definition's combine order. */
static inline double combine8(const double *s) {
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

/* max(sqrt(ss), 1e-12) with f64.max's NaN propagation (sqrtsd: no libm, no errno). */
static inline double norm_of(double ss) {
  double r = _mm_cvtsd_f64(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(ss)));
  return (r != r || r > 1e-12) ? r : 1e-12;
}

static inline float finish(double dot, int cosine, double qnorm, double den) {
  if (cosine) dot = dot / (qnorm * den);
  float r = (float)dot;
  return r != r ? -1.0f : r;
}

/* The n-th distinct row (n >= 1) of the pairs from f on (rows of a segment list, see score_pairs), or 0. */
static inline const char *row_ahead(const float *const *segs, const int32_t *seg_base, int32_t nseg, const int32_t *pairs,
                                    int32_t f, int32_t to, int n, int32_t dim) {
  while (f < to) {
    const int32_t r = pairs[3 * f];
    if (--n == 0) {
      int32_t s = 0;
      while (s + 1 < nseg && r >= seg_base[s + 1]) s++;
      return (const char *)(segs[s] + (size_t)(r - seg_base[s]) * (size_t)dim);
    }
    while (f < to && pairs[3 * f] == r) f++;
  }
  return 0;
}

/* Round to nearest, no flush-to-zero / denormals-are-zero, all exceptions masked: IEEE-754 as WebAssembly has. */
#define IEEE_CSR 0x1F80u
#ifndef PREFETCH_ROWS
#define PREFETCH_ROWS 2
#endif

#define CANONICAL_ISA 512
#pragma GCC push_options
#pragma GCC target("avx512f")
#include "canonical-native.c" /* this file, again */
#pragma GCC pop_options
#undef CANONICAL_ISA

#define CANONICAL_ISA 2
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#include "canonical-native.c" /* this file, again */
#pragma GCC pop_options
#undef CANONICAL_ISA

/* 2: the AVX-512 kernels run here, 1: the AVX2 ones, 0: neither (the caller uses WebAssembly). */
__attribute__((visibility("default"))) int32_t mteb_canonical_level(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
  return 0;
}

#else /* one instruction set's kernels */

#if CANONICAL_ISA == 512
#define ISA(name) name##_avx512
#define V ISA(vec)
typedef __m512d V;
static inline __attribute__((always_inline)) V ISA(vzero)(void) { return _mm512_setzero_pd(); }
static inline __attribute__((always_inline)) V ISA(vwiden)(const float *p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
static inline __attribute__((always_inline)) V ISA(vload)(const double *p) { return _mm512_loadu_pd(p); }
static inline __attribute__((always_inline)) void ISA(vstore)(double *p, V v) { _mm512_storeu_pd(p, v); }
static inline __attribute__((always_inline)) V ISA(vfma)(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
#else
#define ISA(name) name##_avx2
#define V ISA(vec)
typedef struct { __m256d lo, hi; } V; /* lanes 0-3, lanes 4-7 */
static inline __attribute__((always_inline)) V ISA(vzero)(void) { V v = { _mm256_setzero_pd(), _mm256_setzero_pd() }; return v; }
static inline __attribute__((always_inline)) V ISA(vwiden)(const float *p) {
  V v = { _mm256_cvtps_pd(_mm_loadu_ps(p)), _mm256_cvtps_pd(_mm_loadu_ps(p + 4)) };
  return v;
}
static inline __attribute__((always_inline)) V ISA(vload)(const double *p) { V v = { _mm256_loadu_pd(p), _mm256_loadu_pd(p + 4) }; return v; }
static inline __attribute__((always_inline)) void ISA(vstore)(double *p, V v) { _mm256_storeu_pd(p, v.lo); _mm256_storeu_pd(p + 4, v.hi); }
static inline __attribute__((always_inline)) V ISA(vfma)(V a, V b, V c) {
  V v = { _mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi) };
  return v;
}
#endif

/*
 * One row d with nq (0-4) queries: with `sq` its sum of squares, with `keep` the row widened into `scratch`, and
 * the nq dot products; 8 lane sums each into lanes[0..7] (sum of squares), lanes[8 + 8c ..] (query c), tails
 * included. With `from_scratch` the row is read back widened from scratch instead of from d. The flags are
 * constants at every call, so each use compiles to its own loop.
 */
static inline __attribute__((always_inline)) void ISA(row_pass)(const float *d, const double *wide, const float *const *q, int nq,
                                                                int sq, int keep, int from_scratch, double *scratch, int32_t dim,
                                                                double *lanes, const char *pf, const float *const *pq) {
  const int32_t n8 = dim & ~7;
  V s = ISA(vzero)(), a0 = ISA(vzero)(), a1 = ISA(vzero)(), a2 = ISA(vzero)(), a3 = ISA(vzero)();
  for (int32_t j = 0; j < n8; j += 8) {
    /* one cache line of a row scored later per 64 bytes of this one: the row arrives while this one is scored */
    if (pf && !(j & 15)) __builtin_prefetch(pf + 4 * (size_t)j, 0, 3);
    /* likewise the next queries (each is one 4 KB page at 1,024 dims: the hardware prefetcher starts over on each) */
    if (pq && !(j & 15))
      for (int c = 0; c < 4; c++)
        if (pq[c]) __builtin_prefetch(pq[c] + j, 0, 3);
    V x = from_scratch ? ISA(vload)(wide + j) : ISA(vwiden)(d + j);
    if (keep) ISA(vstore)(scratch + j, x);
    if (sq) s = ISA(vfma)(x, x, s);
    if (nq > 0) a0 = ISA(vfma)(ISA(vwiden)(q[0] + j), x, a0);
    if (nq > 1) a1 = ISA(vfma)(ISA(vwiden)(q[1] + j), x, a1);
    if (nq > 2) a2 = ISA(vfma)(ISA(vwiden)(q[2] + j), x, a2);
    if (nq > 3) a3 = ISA(vfma)(ISA(vwiden)(q[3] + j), x, a3);
  }
  ISA(vstore)(lanes, s);
  ISA(vstore)(lanes + 8, a0);
  ISA(vstore)(lanes + 16, a1);
  ISA(vstore)(lanes + 24, a2);
  ISA(vstore)(lanes + 32, a3);
  /* dim mod 8 elements to lanes 0, 1, ...: a product then a sum, as the definition writes it (same bits as fma) */
  for (int32_t j = n8; j < dim; j++) {
    const double x = from_scratch ? wide[j] : (double)d[j];
    const int l = j - n8;
    if (keep) scratch[j] = x;
    if (sq) lanes[l] = lanes[l] + x * x;
    for (int c = 0; c < nq; c++) lanes[8 + 8 * c + l] = lanes[8 + 8 * c + l] + (double)q[c][j] * x;
  }
}

/*
 * Two rows with one or two pairs each (nA, nB queries), read in one loop: twice the independent chains of one
 * row's pass, so the additions' latency is hidden where a lone row with one pair waits on it. Lanes as row_pass's
 * (lanesA / lanesB: sum of squares, then a lane set per query), each with the same additions in the same order.
 */
static inline __attribute__((always_inline)) void ISA(two_rows)(const float *dA, const float *const *qA, int nA, const float *dB,
                                                                const float *const *qB, int nB, int sq, int32_t dim, double *lanesA,
                                                                double *lanesB, const char *pfA, const char *pfB) {
  const int32_t n8 = dim & ~7;
  V sA = ISA(vzero)(), a0 = ISA(vzero)(), a1 = ISA(vzero)(), sB = ISA(vzero)(), b0 = ISA(vzero)(), b1 = ISA(vzero)();
  for (int32_t j = 0; j < n8; j += 8) {
    if (!(j & 15)) {
      if (pfA) __builtin_prefetch(pfA + 4 * (size_t)j, 0, 3);
      if (pfB) __builtin_prefetch(pfB + 4 * (size_t)j, 0, 3);
    }
    V x = ISA(vwiden)(dA + j);
    V y = ISA(vwiden)(dB + j);
    if (sq) {
      sA = ISA(vfma)(x, x, sA);
      sB = ISA(vfma)(y, y, sB);
    }
    a0 = ISA(vfma)(ISA(vwiden)(qA[0] + j), x, a0);
    b0 = ISA(vfma)(ISA(vwiden)(qB[0] + j), y, b0);
    if (nA > 1) a1 = ISA(vfma)(ISA(vwiden)(qA[1] + j), x, a1);
    if (nB > 1) b1 = ISA(vfma)(ISA(vwiden)(qB[1] + j), y, b1);
  }
  ISA(vstore)(lanesA, sA);
  ISA(vstore)(lanesA + 8, a0);
  ISA(vstore)(lanesA + 16, a1);
  ISA(vstore)(lanesB, sB);
  ISA(vstore)(lanesB + 8, b0);
  ISA(vstore)(lanesB + 16, b1);
  for (int32_t j = n8; j < dim; j++) {
    const double x = (double)dA[j], y = (double)dB[j];
    const int l = j - n8;
    if (sq) {
      lanesA[l] = lanesA[l] + x * x;
      lanesB[l] = lanesB[l] + y * y;
    }
    for (int c = 0; c < nA; c++) lanesA[8 + 8 * c + l] = lanesA[8 + 8 * c + l] + (double)qA[c][j] * x;
    for (int c = 0; c < nB; c++) lanesB[8 + 8 * c + l] = lanesB[8 + 8 * c + l] + (double)qB[c][j] * y;
  }
}

/* The scores of a row's c (1-2) pairs at pairs[3p ..] from its lanes (row_pass / two_rows layout). */
static inline __attribute__((always_inline)) void ISA(finish_row)(const double *lanes, const int32_t *pairs, int32_t p, int32_t c, int cosine,
                                                                  const double *qnorms, float *out) {
  const double den = cosine ? norm_of(combine8(lanes)) : 1;
  for (int32_t k = 0; k < c; k++) {
    const int32_t *pp = pairs + 3 * (p + k);
    out[pp[2]] = finish(combine8(lanes + 8 + 8 * k), cosine, qnorms[pp[1]], den);
  }
}

/*
 * Scores pairs [from, to) of `pairs` (int32 triples: row, query, position; a row's pairs consecutive, rows
 * ascending within runs): row r lives in segment s with seg_base[s] <= r < seg_base[s + 1] at segs[s] +
 * (r - seg_base[s]) * dim; query i at queries + i * dim, its norm qnorms[i]; the score goes to out[position]. A
 * row with one or two pairs is read once for its sum of squares and dot products together; a row with more is
 * widened once into scratch (dim doubles, this call's own) and its queries are scored four at a time against it:
 * four independent accumulators hide the latency of each lane's chain of additions; two consecutive rows with one
 * or two pairs each are read in one loop (two_rows). Rows two ahead are prefetched while these are scored (rows
 * are scattered: the hardware prefetcher cannot guess the next one).
 */
__attribute__((visibility("default"))) void ISA(mteb_canonical_score_pairs)(const float *const *segs, const int32_t *seg_base, int32_t nseg,
                                                                          const float *queries, const double *qnorms, const int32_t *pairs,
                                                                          int32_t from, int32_t to, int32_t dim, int32_t cosine, float *out,
                                                                          double *scratch) {
  const unsigned csr = _mm_getcsr();
  _mm_setcsr(IEEE_CSR);
  double lanes[40], lanesB[24];
  int32_t seg = 0;
  int32_t p = from;
  while (p < to) {
    const int32_t row = pairs[3 * p];
    if (row < seg_base[seg]) seg = 0;
    while (seg + 1 < nseg && row >= seg_base[seg + 1]) seg++;
    const float *d = segs[seg] + (size_t)(row - seg_base[seg]) * (size_t)dim;
    int32_t e = p + 1;
    while (e < to && pairs[3 * e] == row) e++;
    const int32_t c = e - p;
    if (c <= 2 && e < to) {
      /* the next row: two rows in one loop when it has one or two pairs too */
      const int32_t rowB = pairs[3 * e];
      int32_t eB = e + 1;
      while (eB < to && pairs[3 * eB] == rowB) eB++;
      const int32_t cB = eB - e;
      if (cB <= 2) {
        int32_t sB = seg;
        while (sB + 1 < nseg && rowB >= seg_base[sB + 1]) sB++;
        const float *dB = segs[sB] + (size_t)(rowB - seg_base[sB]) * (size_t)dim;
        const char *pfA = row_ahead(segs, seg_base, nseg, pairs, eB, to, 2 * PREFETCH_ROWS - 1, dim);
        const char *pfB = row_ahead(segs, seg_base, nseg, pairs, eB, to, 2 * PREFETCH_ROWS, dim);
        const float *qA[2] = { queries + (size_t)pairs[3 * p + 1] * dim, c == 2 ? queries + (size_t)pairs[3 * p + 4] * dim : 0 };
        const float *qB[2] = { queries + (size_t)pairs[3 * e + 1] * dim, cB == 2 ? queries + (size_t)pairs[3 * e + 4] * dim : 0 };
#define TWO(NA, NB, SQ) ISA(two_rows)(d, qA, NA, dB, qB, NB, SQ, dim, lanes, lanesB, pfA, pfB)
        if (cosine) {
          if (c == 1) { if (cB == 1) TWO(1, 1, 1); else TWO(1, 2, 1); }
          else { if (cB == 1) TWO(2, 1, 1); else TWO(2, 2, 1); }
        } else {
          if (c == 1) { if (cB == 1) TWO(1, 1, 0); else TWO(1, 2, 0); }
          else { if (cB == 1) TWO(2, 1, 0); else TWO(2, 2, 0); }
        }
#undef TWO
        ISA(finish_row)(lanes, pairs, p, c, cosine, qnorms, out);
        ISA(finish_row)(lanesB, pairs, e, cB, cosine, qnorms, out);
        p = eB;
        continue;
      }
    }
    /* one row alone; the row PREFETCH_ROWS distinct rows ahead is prefetched */
    const char *pf = row_ahead(segs, seg_base, nseg, pairs, e, to, PREFETCH_ROWS, dim);
    double den = 1;
    if (c <= 2) {
      const float *q[2] = { queries + (size_t)pairs[3 * p + 1] * dim, c == 2 ? queries + (size_t)pairs[3 * p + 4] * dim : 0 };
      if (cosine) {
        if (c == 1) ISA(row_pass)(d, 0, q, 1, 1, 0, 0, 0, dim, lanes, pf, 0);
        else ISA(row_pass)(d, 0, q, 2, 1, 0, 0, 0, dim, lanes, pf, 0);
      } else if (c == 1) ISA(row_pass)(d, 0, q, 1, 0, 0, 0, 0, dim, lanes, pf, 0);
      else ISA(row_pass)(d, 0, q, 2, 0, 0, 0, 0, dim, lanes, pf, 0);
      ISA(finish_row)(lanes, pairs, p, c, cosine, qnorms, out);
    } else {
      if (cosine) ISA(row_pass)(d, 0, 0, 0, 1, 1, 0, scratch, dim, lanes, pf, 0);
      else ISA(row_pass)(d, 0, 0, 0, 0, 1, 0, scratch, dim, lanes, pf, 0);
      if (cosine) den = norm_of(combine8(lanes));
      for (int32_t b = p; b < e; b += 4) {
        const int32_t nq = e - b < 4 ? e - b : 4;
        const float *q[4] = { 0, 0, 0, 0 }, *pq[4] = { 0, 0, 0, 0 };
        for (int32_t k = 0; k < nq; k++) q[k] = queries + (size_t)pairs[3 * (b + k) + 1] * dim;
        /* the queries of the next four pairs (this row's or the next row's) */
        for (int32_t k = 0; k < 4 && b + nq + k < to; k++) pq[k] = queries + (size_t)pairs[3 * (b + nq + k) + 1] * dim;
        switch (nq) {
          case 4: ISA(row_pass)(0, scratch, q, 4, 0, 0, 1, 0, dim, lanes, 0, pq); break;
          case 3: ISA(row_pass)(0, scratch, q, 3, 0, 0, 1, 0, dim, lanes, 0, pq); break;
          case 2: ISA(row_pass)(0, scratch, q, 2, 0, 0, 1, 0, dim, lanes, 0, pq); break;
          default: ISA(row_pass)(0, scratch, q, 1, 0, 0, 1, 0, dim, lanes, 0, pq); break;
        }
        for (int32_t k = 0; k < nq; k++) {
          const int32_t *pp = pairs + 3 * (b + k);
          out[pp[2]] = finish(combine8(lanes + 8 + 8 * k), cosine, qnorms[pp[1]], den);
        }
      }
    }
    p = e;
  }
  _mm_setcsr(csr);
}

/* out[i] = norm(query i) = max(sqrt(dot64(q, q)), 1e-12), canonicalNorm's bits (cosine's query norms). */
__attribute__((visibility("default"))) void ISA(mteb_canonical_norms)(const float *queries, int32_t m, int32_t dim, double *out) {
  const unsigned csr = _mm_getcsr();
  _mm_setcsr(IEEE_CSR);
  double lanes[40];
  for (int32_t i = 0; i < m; i++) {
    ISA(row_pass)(queries + (size_t)i * dim, 0, 0, 0, 1, 0, 0, 0, dim, lanes, 0, 0);
    out[i] = norm_of(combine8(lanes));
  }
  _mm_setcsr(csr);
}

#undef V
#undef ISA
#endif
