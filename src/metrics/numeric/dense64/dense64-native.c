/*
 * Native twins of dense64.wat's `forward` and `gradient` (build: `node scripts/build-native.js
 * src/metrics/numeric/dense64/dense64-native.c`; opened by workspace.ts through src/native/native-library.ts).
 *
 * They compute THE SAME BITS as the WebAssembly kernels, only faster: every output is one sequential sum, in
 * increasing index of the reduction, starting from +0, of separately rounded float64 products (a multiply, then an
 * add: never a fused multiply-add, which rounds once and so changes bits; the build passes -ffp-contract=off and
 * the code writes mul and add apart). SIMD lanes hold DIFFERENT outputs (the 4 columns of one of the wasm's
 * packed panels), never parts of one sum. What differs from the wasm is only the schedule: bigger register tiles
 * (4 rows x up to 6 panels, i.e. 24 outputs) and cache blocking over the reduction, where a tile's partial sums
 * are stored to the output and loaded back exactly (a float64 store/load is exact), so each sum still runs
 * in one unbroken order. Operand order of each multiply matches the wasm's (x * w in forward, g * x in gradient).
 *
 * The arguments are byte offsets in the shared WebAssembly memory (whose base address `mem` the caller passes).
 *
 * Two code paths, chosen at run time:
 * - level 1, AVX2: the wasm kernels' own arguments and packed layouts (4-wide panels: one panel row = one 256-bit
 *   vector), register tiles of 4 x 3 vectors.
 * - level 2, AVX-512: 512-bit vectors (8 float64) over wider layouts the workspace packs for this level:
 *   forward reads W in 8-wide column panels (lanes = 8 outputs k, x broadcast), tiles of 8 rows x 24 outputs;
 *   gradient reads X in 8-wide column panels and writes G class-major (lanes = 8 features j, each G[i, k]
 *   broadcast), tiles of 24 features x 8 classes. Still one sequential sum per output, in the same order.
 * A CPU with neither gets dense64_native_level() = 0 and the caller keeps the WebAssembly kernels.
 */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT const char *mteb_native_source_hash(void) { return MTEB_NATIVE_SOURCE_HASH; }

/* Reduction steps per block of the forward product: a tile's 4 rows x 256 features (8 KB) stay in L1 while every
   panel group uses them, and the W block (256 x K float64) stays in L2. */
#define FWD_JB 256
/* Rows per block of the forward product: their outputs (64 x K float64) stay in cache across the j blocks. */
#define FWD_RB 64

/* Forward tile: out[4 rows, T panels] (+)= X[4 rows, j0..j1) . Wp[j0..j1, T panels].
   x: first row's value at j = 0, rs: row stride (float64); w: first panel, ps: panel stride (float64);
   o: the tile's first output, os: output row stride; first: start from +0 (else continue the stored sums). */
#define DEFINE_FWD_TILE(NAME, TGT, T)                                                                               \
  __attribute__((target(TGT))) static void NAME(const double *x, size_t rs, const double *w, size_t ps, size_t j0,   \
                                                size_t j1, double *o, size_t os, int first) {                       \
    __m256d acc[4][T];                                                                                              \
    _Pragma("GCC unroll 4") for (int r = 0; r < 4; r++) _Pragma("GCC unroll 8") for (int t = 0; t < T; t++)        \
      acc[r][t] = first ? _mm256_setzero_pd() : _mm256_loadu_pd(o + r * os + 4 * t);                               \
    const double *x0 = x, *x1 = x + rs, *x2 = x + 2 * rs, *x3 = x + 3 * rs;                                         \
    for (size_t j = j0; j < j1; j++) {                                                                              \
      __m256d wv[T];                                                                                                \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) wv[t] = _mm256_loadu_pd(w + t * ps + 4 * j);             \
      __m256d s = _mm256_broadcast_sd(x0 + j);                                                                      \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) acc[0][t] = _mm256_add_pd(acc[0][t], _mm256_mul_pd(s, wv[t])); \
      s = _mm256_broadcast_sd(x1 + j);                                                                              \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) acc[1][t] = _mm256_add_pd(acc[1][t], _mm256_mul_pd(s, wv[t])); \
      s = _mm256_broadcast_sd(x2 + j);                                                                              \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) acc[2][t] = _mm256_add_pd(acc[2][t], _mm256_mul_pd(s, wv[t])); \
      s = _mm256_broadcast_sd(x3 + j);                                                                              \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) acc[3][t] = _mm256_add_pd(acc[3][t], _mm256_mul_pd(s, wv[t])); \
    }                                                                                                               \
    _Pragma("GCC unroll 4") for (int r = 0; r < 4; r++) _Pragma("GCC unroll 8") for (int t = 0; t < T; t++)        \
      _mm256_storeu_pd(o + r * os + 4 * t, acc[r][t]);                                                              \
  }

