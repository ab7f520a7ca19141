;; Fixed-order float64 matrix products for the evaluators (source of dense64.wasm:
;; `node bin/run-ts.js src/search/blas/build-kernels.ts`). Every output element is ONE sequential sum, in
;; increasing index of the reduction, of separately rounded products (WebAssembly has no fused multiply-add):
;; exactly what the plain JavaScript loop `s = 0; for (j...) s += a[j] * b[j]` computes. SIMD lanes hold
;; DIFFERENT outputs (two classes per f64x2), never parts of one sum, so the bits equal the scalar loop's on every
;; CPU and for any split of the outputs over threads. Tiles are 4 x 4 outputs (8 f64x2 accumulators).
(module
  ;; Shared, so worker threads compute other rows / columns of the same products at the same time.
  (import "env" "memory" (memory 1 65536 shared))

  ;; out tile (4 rows x 4 packed columns) = X[4 rows, 0..p) . Wp[0..p, 4 columns].
  ;; $x: first row, $rs: row stride in bytes; $w: a packed panel, 4 float64 per reduction step;
  ;; $o: the tile's first output, $os: output row stride in bytes.
  (func $fwdTile (param $x i32) (param $rs i32) (param $w i32) (param $p i32) (param $o i32) (param $os i32)
    (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $j i32) (local $s v128) (local $w0 v128) (local $w1 v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rs)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rs)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rs)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $p)))
        (local.set $w0 (v128.load offset=0 (local.get $w)))
        (local.set $w1 (v128.load offset=16 (local.get $w)))
        (local.set $s (f64x2.splat (f64.load (local.get $x))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.load (local.get $x1))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.load (local.get $x2))))
        (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.load (local.get $x3))))
        (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $x1 (i32.add (local.get $x1) (i32.const 8)))
        (local.set $x2 (i32.add (local.get $x2) (i32.const 8)))
        (local.set $x3 (i32.add (local.get $x3) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
    (v128.store offset=0 (local.get $o) (local.get $a00))
    (v128.store offset=16 (local.get $o) (local.get $a01))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a10))
    (v128.store offset=16 (local.get $o) (local.get $a11))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a20))
    (v128.store offset=16 (local.get $o) (local.get $a21))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a30))
    (v128.store offset=16 (local.get $o) (local.get $a31)))

  ;; Row tiles [$r0, $r1) (tile t = rows 4t..4t+3) x every column panel: out = X . W.
  ;; X: rows of $p float64 at stride $rs bytes (row count a multiple of 4); Wp: $nt panels of $p x 4 float64;
  ;; out: rows of $nt * 4 float64.
  (func (export "forward") (param $X i32) (param $rs i32) (param $Wp i32) (param $p i32) (param $nt i32) (param $out i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $t i32) (local $os i32) (local $panel i32)
    (local.set $os (i32.shl (local.get $nt) (i32.const 5)))
    (local.set $panel (i32.shl (local.get $p) (i32.const 5)))
    (local.set $r (local.get $r0))
    (block $rd
      (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $t (i32.const 0))
        (block $td
          (loop $tl
            (br_if $td (i32.ge_u (local.get $t) (local.get $nt)))
            (call $fwdTile
              (i32.add (local.get $X) (i32.mul (i32.shl (local.get $r) (i32.const 2)) (local.get $rs)))
              (local.get $rs)
              (i32.add (local.get $Wp) (i32.mul (local.get $t) (local.get $panel)))
              (local.get $p)
              (i32.add (i32.add (local.get $out) (i32.mul (i32.shl (local.get $r) (i32.const 2)) (local.get $os))) (i32.shl (local.get $t) (i32.const 5)))
              (local.get $os))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; The same tile over float32 rows, each value widened to float64 exactly (embeddings stored as float32).
  (func $fwdTile32 (param $x i32) (param $rs i32) (param $w i32) (param $p i32) (param $o i32) (param $os i32)
    (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $j i32) (local $s v128) (local $w0 v128) (local $w1 v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $x1 (i32.add (local.get $x) (local.get $rs)))
    (local.set $x2 (i32.add (local.get $x1) (local.get $rs)))
    (local.set $x3 (i32.add (local.get $x2) (local.get $rs)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $p)))
        (local.set $w0 (v128.load offset=0 (local.get $w)))
        (local.set $w1 (v128.load offset=16 (local.get $w)))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $x)))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $x1)))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $x2)))))
        (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $x3)))))
        (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $s) (local.get $w0))))
        (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $s) (local.get $w1))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $x1 (i32.add (local.get $x1) (i32.const 4)))
        (local.set $x2 (i32.add (local.get $x2) (i32.const 4)))
        (local.set $x3 (i32.add (local.get $x3) (i32.const 4)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
    (v128.store offset=0 (local.get $o) (local.get $a00))
    (v128.store offset=16 (local.get $o) (local.get $a01))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a10))
    (v128.store offset=16 (local.get $o) (local.get $a11))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a20))
    (v128.store offset=16 (local.get $o) (local.get $a21))
    (local.set $o (i32.add (local.get $o) (local.get $os)))
    (v128.store offset=0 (local.get $o) (local.get $a30))
    (v128.store offset=16 (local.get $o) (local.get $a31)))

  ;; `forward` over float32 rows of X (X: rows of $p float32 at stride $rs bytes; the rest as forward).
  (func (export "forward32") (param $X i32) (param $rs i32) (param $Wp i32) (param $p i32) (param $nt i32) (param $out i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $t i32) (local $os i32) (local $panel i32)
    (local.set $os (i32.shl (local.get $nt) (i32.const 5)))
    (local.set $panel (i32.shl (local.get $p) (i32.const 5)))
    (local.set $r (local.get $r0))
    (block $rd
      (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $r1)))
        (local.set $t (i32.const 0))
        (block $td
          (loop $tl
            (br_if $td (i32.ge_u (local.get $t) (local.get $nt)))
            (call $fwdTile32
              (i32.add (local.get $X) (i32.mul (i32.shl (local.get $r) (i32.const 2)) (local.get $rs)))
              (local.get $rs)
              (i32.add (local.get $Wp) (i32.mul (local.get $t) (local.get $panel)))
              (local.get $p)
              (i32.add (i32.add (local.get $out) (i32.mul (i32.shl (local.get $r) (i32.const 2)) (local.get $os))) (i32.shl (local.get $t) (i32.const 5)))
              (local.get $os))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; G tile (4 columns j of X x 4 packed columns of GP) += sum over $cnt rows i of X[i, j] * GP[i, k], in
  ;; increasing i, continuing the partial sums stored in the tile (so row blocks keep one sequential order).
  ;; $x: X's packed column panel at row i0 (4 float64 per row: X rows are 8 KB apart at 1,024 features, which
  ;; would put a block's rows in one L1 set); $gp: GP's packed panel at row i0; $g: G[j0, k0], $gs: G row stride.
  (func $gradTile (param $x i32) (param $gp i32) (param $cnt i32) (param $g i32) (param $gs i32)
    (local $i i32) (local $s v128) (local $v0 v128) (local $v1 v128)
    (local $g1 i32) (local $g2 i32) (local $g3 i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $g1 (i32.add (local.get $g) (local.get $gs)))
    (local.set $g2 (i32.add (local.get $g1) (local.get $gs)))
    (local.set $g3 (i32.add (local.get $g2) (local.get $gs)))
    (local.set $a00 (v128.load offset=0 (local.get $g)))
    (local.set $a01 (v128.load offset=16 (local.get $g)))
    (local.set $a10 (v128.load offset=0 (local.get $g1)))
    (local.set $a11 (v128.load offset=16 (local.get $g1)))
    (local.set $a20 (v128.load offset=0 (local.get $g2)))
    (local.set $a21 (v128.load offset=16 (local.get $g2)))
    (local.set $a30 (v128.load offset=0 (local.get $g3)))
    (local.set $a31 (v128.load offset=16 (local.get $g3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $cnt)))
        (local.set $v0 (v128.load offset=0 (local.get $gp)))
        (local.set $v1 (v128.load offset=16 (local.get $gp)))
        (local.set $s (f64x2.splat (f64.load offset=0 (local.get $x))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $v0) (local.get $s))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $v1) (local.get $s))))
        (local.set $s (f64x2.splat (f64.load offset=8 (local.get $x))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $v0) (local.get $s))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $v1) (local.get $s))))
        (local.set $s (f64x2.splat (f64.load offset=16 (local.get $x))))
        (local.set $a20 (f64x2.add (local.get $a20) (f64x2.mul (local.get $v0) (local.get $s))))
        (local.set $a21 (f64x2.add (local.get $a21) (f64x2.mul (local.get $v1) (local.get $s))))
        (local.set $s (f64x2.splat (f64.load offset=24 (local.get $x))))
        (local.set $a30 (f64x2.add (local.get $a30) (f64x2.mul (local.get $v0) (local.get $s))))
        (local.set $a31 (f64x2.add (local.get $a31) (f64x2.mul (local.get $v1) (local.get $s))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $gp (i32.add (local.get $gp) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (v128.store offset=0 (local.get $g) (local.get $a00))
    (v128.store offset=16 (local.get $g) (local.get $a01))
    (v128.store offset=0 (local.get $g1) (local.get $a10))
    (v128.store offset=16 (local.get $g1) (local.get $a11))
    (v128.store offset=0 (local.get $g2) (local.get $a20))
    (v128.store offset=16 (local.get $g2) (local.get $a21))
    (v128.store offset=0 (local.get $g3) (local.get $a30))
    (v128.store offset=16 (local.get $g3) (local.get $a31)))

  ;; Column tiles [$c0, $c1) (tile c = columns 4c..4c+3 of X) x every panel of GP: G += X^T . GP over rows
  ;; [0, $n), in row blocks of $blk (the X block and GP block stay in cache while all tiles use them).
  ;; Xp: X packed in column panels of $n x 4 float64; GPp: $nt panels of $n x 4 float64;
  ;; G: rows of $nt * 4 float64 (zeroed by the caller before the first call).
  (func (export "gradient") (param $Xp i32) (param $GPp i32) (param $n i32) (param $nt i32) (param $G i32) (param $c0 i32) (param $c1 i32) (param $blk i32)
    (local $i0 i32) (local $cnt i32) (local $c i32) (local $t i32) (local $gs i32)
    (local.set $gs (i32.shl (local.get $nt) (i32.const 5)))
    (block $bd
      (loop $bl
        (br_if $bd (i32.ge_u (local.get $i0) (local.get $n)))
        (local.set $cnt (select (local.get $blk) (i32.sub (local.get $n) (local.get $i0))
          (i32.le_u (local.get $blk) (i32.sub (local.get $n) (local.get $i0)))))
        (local.set $c (local.get $c0))
        (block $cd
          (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (local.get $c1)))
            (local.set $t (i32.const 0))
            (block $td
              (loop $tl
                (br_if $td (i32.ge_u (local.get $t) (local.get $nt)))
                (call $gradTile
                  (i32.add (local.get $Xp) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $i0)) (i32.const 5)))
                  (i32.add (local.get $GPp) (i32.shl (i32.add (i32.mul (local.get $t) (local.get $n)) (local.get $i0)) (i32.const 5)))
                  (local.get $cnt)
                  (i32.add (i32.add (local.get $G) (i32.mul (i32.shl (local.get $c) (i32.const 2)) (local.get $gs))) (i32.shl (local.get $t) (i32.const 5)))
                  (local.get $gs))
                (local.set $t (i32.add (local.get $t) (i32.const 1)))
                (br $tl)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))
        (local.set $i0 (i32.add (local.get $i0) (local.get $cnt)))
        (br $bl))))
  ;; dot64's order (src/metrics/clustering/minibatch-kmeans.ts): four float64 accumulators s0..s3 taking the
  ;; elements f = 0, 1, 2, 3 (mod 4) of the first floor(d/4)*4, the rest added to s0 in order, result
  ;; (s0 + s1) + (s2 + s3); float32 inputs widened exactly. Lanes hold (s0, s1) and (s2, s3): the same bits.
  (func $dot4 (param $a i32) (param $b i32) (param $d i32) (result f64)
    (local $f i32) (local $lim i32) (local $u v128) (local $v v128) (local $s0 f64)
    (local.set $lim (i32.and (local.get $d) (i32.const -4)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $f) (local.get $lim)))
        (local.set $u (f64x2.add (local.get $u) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $a)))
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $b))))))
        (local.set $v (f64x2.add (local.get $v) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $a)))
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $l)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $u)))
    (block $tdone
      (loop $t
        (br_if $tdone (i32.ge_u (local.get $f) (local.get $d)))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul
          (f64.promote_f32 (f32.load (local.get $a))) (f64.promote_f32 (f32.load (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $t)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $u)))
      (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v)))))

  ;; out[c * $m + i] = dot4(row i of X, centre c) for rows [$i0, $i1) and centres [0, $nc): X and C float32 rows
  ;; of $d values ($d * 4 bytes apart), out float64.
  (func (export "dots32") (param $X i32) (param $C i32) (param $nc i32) (param $d i32) (param $out i32) (param $m i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $c i32) (local $rs i32)
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $i (local.get $i0))
    (block $id
      (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $c (i32.const 0))
        (block $cd
          (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (local.get $nc)))
            (f64.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $m)) (local.get $i)) (i32.const 3)))
              (call $dot4
                (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rs)))
                (i32.add (local.get $C) (i32.mul (local.get $c) (local.get $rs)))
                (local.get $d)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))
)
