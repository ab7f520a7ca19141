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
  ;; That order for one float32 row against two centres stored as float64 (widened once by the caller), so the
  ;; row is read once for both: each centre keeps its own lanes (s0, s1) and (s2, s3).
  (func $dot4x2 (param $a i32) (param $b0 i32) (param $b1 i32) (param $d i32) (param $o0 i32) (param $o1 i32)
    (local $f i32) (local $lim i32) (local $ra v128) (local $rb v128)
    (local $u0 v128) (local $v0 v128) (local $u1 v128) (local $v1 v128) (local $s0 f64) (local $s1 f64) (local $t f64)
    (local.set $lim (i32.and (local.get $d) (i32.const -4)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $f) (local.get $lim)))
        (local.set $ra (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $a))))
        (local.set $rb (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $a))))
        (local.set $u0 (f64x2.add (local.get $u0) (f64x2.mul (local.get $ra) (v128.load offset=0 (local.get $b0)))))
        (local.set $v0 (f64x2.add (local.get $v0) (f64x2.mul (local.get $rb) (v128.load offset=16 (local.get $b0)))))
        (local.set $u1 (f64x2.add (local.get $u1) (f64x2.mul (local.get $ra) (v128.load offset=0 (local.get $b1)))))
        (local.set $v1 (f64x2.add (local.get $v1) (f64x2.mul (local.get $rb) (v128.load offset=16 (local.get $b1)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b0 (i32.add (local.get $b0) (i32.const 32)))
        (local.set $b1 (i32.add (local.get $b1) (i32.const 32)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $l)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $u0)))
    (local.set $s1 (f64x2.extract_lane 0 (local.get $u1)))
    (block $tdone
      (loop $tl
        (br_if $tdone (i32.ge_u (local.get $f) (local.get $d)))
        (local.set $t (f64.promote_f32 (f32.load (local.get $a))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $t) (f64.load (local.get $b0)))))
        (local.set $s1 (f64.add (local.get $s1) (f64.mul (local.get $t) (f64.load (local.get $b1)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b0 (i32.add (local.get $b0) (i32.const 8)))
        (local.set $b1 (i32.add (local.get $b1) (i32.const 8)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $tl)))
    (f64.store (local.get $o0) (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $u0)))
      (f64.add (f64x2.extract_lane 0 (local.get $v0)) (f64x2.extract_lane 1 (local.get $v0)))))
    (f64.store (local.get $o1) (f64.add
      (f64.add (local.get $s1) (f64x2.extract_lane 1 (local.get $u1)))
      (f64.add (f64x2.extract_lane 0 (local.get $v1)) (f64x2.extract_lane 1 (local.get $v1))))))

  ;; out[c * $m + i] = the dot64-order product of row i of X and centre c for rows [$i0, $i1) and centres [0, $nc): X float32 rows of $d
  ;; values, C the centres as float64 rows (exact widenings of float32 values), out float64. Centres go in pairs
  ;; (an odd last one is computed twice into the same place: the same bits).
  (func (export "dots32") (param $X i32) (param $C i32) (param $nc i32) (param $d i32) (param $out i32) (param $m i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $c i32) (local $c1 i32) (local $rs i32) (local $cs i32)
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $cs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (local.get $i0))
    (block $id
      (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $c (i32.const 0))
        (block $cd
          (loop $cl
            (br_if $cd (i32.ge_u (local.get $c) (local.get $nc)))
            (local.set $c1 (select (i32.add (local.get $c) (i32.const 1)) (local.get $c)
              (i32.lt_u (i32.add (local.get $c) (i32.const 1)) (local.get $nc))))
            (call $dot4x2
              (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $rs)))
              (i32.add (local.get $C) (i32.mul (local.get $c) (local.get $cs)))
              (i32.add (local.get $C) (i32.mul (local.get $c1) (local.get $cs)))
              (local.get $d)
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $m)) (local.get $i)) (i32.const 3)))
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c1) (local.get $m)) (local.get $i)) (i32.const 3))))
            (local.set $c (i32.add (local.get $c) (i32.const 2)))
            (br $cl)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il))))

  ;; ---- k-means over float32 rows (src/metrics/clustering/kmeans32.ts) ----
  ;; Centres live twice: row-major (K x d float32, for the update and the inertia) and in panels of 8 centres
  ;; (d x 8 float32 per panel, zero centres past K) for the labelling products.

  ;; Packs C (K x d) into ceil(K / 8) panels at $Cp (when $panels is nonzero: the BLAS path needs none, its
  ;; replay reads C), and writes each centre's squared norm as numpy's einsum
  ;; computes it in float32 (four lanes, blocks of four vectors last-first, then vectors, then
  ;; (l0 + l1) + (l2 + l3); see centerNorms in minibatch-kmeans.ts) to $cn, and a float64 norm (for error
  ;; bounds only) to $cl.
  (func (export "prep32") (param $C i32) (param $K i32) (param $d i32) (param $Cp i32) (param $cn i32) (param $cl i32) (param $panels i32)
    (local $j i32) (local $f i32) (local $c i32) (local $acc v128) (local $v v128) (local $s f64) (local $u v128)
    (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32) (local $t f32) (local $np i32) (local $l i32)
    (local.set $np (i32.shr_u (i32.add (local.get $K) (i32.const 7)) (i32.const 3)))
    ;; panels: Cp[q][f][l] = C[8q + l][f]
    (local.set $j (select (i32.const 0) (i32.shl (local.get $np) (i32.const 3)) (local.get $panels)))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $j) (i32.shl (local.get $np) (i32.const 3))))
      (local.set $f (i32.const 0))
      (block $fd (loop $fl
        (br_if $fd (i32.ge_u (local.get $f) (local.get $d)))
        (f32.store
          (i32.add (local.get $Cp) (i32.shl
            (i32.add (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $d)) (local.get $f)) (i32.const 3))
                     (i32.and (local.get $j) (i32.const 7)))
            (i32.const 2)))
          (select
            (f32.load (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $d)) (local.get $f)) (i32.const 2))))
            (f32.const 0)
            (i32.lt_u (local.get $j) (local.get $K))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $fl)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $pl)))
    ;; norms
    (local.set $j (i32.const 0))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_u (local.get $j) (local.get $K)))
      (local.set $c (i32.add (local.get $C) (i32.shl (i32.mul (local.get $j) (local.get $d)) (i32.const 2))))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $f (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.lt_s (i32.sub (local.get $d) (local.get $f)) (i32.const 16)))
        (local.set $v (v128.load offset=48 (local.get $c)))
        (local.set $acc (f32x4.add (f32x4.mul (local.get $v) (local.get $v)) (local.get $acc)))
        (local.set $v (v128.load offset=32 (local.get $c)))
        (local.set $acc (f32x4.add (f32x4.mul (local.get $v) (local.get $v)) (local.get $acc)))
        (local.set $v (v128.load offset=16 (local.get $c)))
        (local.set $acc (f32x4.add (f32x4.mul (local.get $v) (local.get $v)) (local.get $acc)))
        (local.set $v (v128.load offset=0 (local.get $c)))
        (local.set $acc (f32x4.add (f32x4.mul (local.get $v) (local.get $v)) (local.get $acc)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (local.set $f (i32.add (local.get $f) (i32.const 16)))
        (br $bl)))
      (block $vd (loop $vl
        (br_if $vd (i32.gt_s (i32.add (local.get $f) (i32.const 4)) (local.get $d)))
        (local.set $v (v128.load (local.get $c)))
        (local.set $acc (f32x4.add (f32x4.mul (local.get $v) (local.get $v)) (local.get $acc)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $vl)))
      (local.set $a0 (f32x4.extract_lane 0 (local.get $acc)))
      (local.set $a1 (f32x4.extract_lane 1 (local.get $acc)))
      (local.set $a2 (f32x4.extract_lane 2 (local.get $acc)))
      (local.set $a3 (f32x4.extract_lane 3 (local.get $acc)))
      ;; a partial last vector: lanes past d keep their sums
      (if (i32.lt_u (local.get $f) (local.get $d)) (then
        (local.set $t (f32.load offset=0 (local.get $c)))
        (local.set $a0 (f32.add (f32.mul (local.get $t) (local.get $t)) (local.get $a0)))))
      (if (i32.lt_u (i32.add (local.get $f) (i32.const 1)) (local.get $d)) (then
        (local.set $t (f32.load offset=4 (local.get $c)))
        (local.set $a1 (f32.add (f32.mul (local.get $t) (local.get $t)) (local.get $a1)))))
      (if (i32.lt_u (i32.add (local.get $f) (i32.const 2)) (local.get $d)) (then
        (local.set $t (f32.load offset=8 (local.get $c)))
        (local.set $a2 (f32.add (f32.mul (local.get $t) (local.get $t)) (local.get $a2)))))
      (f32.store (i32.add (local.get $cn) (i32.shl (local.get $j) (i32.const 2)))
        (f32.add (f32.add (local.get $a0) (local.get $a1)) (f32.add (local.get $a2) (local.get $a3))))
      ;; float64 length (bounds only)
      (local.set $c (i32.add (local.get $C) (i32.shl (i32.mul (local.get $j) (local.get $d)) (i32.const 2))))
      (f64.store (i32.add (local.get $cl) (i32.shl (local.get $j) (i32.const 3)))
        (f64.sqrt (call $sq64 (local.get $c) (local.get $d))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $nl)))
  )

  ;; Sum of squares of $d float32 values in float64 (two lanes; used only inside error bounds).
  (func $sq64 (param $x i32) (param $d i32) (result f64)
    (local $f i32) (local $u v128) (local $v v128) (local $s f64)
    (block $d2 (loop $l2
      (br_if $d2 (i32.gt_s (i32.add (local.get $f) (i32.const 2)) (local.get $d)))
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
      (local.set $u (f64x2.add (local.get $u) (f64x2.mul (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $f (i32.add (local.get $f) (i32.const 2)))
      (br $l2)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $u)) (f64x2.extract_lane 1 (local.get $u))))
    (if (i32.lt_u (local.get $f) (local.get $d)) (then
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.promote_f32 (f32.load (local.get $x))) (f64.promote_f32 (f32.load (local.get $x))))))))
    (local.get $s))

  ;; Approximate dot products, 4 rows x 8 centres (one panel): each lane one sequential float32 sum of rounded
  ;; float32 products over the $d features. Used only to find the rows whose label is certain (kmeans32.ts
  ;; bounds their error); every close row is decided by the exact replay below.
  ;; $more: continue the sums stored at $o (a later block of features) instead of starting from zero.
  (func $tile32 (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $w i32) (param $d i32) (param $o i32) (param $os i32) (param $more i32)
    (local $end i32) (local $s v128) (local $w0 v128) (local $w1 v128) (local $p i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (if (local.get $more) (then
      (local.set $p (local.get $o))
      (local.set $a00 (v128.load offset=0 (local.get $p)))
      (local.set $a01 (v128.load offset=16 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $os)))
      (local.set $a10 (v128.load offset=0 (local.get $p)))
      (local.set $a11 (v128.load offset=16 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $os)))
      (local.set $a20 (v128.load offset=0 (local.get $p)))
      (local.set $a21 (v128.load offset=16 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $os)))
      (local.set $a30 (v128.load offset=0 (local.get $p)))
      (local.set $a31 (v128.load offset=16 (local.get $p)))))
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $d) (i32.const 5))))
    ;; two features per pass (the same per-lane order), then an odd last feature below
    (block $done2
      (loop $l2
        (br_if $done2 (i32.gt_u (i32.add (local.get $w) (i32.const 64)) (local.get $end)))
        (local.set $w0 (v128.load offset=0 (local.get $w)))
        (local.set $w1 (v128.load offset=16 (local.get $w)))
        (local.set $s (v128.load32_splat (local.get $x0)))
        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x1)))
        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x2)))
        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x3)))
        (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $w0 (v128.load offset=32 (local.get $w)))
        (local.set $w1 (v128.load offset=48 (local.get $w)))
        (local.set $s (v128.load32_splat offset=4 (local.get $x0)))
        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat offset=4 (local.get $x1)))
        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat offset=4 (local.get $x2)))
        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat offset=4 (local.get $x3)))
        (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $x0 (i32.add (local.get $x0) (i32.const 8)))
        (local.set $x1 (i32.add (local.get $x1) (i32.const 8)))
        (local.set $x2 (i32.add (local.get $x2) (i32.const 8)))
        (local.set $x3 (i32.add (local.get $x3) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 64)))
        (br $l2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $w0 (v128.load offset=0 (local.get $w)))
        (local.set $w1 (v128.load offset=16 (local.get $w)))
        (local.set $s (v128.load32_splat (local.get $x0)))
        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x1)))
        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x2)))
        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $s (v128.load32_splat (local.get $x3)))
        (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $w0))))
        (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $w1))))
        (local.set $x0 (i32.add (local.get $x0) (i32.const 4)))
        (local.set $x1 (i32.add (local.get $x1) (i32.const 4)))
        (local.set $x2 (i32.add (local.get $x2) (i32.const 4)))
        (local.set $x3 (i32.add (local.get $x3) (i32.const 4)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
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

  ;; sklearn's exact label for one row (the JavaScript replay it replaces: dot = fround(dot + x[f] * c[f]) over
  ;; f in order, score = fround(cnorm + fround(-2 dot)), first strict minimum). Lanes hold different centres, so
  ;; each dot is still one chain; products of float32 values are exact in float64, the sum is rounded to float64
  ;; and then to float32, as Math.fround(dot + x * c) does.
  (func $replay (param $x i32) (param $Cp i32) (param $d i32) (param $K i32) (param $cn i32) (result i32)
    (local $q i32) (local $np i32) (local $w i32) (local $end i32) (local $xp i32) (local $s v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $j i32) (local $l i32) (local $best i32) (local $bs f32) (local $sc f32) (local $dot f32)
    (local.set $np (i32.shr_u (i32.add (local.get $K) (i32.const 7)) (i32.const 3)))
    (local.set $w (local.get $Cp))
    (block $qd (loop $ql
      (br_if $qd (i32.ge_u (local.get $q) (local.get $np)))
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $xp (local.get $x))
      (local.set $end (i32.add (local.get $w) (i32.shl (local.get $d) (i32.const 5))))
      (block $fd (loop $fl
        (br_if $fd (i32.ge_u (local.get $w) (local.get $end)))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (local.get $xp)))))
        (local.set $a0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a0)
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero offset=0 (local.get $w))))))))
        (local.set $a1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a1)
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $w))))))))
        (local.set $a2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a2)
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $w))))))))
        (local.set $a3 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a3)
          (f64x2.mul (local.get $s) (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $w))))))))
        (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (br $fl)))
      ;; the 8 dots, in centre order
      (local.set $l (i32.const 0))
      (block $ld (loop $ll
        (br_if $ld (i32.ge_u (local.get $l) (i32.const 8)))
        (local.set $j (i32.add (i32.shl (local.get $q) (i32.const 3)) (local.get $l)))
        (br_if $ld (i32.ge_u (local.get $j) (local.get $K)))
        (local.set $dot (f32.demote_f64
          (if (result f64) (i32.lt_u (local.get $l) (i32.const 4))
            (then (if (result f64) (i32.lt_u (local.get $l) (i32.const 2))
              (then (if (result f64) (local.get $l) (then (f64x2.extract_lane 1 (local.get $a0))) (else (f64x2.extract_lane 0 (local.get $a0)))))
              (else (if (result f64) (i32.eq (local.get $l) (i32.const 3)) (then (f64x2.extract_lane 1 (local.get $a1))) (else (f64x2.extract_lane 0 (local.get $a1)))))))
            (else (if (result f64) (i32.lt_u (local.get $l) (i32.const 6))
              (then (if (result f64) (i32.eq (local.get $l) (i32.const 5)) (then (f64x2.extract_lane 1 (local.get $a2))) (else (f64x2.extract_lane 0 (local.get $a2)))))
              (else (if (result f64) (i32.eq (local.get $l) (i32.const 7)) (then (f64x2.extract_lane 1 (local.get $a3))) (else (f64x2.extract_lane 0 (local.get $a3))))))))))
        (local.set $sc (f32.add (f32.load (i32.add (local.get $cn) (i32.shl (local.get $j) (i32.const 2))))
          (f32.mul (f32.const -2) (local.get $dot))))
        (if (i32.or (i32.eqz (local.get $j)) (f32.lt (local.get $sc) (local.get $bs))) (then
          (local.set $bs (local.get $sc))
          (local.set $best (local.get $j))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $ll)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $ql)))
    (local.get $best))