/* Gradient tile: G[4 features, T panels] += sum over rows i in [0, cnt) of X[i, 4 features] * GP[i, T panels],
   continuing the sums stored in G (the caller zeroes G: the first term is added to +0, as in the wasm).
   xp: X's packed column panel (4 float64 per row) at the block's first row; gp: GP's first panel at that row,
   gps: panel stride (float64); g: G[feature 0, panel 0], gs: G's row stride (float64). */
#define DEFINE_GRAD_TILE(NAME, TGT, T)                                                                              \
  __attribute__((target(TGT))) static void NAME(const double *xp, const double *gp, size_t gps, size_t cnt,         \
                                                double *g, size_t gs) {                                             \
    __m256d acc[4][T];                                                                                              \
    _Pragma("GCC unroll 4") for (int q = 0; q < 4; q++) _Pragma("GCC unroll 8") for (int t = 0; t < T; t++)        \
      acc[q][t] = _mm256_loadu_pd(g + q * gs + 4 * t);                                                              \
    for (size_t i = 0; i < cnt; i++) {                                                                              \
      __m256d gv[T];                                                                                                \
      _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) gv[t] = _mm256_loadu_pd(gp + t * gps + 4 * i);           \
      _Pragma("GCC unroll 4") for (int q = 0; q < 4; q++) {                                                         \
        __m256d s = _mm256_broadcast_sd(xp + 4 * i + q);                                                            \
        _Pragma("GCC unroll 8") for (int t = 0; t < T; t++) acc[q][t] = _mm256_add_pd(acc[q][t], _mm256_mul_pd(gv[t], s)); \
      }                                                                                                             \
    }                                                                                                               \
    _Pragma("GCC unroll 4") for (int q = 0; q < 4; q++) _Pragma("GCC unroll 8") for (int t = 0; t < T; t++)        \
      _mm256_storeu_pd(g + q * gs + 4 * t, acc[q][t]);                                                              \
  }

typedef void (*fwd_tile_fn)(const double *, size_t, const double *, size_t, size_t, size_t, double *, size_t, int);
typedef void (*grad_tile_fn)(const double *, const double *, size_t, size_t, double *, size_t);

/* Runs a product over column panels [0, nt) in groups of tmax panels (the last group smaller): tiles[t] is the
   tile for t + 1 panels. */
static void forward_blocked(const fwd_tile_fn *tiles, int tmax, uint8_t *mem, uint32_t X, uint32_t rs, uint32_t Wp,
                            uint32_t p, uint32_t nt, uint32_t out, uint32_t r0, uint32_t r1) {
  const size_t rsd = rs / 8, ps = (size_t)p * 4, os = (size_t)nt * 4;
  const double *x = (const double *)(mem + X);
  const double *w = (const double *)(mem + Wp);
  double *o = (double *)(mem + out);
  const size_t rend = (size_t)r1 * 4;
  for (size_t rb = (size_t)r0 * 4; rb < rend; rb += FWD_RB) {
    const size_t rbe = rb + FWD_RB < rend ? rb + FWD_RB : rend;
    /* p = 0: every output is the empty sum, +0 (one pass with first = 1 and no steps writes it) */
    for (size_t j0 = 0; j0 < p || j0 == 0; j0 += FWD_JB) {
      const size_t j1 = j0 + FWD_JB < p ? j0 + FWD_JB : p;
      for (size_t i = rb; i < rbe; i += 4) {
        for (size_t t = 0; t < nt; t += (size_t)tmax) {
          const size_t tc = nt - t < (size_t)tmax ? nt - t : (size_t)tmax;
          tiles[tc - 1](x + i * rsd, rsd, w + t * ps, ps, j0, j1, o + i * os + 4 * t, os, j0 == 0);
        }
      }
      if (j1 >= p) break;
    }
  }
}

