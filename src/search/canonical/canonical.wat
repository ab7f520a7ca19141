;; The canonical score kernel (source of canonical.wasm: `node bin/run-ts.js src/search/blas/build-kernels.ts`).
;; Every exact search engine only proposes candidates; their final scores come from here, computed in one fixed
;; order that no CPU, BLAS kernel or thread count can change (WebAssembly has no fused multiply-add and its
;; float64 arithmetic is IEEE-754 round-to-nearest everywhere). canonical.ts holds the same computation in plain
;; JavaScript (the reference the tests compare bit for bit) and documents the definition.
(module
  ;; Shared, so worker threads score other queries against the same resident chunk at the same time.
  (import "env" "memory" (memory 1 65536 shared))

  ;; Scores $count float32 rows of $dim values against one query, widened to float64 at $q, writing
  ;; float32 scores to $out. Products of float32 values are exact in float64; lane L (0..3) sums the products
  ;; of the elements i = L (mod 4) in increasing i; dot = (s0 + s2) + (s1 + s3). The same lanes sum the row's
  ;; squares for cosine: score = f32(dot / (qnorm * max(sqrt(ss), 1e-12))); dot: f32(dot). NaN -> -1 (mteb).
  ;; Row r is read at $rows + $idx[r] * $dim * 4 ($idx: i32 row numbers), so candidates are scored in place in
  ;; a chunk held in this memory, or from a gathered buffer with $idx = 0, 1, 2, ...
  (func (export "scoreRows") (param $q i32) (param $rows i32) (param $idx i32) (param $count i32) (param $dim i32) (param $qnorm f64)
    (param $cosine i32) (param $out i32)
    (local $r i32) (local $j i32) (local $qp i32) (local $dp i32) (local $lim i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $d0 v128) (local $d1 v128)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64)
    (local $x f64) (local $dot f64) (local $den f64) (local $res f32)
    ;; $lim: the elements the 4-wide loop covers
    (local.set $lim (i32.and (local.get $dim) (i32.const -4)))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $dp (i32.add (local.get $rows)
          (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $r) (i32.const 2))))
                   (i32.shl (local.get $dim) (i32.const 2)))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $b1 (v128.const f64x2 0 0))
        (local.set $qp (local.get $q))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $vl
            (br_if $vdone (i32.ge_u (local.get $j) (local.get $lim)))
            (local.set $d0 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $dp))))
            (local.set $d1 (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $dp))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $qp)) (local.get $d0))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $qp)) (local.get $d1))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $d0) (local.get $d0))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $d1) (local.get $d1))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vl)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $a0)))
        (local.set $s1 (f64x2.extract_lane 1 (local.get $a0)))
        (local.set $s2 (f64x2.extract_lane 0 (local.get $a1)))
        (local.set $s3 (f64x2.extract_lane 1 (local.get $a1)))
        (local.set $t0 (f64x2.extract_lane 0 (local.get $b0)))
        (local.set $t1 (f64x2.extract_lane 1 (local.get $b0)))
        (local.set $t2 (f64x2.extract_lane 0 (local.get $b1)))
        (local.set $t3 (f64x2.extract_lane 1 (local.get $b1)))
        ;; tail: at most 3 elements, lanes 0, 1, 2
        (if (i32.lt_u (local.get $j) (local.get $dim))
          (then
            (local.set $x (f64.promote_f32 (f32.load (local.get $dp))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $qp)) (local.get $x))))
            (local.set $t0 (f64.add (local.get $t0) (f64.mul (local.get $x) (local.get $x))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 4)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))))
        (if (i32.lt_u (local.get $j) (local.get $dim))
          (then
            (local.set $x (f64.promote_f32 (f32.load (local.get $dp))))
            (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (local.get $qp)) (local.get $x))))
            (local.set $t1 (f64.add (local.get $t1) (f64.mul (local.get $x) (local.get $x))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 4)))
            (local.set $qp (i32.add (local.get $qp) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))))
        (if (i32.lt_u (local.get $j) (local.get $dim))
          (then
            (local.set $x (f64.promote_f32 (f32.load (local.get $dp))))
            (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (local.get $qp)) (local.get $x))))
            (local.set $t2 (f64.add (local.get $t2) (f64.mul (local.get $x) (local.get $x))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 4)))))
        (local.set $dot (f64.add (f64.add (local.get $s0) (local.get $s2)) (f64.add (local.get $s1) (local.get $s3))))
        (if (local.get $cosine)
          (then
            (local.set $den (f64.max
              (f64.sqrt (f64.add (f64.add (local.get $t0) (local.get $t2)) (f64.add (local.get $t1) (local.get $t3))))
              (f64.const 1e-12)))
            (local.set $dot (f64.div (local.get $dot) (f64.mul (local.get $qnorm) (local.get $den))))))
        (local.set $res (f32.demote_f64 (local.get $dot)))
        (if (f32.ne (local.get $res) (local.get $res)) (then (local.set $res (f32.const -1))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $res))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; The largest float64 sum of squares over $n rows of $dim float32 values at $rows (NaN if a row holds NaN):
  ;; the row-norm bound of the dot-product error bound, over a resident chunk.
  (func (export "maxSumSq") (param $rows i32) (param $n i32) (param $dim i32) (result f64)
    (local $r i32) (local $j i32) (local $dp i32) (local $b0 v128) (local $b1 v128) (local $d0 v128) (local $d1 v128)
    (local $x f64) (local $ss f64) (local $max f64)
    (local.set $dp (local.get $rows))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $b1 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $vl
            (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $d0 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $dp))))
            (local.set $d1 (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $dp))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $d0) (local.get $d0))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $d1) (local.get $d1))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vl)))
        (local.set $b0 (f64x2.add (local.get $b0) (local.get $b1)))
        (local.set $ss (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0))))
        (block $tdone
          (loop $tl
            (br_if $tdone (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $x (f64.promote_f32 (f32.load (local.get $dp))))
            (local.set $ss (f64.add (local.get $ss) (f64.mul (local.get $x) (local.get $x))))
            (local.set $dp (i32.add (local.get $dp) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tl)))
        ;; f64.max propagates NaN, so one NaN row makes the bound NaN (and the search rescans every row)
        (local.set $max (f64.max (local.get $max) (local.get $ss)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
    (local.get $max))
)