;; $replay reading the row-major centres C (K x d) instead of panels (the BLAS path builds no panels): the same
  ;; chains, four centres at a time (two f64x2 lanes each; centres past K repeat the last one and are not read
  ;; back), so the same label.
  (func $replayRows (param $x i32) (param $C i32) (param $d i32) (param $K i32) (param $cn i32) (result i32)
    (local $j i32) (local $rs i32) (local $last i32) (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $f i32) (local $s v128) (local $a0 v128) (local $a1 v128)
    (local $l i32) (local $jj i32) (local $best i32) (local $bs f32) (local $sc f32) (local $dot f32)
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $last (i32.sub (local.get $K) (i32.const 1)))
    (block $gd (loop $gl
      (br_if $gd (i32.ge_u (local.get $j) (local.get $K)))
      (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $j) (local.get $rs))))
      (local.set $c1 (i32.add (local.get $C) (i32.mul (select (i32.add (local.get $j) (i32.const 1)) (local.get $last)
        (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $K))) (local.get $rs))))
      (local.set $c2 (i32.add (local.get $C) (i32.mul (select (i32.add (local.get $j) (i32.const 2)) (local.get $last)
        (i32.lt_u (i32.add (local.get $j) (i32.const 2)) (local.get $K))) (local.get $rs))))
      (local.set $c3 (i32.add (local.get $C) (i32.mul (select (i32.add (local.get $j) (i32.const 3)) (local.get $last)
        (i32.lt_u (i32.add (local.get $j) (i32.const 3)) (local.get $K))) (local.get $rs))))
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $f (i32.const 0))
      (block $fd (loop $fl
        (br_if $fd (i32.ge_u (local.get $f) (local.get $rs)))
        (local.set $s (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $f))))))
        (local.set $a0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a0)
          (f64x2.mul (local.get $s) (f64x2.replace_lane 1
            (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $c0) (local.get $f)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $c1) (local.get $f))))))))))
        (local.set $a1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.add (local.get $a1)
          (f64x2.mul (local.get $s) (f64x2.replace_lane 1
            (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $c2) (local.get $f)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $c3) (local.get $f))))))))))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $fl)))
      ;; the 4 dots, in centre order
      (local.set $l (i32.const 0))
      (block $ld (loop $ll
        (br_if $ld (i32.ge_u (local.get $l) (i32.const 4)))
        (local.set $jj (i32.add (local.get $j) (local.get $l)))
        (br_if $ld (i32.ge_u (local.get $jj) (local.get $K)))
        (local.set $dot (f32.demote_f64
          (if (result f64) (i32.lt_u (local.get $l) (i32.const 2))
            (then (if (result f64) (local.get $l) (then (f64x2.extract_lane 1 (local.get $a0))) (else (f64x2.extract_lane 0 (local.get $a0)))))
            (else (if (result f64) (i32.eq (local.get $l) (i32.const 3)) (then (f64x2.extract_lane 1 (local.get $a1))) (else (f64x2.extract_lane 0 (local.get $a1))))))))
        (local.set $sc (f32.add (f32.load (i32.add (local.get $cn) (i32.shl (local.get $jj) (i32.const 2))))
          (f32.mul (f32.const -2) (local.get $dot))))
        (if (i32.or (i32.eqz (local.get $jj)) (f32.lt (local.get $sc) (local.get $bs))) (then
          (local.set $bs (local.get $sc))
          (local.set $best (local.get $jj))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $ll)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $gl)))
    (local.get $best))

  ;; `_inertia_dense` for one row and its centre, in float32: squared differences in groups of four features
  ;; summed ((s0 + s1) + s2) + s3, groups added in order, then the remaining features one by one.
  (func $inertiaRow (param $x i32) (param $c i32) (param $d i32) (result f32)
    (local $end i32) (local $v v128) (local $r f32) (local $t f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2))))
    (block $gd (loop $gl
      (br_if $gd (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (f32x4.sub (v128.load (local.get $x)) (v128.load (local.get $c))))
      (local.set $v (f32x4.mul (local.get $v) (local.get $v)))
      (local.set $r (f32.add (local.get $r)
        (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
          (f32x4.extract_lane 2 (local.get $v))) (f32x4.extract_lane 3 (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $gl)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $d) (i32.const 3)) (i32.const 2))))
    (block $td (loop $tl
      (br_if $td (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $t (f32.sub (f32.load (local.get $x)) (f32.load (local.get $c))))
      (local.set $r (f32.add (local.get $r) (f32.mul (local.get $t) (local.get $t))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $tl)))
    (local.get $r))

  ;; Labels (and each row's inertia term) for row tiles [$t0, $t1) of a k-means problem described by the i32
  ;; parameter block at $P:
  ;;   0 X (float32 rows, $d apart)   1 idx (i32 row numbers, padded to a multiple of 4)   2 m (rows)
  ;;   3 Cp (panels)   4 C (row-major centres)   5 d   6 K   7 cnorm (float32)   8 tol slope (f64 per centre)
  ;;   9 tol intercept (f64 per centre)   10 dots (float32 scratch, m4 x 8 * panels)   11 labels (i32)
  ;;   12 inertia terms (float32)   13 replayed-row count (i32, statistics)   14 row lengths (f64, by row number)
;;   15 nonzero: the dots were written by the caller (a BLAS SGEMM, rows m x K with a row stride of 8 * panels
;;      floats, any summation order: kmeans32.ts widens the bounds for it) and are not computed here; the replay
;;      then reads the row-major centres (no panels were built)
;;   byte 64: the largest tol slope, byte 72: the largest tol intercept (f64; a row whose runner-up is farther
;;   than its best's tolerance plus these is certain without the per-centre check)
  ;; A row's label is its first minimum approximate score unless some other centre's approximate score is within
  ;; the two scores' error bounds (xLen * slope + intercept each), or a score is not finite: then the exact replay.
  (func (export "assign32") (param $P i32) (param $t0 i32) (param $t1 i32)
    (local $X i32) (local $idx i32) (local $m i32) (local $Cp i32) (local $C i32) (local $d i32) (local $K i32)
    (local $cn i32) (local $ta i32) (local $tb i32) (local $dots i32) (local $lab i32) (local $ine i32)
    (local $rs i32) (local $np i32) (local $os i32) (local $t i32) (local $q i32) (local $i i32) (local $x i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $r i32)
    (local $j i32) (local $best i32) (local $ab f64) (local $a f64) (local $xl f64) (local $tol f64) (local $amb i32)
    (local $xls i32) (local $sec f64) (local $ma f64) (local $mb f64) (local $pd i32) (local $pc i32) (local $nf f64)
    (local.set $X (i32.load offset=0 (local.get $P)))
    (local.set $idx (i32.load offset=4 (local.get $P)))
    (local.set $m (i32.load offset=8 (local.get $P)))
    (local.set $Cp (i32.load offset=12 (local.get $P)))
    (local.set $C (i32.load offset=16 (local.get $P)))
    (local.set $d (i32.load offset=20 (local.get $P)))
    (local.set $K (i32.load offset=24 (local.get $P)))
    (local.set $cn (i32.load offset=28 (local.get $P)))
    (local.set $ta (i32.load offset=32 (local.get $P)))
    (local.set $tb (i32.load offset=36 (local.get $P)))
    (local.set $dots (i32.load offset=40 (local.get $P)))
    (local.set $lab (i32.load offset=44 (local.get $P)))
    (local.set $ine (i32.load offset=48 (local.get $P)))
    (local.set $xls (i32.load offset=56 (local.get $P)))
    (local.set $ma (f64.load offset=64 (local.get $P)))
    (local.set $mb (f64.load offset=72 (local.get $P)))
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $np (i32.shr_u (i32.add (local.get $K) (i32.const 7)) (i32.const 3)))
    (local.set $os (i32.shl (local.get $np) (i32.const 5)))
    (local.set $t (local.get $t0))
    (block $td (loop $tl
      (br_if $td (i32.ge_u (local.get $t) (local.get $t1)))
      ;; the products of a group of 4 tiles (16 rows) at a time, features in blocks of 256: the block of the rows
      ;; (16 KB) and of one panel (8 KB) stay in L1 while every panel / tile uses them
      (if (i32.and (i32.eqz (i32.load offset=60 (local.get $P)))
            (i32.eqz (i32.and (i32.sub (local.get $t) (local.get $t0)) (i32.const 3)))) (then
        (call $products (local.get $X) (local.get $idx) (local.get $Cp) (local.get $d) (local.get $np) (local.get $dots)
          (local.get $t) (select (i32.add (local.get $t) (i32.const 4)) (local.get $t1)
            (i32.lt_u (i32.add (local.get $t) (i32.const 4)) (local.get $t1))))))
      ;; pick each row's label
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (i32.const 4)))
        (local.set $i (i32.add (i32.shl (local.get $t) (i32.const 2)) (local.get $r)))
        (br_if $rd (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $x (i32.add (local.get $X) (i32.mul (local.get $j) (local.get $rs))))
        (local.set $xl (f64.load (i32.add (local.get $xls) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $sec (f64.const inf))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (local.set $best (i32.const 0))
        (local.set $amb (i32.const 0))
        ;; the best and runner-up approximate scores ($approx inlined: row $i's dots at $pd, centre norms at $pc);
        ;; (a - a) is NaN for an infinite or NaN score, so $nf is nonzero when one is: such rows go to the replay
        (local.set $pd (i32.add (local.get $dots) (i32.mul (local.get $i) (local.get $os))))
        (local.set $ab (f64.sub (f64.promote_f32 (f32.load (local.get $cn)))
          (f64.mul (f64.const 2) (f64.promote_f32 (f32.load (local.get $pd))))))
        (local.set $nf (f64.sub (local.get $ab) (local.get $ab)))
        (local.set $pc (i32.add (local.get $cn) (i32.const 4)))
        (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
        (local.set $j (i32.const 1))
        (block $jd (loop $jl
          (br_if $jd (i32.ge_u (local.get $j) (local.get $K)))
          (local.set $a (f64.sub (f64.promote_f32 (f32.load (local.get $pc)))
            (f64.mul (f64.const 2) (f64.promote_f32 (f32.load (local.get $pd))))))
          (local.set $nf (f64.add (local.get $nf) (f64.sub (local.get $a) (local.get $a))))
          (if (f64.lt (local.get $a) (local.get $ab))
            (then
              (local.set $sec (local.get $ab))
              (local.set $ab (local.get $a))
              (local.set $best (local.get $j)))
            (else (if (f64.lt (local.get $a) (local.get $sec)) (then (local.set $sec (local.get $a))))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 4)))
          (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jl)))
        (if (f64.ne (local.get $nf) (f64.const 0)) (then (local.set $amb (i32.const 1))))
        (local.set $tol (f64.add
          (f64.mul (local.get $xl) (f64.load (i32.add (local.get $ta) (i32.shl (local.get $best) (i32.const 3)))))
          (f64.load (i32.add (local.get $tb) (i32.shl (local.get $best) (i32.const 3))))))
        ;; the runner-up beyond every centre's tolerance: certain (the usual case); else check each centre
        (local.set $j (select (local.get $K) (i32.const 0)
          (f64.gt (f64.sub (local.get $sec) (local.get $ab))
            (f64.add (local.get $tol) (f64.add (f64.mul (local.get $xl) (local.get $ma)) (local.get $mb))))))
        (block $kd (loop $kl
          (br_if $kd (i32.or (local.get $amb) (i32.ge_u (local.get $j) (local.get $K))))
          (if (i32.ne (local.get $j) (local.get $best)) (then
            (if (i32.eqz (f64.gt
                  (f64.sub (call $approx (local.get $dots) (local.get $os) (local.get $i) (local.get $cn) (local.get $j)) (local.get $ab))
                  (f64.add (local.get $tol) (f64.add
                    (f64.mul (local.get $xl) (f64.load (i32.add (local.get $ta) (i32.shl (local.get $j) (i32.const 3)))))
                    (f64.load (i32.add (local.get $tb) (i32.shl (local.get $j) (i32.const 3))))))))
              (then (local.set $amb (i32.const 1))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $kl)))
        (if (local.get $amb) (then
          (local.set $best (if (result i32) (i32.load offset=60 (local.get $P))
            (then (call $replayRows (local.get $x) (local.get $C) (local.get $d) (local.get $K) (local.get $cn)))
            (else (call $replay (local.get $x) (local.get $Cp) (local.get $d) (local.get $K) (local.get $cn)))))
          (i32.atomic.rmw.add offset=52 (local.get $P) (i32.const 1)) (drop)))
        (i32.store (i32.add (local.get $lab) (i32.shl (local.get $i) (i32.const 2))) (local.get $best))
        (f32.store (i32.add (local.get $ine) (i32.shl (local.get $i) (i32.const 2)))
          (call $inertiaRow (local.get $x) (i32.add (local.get $C) (i32.mul (local.get $best) (local.get $rs))) (local.get $d)))
        (br $rl)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tl))))

  ;; Approximate products (tile32) of row tiles [$g0, $g1) with every panel, feature block by feature block.
  (func $products (param $X i32) (param $idx i32) (param $Cp i32) (param $d i32) (param $np i32) (param $dots i32) (param $g0 i32) (param $g1 i32)
    (local $f0 i32) (local $fn i32) (local $q i32) (local $t i32) (local $rs i32) (local $os i32) (local $ip i32) (local $xo i32)
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $os (i32.shl (local.get $np) (i32.const 5)))
    (block $fd (loop $fl
      (br_if $fd (i32.ge_u (local.get $f0) (local.get $d)))
      (local.set $fn (select (i32.const 256) (i32.sub (local.get $d) (local.get $f0))
        (i32.lt_u (i32.const 256) (i32.sub (local.get $d) (local.get $f0)))))
      (local.set $xo (i32.add (local.get $X) (i32.shl (local.get $f0) (i32.const 2))))
      (local.set $q (i32.const 0))
      (block $qd (loop $ql
        (br_if $qd (i32.ge_u (local.get $q) (local.get $np)))
        (local.set $t (local.get $g0))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $t) (local.get $g1)))
          (local.set $ip (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 4))))
          (call $tile32
            (i32.add (local.get $xo) (i32.mul (i32.load offset=0 (local.get $ip)) (local.get $rs)))
            (i32.add (local.get $xo) (i32.mul (i32.load offset=4 (local.get $ip)) (local.get $rs)))
            (i32.add (local.get $xo) (i32.mul (i32.load offset=8 (local.get $ip)) (local.get $rs)))
            (i32.add (local.get $xo) (i32.mul (i32.load offset=12 (local.get $ip)) (local.get $rs)))
            (i32.add (i32.add (local.get $Cp) (i32.mul (local.get $q) (i32.shl (local.get $d) (i32.const 5)))) (i32.shl (local.get $f0) (i32.const 5)))
            (local.get $fn)
            (i32.add (i32.add (local.get $dots) (i32.mul (i32.shl (local.get $t) (i32.const 2)) (local.get $os))) (i32.shl (local.get $q) (i32.const 5)))
            (local.get $os)
            (local.get $f0))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tl)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $ql)))
      (local.set $f0 (i32.add (local.get $f0) (local.get $fn)))
      (br $fl))))

  ;; Approximate score of row $i for centre $j: cnorm - 2 * dot, in float64 from the float32 values.
  (func $approx (param $dots i32) (param $os i32) (param $i i32) (param $cn i32) (param $j i32) (result f64)
    (f64.sub
      (f64.promote_f32 (f32.load (i32.add (local.get $cn) (i32.shl (local.get $j) (i32.const 2)))))
      (f64.mul (f64.const 2) (f64.promote_f32 (f32.load
        (i32.add (i32.add (local.get $dots) (i32.mul (local.get $i) (local.get $os))) (i32.shl (local.get $j) (i32.const 2))))))))

  ;; `_minibatch_update_dense` over float32 rows: for each centre j with members (rows idx[starts[j] ..
  ;; starts[j+1]) in batch order) new = ((old * w[j]) + x_1 + ... + x_n) * alpha[j], every step rounded to
  ;; float32 (lanes are different features); a centre without members is copied. Each feature sees the same
  ;; operations in the same order; the loops run member by member over the centre's row (in L1), so each member's
  ;; row is read once, contiguously. Centres [$j0, $j1) of the problem in the i32 parameter block at $U: 0 X,
  ;; 1 idx, 2 starts, 3 old, 4 new, 5 w, 6 alpha, 7 d.
  (func (export "update32") (param $U i32) (param $j0 i32) (param $j1 i32)
    (local $X i32) (local $idx i32) (local $starts i32) (local $old i32) (local $new i32) (local $w i32) (local $alpha i32)
    (local $d i32) (local $j i32) (local $s i32) (local $e i32) (local $t i32) (local $rs i32)
    (local $vw v128) (local $va v128) (local $sw f32) (local $sa f32)
    (local $p i32) (local $q i32) (local $end i32) (local $end4 i32) (local $xr i32)
    (local.set $X (i32.load offset=0 (local.get $U)))
    (local.set $idx (i32.load offset=4 (local.get $U)))
    (local.set $starts (i32.load offset=8 (local.get $U)))
    (local.set $old (i32.load offset=12 (local.get $U)))
    (local.set $new (i32.load offset=16 (local.get $U)))
    (local.set $w (i32.load offset=20 (local.get $U)))
    (local.set $alpha (i32.load offset=24 (local.get $U)))
    (local.set $d (i32.load offset=28 (local.get $U)))
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $j (local.get $j0))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $j1)))
      ;; $p: this centre's new row, $end4 / $end: where its whole vectors / values end
      (local.set $p (i32.add (local.get $new) (i32.mul (local.get $j) (local.get $rs))))
      (local.set $end (i32.add (local.get $p) (local.get $rs)))
      (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2))))
      (local.set $s (i32.load (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $e (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $j) (i32.const 2)))))
      (if (i32.gt_u (local.get $e) (local.get $s))
        (then
          (local.set $sw (f32.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $sa (f32.load (i32.add (local.get $alpha) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $vw (f32x4.splat (local.get $sw)))
          (local.set $va (f32x4.splat (local.get $sa)))
          ;; new = old * w
          (local.set $q (i32.add (local.get $old) (i32.mul (local.get $j) (local.get $rs))))
          (local.set $xr (local.get $p))
          (block $wd (loop $wl
            (br_if $wd (i32.ge_u (local.get $xr) (local.get $end4)))
            (v128.store (local.get $xr) (f32x4.mul (v128.load (local.get $q)) (local.get $vw)))
            (local.set $xr (i32.add (local.get $xr) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $wl)))
          (block $wd2 (loop $wl2
            (br_if $wd2 (i32.ge_u (local.get $xr) (local.get $end)))
            (f32.store (local.get $xr) (f32.mul (f32.load (local.get $q)) (local.get $sw)))
            (local.set $xr (i32.add (local.get $xr) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $wl2)))
          ;; + each member's row, in batch order
          (local.set $t (local.get $s))
          (block $md (loop $ml
            (br_if $md (i32.ge_u (local.get $t) (local.get $e)))
            (local.set $q (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $t) (i32.const 2)))) (local.get $rs))))
            (local.set $xr (local.get $p))
            (block $ad (loop $al
              (br_if $ad (i32.ge_u (local.get $xr) (local.get $end4)))
              (v128.store (local.get $xr) (f32x4.add (v128.load (local.get $xr)) (v128.load (local.get $q))))
              (local.set $xr (i32.add (local.get $xr) (i32.const 16)))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br $al)))
            (block $ad2 (loop $al2
              (br_if $ad2 (i32.ge_u (local.get $xr) (local.get $end)))
              (f32.store (local.get $xr) (f32.add (f32.load (local.get $xr)) (f32.load (local.get $q))))
              (local.set $xr (i32.add (local.get $xr) (i32.const 4)))
              (local.set $q (i32.add (local.get $q) (i32.const 4)))
              (br $al2)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $ml)))
          ;; * alpha
          (local.set $xr (local.get $p))
          (block $sd (loop $sl
            (br_if $sd (i32.ge_u (local.get $xr) (local.get $end4)))
            (v128.store (local.get $xr) (f32x4.mul (v128.load (local.get $xr)) (local.get $va)))
            (local.set $xr (i32.add (local.get $xr) (i32.const 16)))
            (br $sl)))
          (block $sd2 (loop $sl2
            (br_if $sd2 (i32.ge_u (local.get $xr) (local.get $end)))
            (f32.store (local.get $xr) (f32.mul (f32.load (local.get $xr)) (local.get $sa)))
            (local.set $xr (i32.add (local.get $xr) (i32.const 4)))
            (br $sl2))))
        (else
          (memory.copy (local.get $p) (i32.add (local.get $old) (i32.mul (local.get $j) (local.get $rs))) (local.get $rs))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))
)