static void gradient_blocked(const grad_tile_fn *tiles, int tmax, uint8_t *mem, uint32_t Xp, uint32_t GPp, uint32_t n,
                             uint32_t nt, uint32_t G, uint32_t c0, uint32_t c1, uint32_t blk) {
  const size_t gs = (size_t)nt * 4, gps = (size_t)n * 4;
  const double *xp = (const double *)(mem + Xp);
  const double *gp = (const double *)(mem + GPp);
  double *g = (double *)(mem + G);
  if (blk == 0) blk = 256;
  for (size_t i0 = 0; i0 < n; i0 += blk) {
    const size_t cnt = n - i0 < blk ? n - i0 : blk;
    for (size_t c = c0; c < c1; c++) {
      for (size_t t = 0; t < nt; t += (size_t)tmax) {
        const size_t tc = nt - t < (size_t)tmax ? nt - t : (size_t)tmax;
        tiles[tc - 1](xp + (c * n + i0) * 4, gp + (t * n + i0) * 4, gps, cnt, g + 4 * c * gs + 4 * t, gs);
      }
    }
  }
}

#define AVX512 "avx512f,avx512vl"
#define AVX2 "avx2"

DEFINE_FWD_TILE(fwd2_1, AVX2, 1)
DEFINE_FWD_TILE(fwd2_2, AVX2, 2)
DEFINE_FWD_TILE(fwd2_3, AVX2, 3)
DEFINE_GRAD_TILE(grad2_1, AVX2, 1)
DEFINE_GRAD_TILE(grad2_2, AVX2, 2)
DEFINE_GRAD_TILE(grad2_3, AVX2, 3)

static const fwd_tile_fn FWD2[] = {fwd2_1, fwd2_2, fwd2_3};
static const grad_tile_fn GRAD2[] = {grad2_1, grad2_2, grad2_3};

/* ---- level 2: AVX-512 over the 8-wide layouts ---- */

/* Forward tile: out[R rows, 8C outputs] (+)= X[R rows, j0..j1) . W8[j0..j1, C panels of 8].
   As the 4-wide tile: x the first row at j = 0, rs its stride; w the first 8-wide panel, ps the panel stride. */
#define DEFINE_FWD8_TILE(NAME, R, C)                                                                                \
  __attribute__((target(AVX512))) static void NAME(const double *x, size_t rs, const double *w, size_t ps, size_t j0, \
                                                   size_t j1, double *o, size_t os, int first) {                    \
    __m512d acc[R][C];                                                                                              \
    _Pragma("GCC unroll 8") for (int r = 0; r < R; r++) _Pragma("GCC unroll 4") for (int c = 0; c < C; c++)        \
      acc[r][c] = first ? _mm512_setzero_pd() : _mm512_loadu_pd(o + r * os + 8 * c);                               \
    for (size_t j = j0; j < j1; j++) {                                                                              \
      __m512d wv[C];                                                                                                \
      _Pragma("GCC unroll 4") for (int c = 0; c < C; c++) wv[c] = _mm512_loadu_pd(w + c * ps + 8 * j);             \
      _Pragma("GCC unroll 8") for (int r = 0; r < R; r++) {                                                         \
        const __m512d s = _mm512_set1_pd(x[r * rs + j]);                                                            \
        _Pragma("GCC unroll 4") for (int c = 0; c < C; c++) acc[r][c] = _mm512_add_pd(acc[r][c], _mm512_mul_pd(s, wv[c])); \
      }                                                                                                             \
    }                                                                                                               \
    _Pragma("GCC unroll 8") for (int r = 0; r < R; r++) _Pragma("GCC unroll 4") for (int c = 0; c < C; c++)        \
      _mm512_storeu_pd(o + r * os + 8 * c, acc[r][c]);                                                              \
  }

/* Gradient tile: G'[C classes, 8F features] += sum over rows i in [0, cnt) of GP[i, class] * X[i, 8F features],
   continuing the sums stored in G' (class-major: class k's features at g + k * gk; zeroed by the caller).
   xp: X's first 8-wide panel at the block's first row, xps: panel stride; gp[c]: class c's GP values at the
   block's first row, 4 float64 apart (the 4-wide panels the objective writes). */
#define DEFINE_GRAD8_TILE(NAME, F, C)                                                                               \
  __attribute__((target(AVX512))) static void NAME(const double *xp, size_t xps, const double *const *gp, size_t cnt, \
                                                   double *g, size_t gk) {                                          \
    __m512d acc[C][F];                                                                                              \
    _Pragma("GCC unroll 8") for (int c = 0; c < C; c++) _Pragma("GCC unroll 4") for (int f = 0; f < F; f++)        \
      acc[c][f] = _mm512_loadu_pd(g + c * gk + 8 * f);                                                              \
    const double *gq[C];                                                                                            \
    _Pragma("GCC unroll 8") for (int c = 0; c < C; c++) gq[c] = gp[c];                                             \
    for (size_t i = 0; i < cnt; i++) {                                                                              \
      __m512d xv[F];                                                                                                \
      _Pragma("GCC unroll 4") for (int f = 0; f < F; f++) xv[f] = _mm512_loadu_pd(xp + f * xps + 8 * i);           \
      _Pragma("GCC unroll 8") for (int c = 0; c < C; c++) {                                                         \
        const __m512d s = _mm512_set1_pd(gq[c][4 * i]);                                                             \
        _Pragma("GCC unroll 4") for (int f = 0; f < F; f++) acc[c][f] = _mm512_add_pd(acc[c][f], _mm512_mul_pd(s, xv[f])); \
      }                                                                                                             \
    }                                                                                                               \
    _Pragma("GCC unroll 8") for (int c = 0; c < C; c++) _Pragma("GCC unroll 4") for (int f = 0; f < F; f++)        \
      _mm512_storeu_pd(g + c * gk + 8 * f, acc[c][f]);                                                              \
  }

DEFINE_FWD8_TILE(fwd8_8x1, 8, 1)
DEFINE_FWD8_TILE(fwd8_8x2, 8, 2)
DEFINE_FWD8_TILE(fwd8_8x3, 8, 3)
DEFINE_FWD8_TILE(fwd8_4x1, 4, 1)
DEFINE_FWD8_TILE(fwd8_4x2, 4, 2)
DEFINE_FWD8_TILE(fwd8_4x3, 4, 3)
static const fwd_tile_fn FWD8[2][3] = {{fwd8_4x1, fwd8_4x2, fwd8_4x3}, {fwd8_8x1, fwd8_8x2, fwd8_8x3}};

typedef void (*grad8_tile_fn)(const double *, size_t, const double *const *, size_t, double *, size_t);
#define GRAD8_ROW(F)                                                                                                \
  DEFINE_GRAD8_TILE(grad8_##F##x1, F, 1)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x2, F, 2)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x3, F, 3)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x4, F, 4)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x5, F, 5)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x6, F, 6)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x7, F, 7)                                                                            \
  DEFINE_GRAD8_TILE(grad8_##F##x8, F, 8)
GRAD8_ROW(1)
GRAD8_ROW(2)
GRAD8_ROW(3)
#define GRAD8_TABLE(F) {grad8_##F##x1, grad8_##F##x2, grad8_##F##x3, grad8_##F##x4, grad8_##F##x5, grad8_##F##x6, grad8_##F##x7, grad8_##F##x8}
static const grad8_tile_fn GRAD8[3][8] = {GRAD8_TABLE(1), GRAD8_TABLE(2), GRAD8_TABLE(3)};

/* Forward over W in 8-wide panels: row tiles [r0, r1) of 4 rows (taken 8 at a time), panels [0, np8), out row
   stride np8 * 8. Blocked as the 4-wide forward. */
static void forward8(uint8_t *mem, uint32_t X, uint32_t rs, uint32_t Wp, uint32_t p, uint32_t np8, uint32_t out,
                     uint32_t r0, uint32_t r1) {
  const size_t rsd = rs / 8, ps = (size_t)p * 8, os = (size_t)np8 * 8;
  const double *x = (const double *)(mem + X);
  const double *w = (const double *)(mem + Wp);
  double *o = (double *)(mem + out);
  const size_t rend = (size_t)r1 * 4;
  for (size_t rb = (size_t)r0 * 4; rb < rend; rb += FWD_RB) {
    const size_t rbe = rb + FWD_RB < rend ? rb + FWD_RB : rend;
    for (size_t j0 = 0; j0 < p || j0 == 0; j0 += FWD_JB) {
      const size_t j1 = j0 + FWD_JB < p ? j0 + FWD_JB : p;
      for (size_t i = rb; i < rbe;) {
        const int eight = rbe - i >= 8;
        for (size_t t = 0; t < np8; t += 3) {
          const size_t tc = np8 - t < 3 ? np8 - t : 3;
          FWD8[eight][tc - 1](x + i * rsd, rsd, w + t * ps, ps, j0, j1, o + i * os + 8 * t, os, j0 == 0);
        }
        i += eight ? 8 : 4;
      }
      if (j1 >= p) break;
    }
  }
}

/* Gradient over X in 8-wide panels (Xp8: panel c holds features 8c..8c+7 of rows 0..n-1), GP in the objective's
   4-wide panels (nt of them), G' class-major (K rows of p8 float64): feature panels [c0, c1), taken 3 at a time,
   classes 8 at a time, rows in blocks of blk (each block continues the sums stored in G'). */
static void gradient8(uint8_t *mem, uint32_t Xp8, uint32_t GPp, uint32_t n, uint32_t K, uint32_t G, uint32_t p8,
                      uint32_t c0, uint32_t c1, uint32_t blk) {
  const double *xp = (const double *)(mem + Xp8);
  const double *gpb = (const double *)(mem + GPp);
  double *g = (double *)(mem + G);
  const size_t xps = (size_t)n * 8;
  if (blk == 0) blk = 256;
  for (size_t i0 = 0; i0 < n; i0 += blk) {
    const size_t cnt = n - i0 < blk ? n - i0 : blk;
    for (size_t c = c0; c < c1; c += 3) {
      const size_t fc = c1 - c < 3 ? c1 - c : 3;
      for (size_t k = 0; k < K; k += 8) {
        const size_t kc = K - k < 8 ? K - k : 8;
        const double *gp[8];
        for (size_t q = 0; q < kc; q++) gp[q] = gpb + (((k + q) >> 2) * (size_t)n + i0) * 4 + ((k + q) & 3);
        GRAD8[fc - 1][kc - 1](xp + (c * n + i0) * 8, xps, gp, cnt, g + k * (size_t)p8 + 8 * c, p8);
      }
    }
  }
}

/* 2: AVX-512 (F + VL) path, 1: AVX2 path, 0: neither (the caller keeps the WebAssembly kernels). libgcc's checks
   include the OS's support for the wider register state (XGETBV). The kernels take the path as an argument, so
   tests run the AVX2 path on an AVX-512 machine too. */
EXPORT int dense64_native_level(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) return 2;
  if (__builtin_cpu_supports("avx2")) return 1;
  return 0;
}

/* dense64.wat `forward` (same arguments; mem: the WebAssembly memory's base) on the path `level` (1 or 2, at most
   dense64_native_level()). Level 2: Wp holds nt 8-wide panels and out rows are nt * 8 float64 apart. */
EXPORT void dense64_forward(int level, uint8_t *mem, uint32_t X, uint32_t rs, uint32_t Wp, uint32_t p, uint32_t nt,
                            uint32_t out, uint32_t r0, uint32_t r1) {
  if (level >= 2) forward8(mem, X, rs, Wp, p, nt, out, r0, r1);
  else if (level == 1) forward_blocked(FWD2, 3, mem, X, rs, Wp, p, nt, out, r0, r1);
}

/* dense64.wat `gradient` (same arguments) on the path `level` 1; level 2 is gradient8 above, whose arguments are
   (Xp8, GPp, n, K, G', p8, c0, c1 in 8-feature panels, blk). */
EXPORT void dense64_gradient(int level, uint8_t *mem, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
                             uint32_t a5, uint32_t a6, uint32_t a7, uint32_t a8) {
  if (level >= 2) gradient8(mem, a0, a1, a2, a3, a4, a5, a6, a7, a8);
  else if (level == 1) gradient_blocked(GRAD2, 3, mem, a0, a1, a2, a3, a4, a5, a6, a7);
}
