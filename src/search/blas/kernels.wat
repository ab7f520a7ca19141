;; SIMD kernels of the BLAS search engine. Source of kernels.wasm: `node bin/run-ts.js src/search/blas/build-kernels.ts`
;; (wabt); tests/search/blas-kernels.test.ts checks that the committed binary is this text compiled.
(module
  (import "env" "memory" (memory 1 65536))

  ;; Float32 sum of squares of one row of $dim values at $a (16 lanes, lanes summed pairwise, then the tail).
  (func $sumsq (param $a i32) (param $dim i32) (result f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128) (local $j i32) (local $s f32) (local $x f32)
    (block $vdone
      (loop $vl
        (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $dim)))
        (local.set $v (v128.load offset=0 (local.get $a)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $v (v128.load offset=16 (local.get $a)))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $v (v128.load offset=32 (local.get $a)))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $v (v128.load offset=48 (local.get $a)))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vl)))
    (local.set $v (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
    (block $done
      (loop $sl
        (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
        (local.set $x (f32.load (local.get $a)))
        (local.set $s (f32.add (local.get $s) (f32.mul (local.get $x) (local.get $x))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
    (local.get $s))

  ;; Float64 sum of squares of one row, in order (the fallback for rows whose float32 sum overflows).
  (func $sumsq64 (param $a i32) (param $dim i32) (result f64)
    (local $j i32) (local $s f64) (local $x f64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
        (local.set $x (f64.promote_f32 (f32.load (local.get $a))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $x) (local.get $x))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
    (local.get $s))

  ;; In place, torch.nn.functional.normalize(p=2, eps=1e-12): row / max(sqrt(sum of squares), eps), as a
  ;; multiplication by the float32 reciprocal: within 1 ulp of torch's division per element, and SIMD division
  ;; costs 3x more here. A float32 sum of squares that overflows (values beyond ~1e19) is redone in float64,
  ;; as torch accumulates on CPU, and that row is divided (its reciprocal could be subnormal); a row holding
  ;; Inf gets norm Inf, so finite / Inf = 0 and Inf / Inf = NaN, as in torch (the score becomes NaN -> -1).
  ;; Each row's float32 sum of squares goes to $sq.
  (func (export "normalizeRows") (param $p i32) (param $rows i32) (param $dim i32) (param $sq i32)
    (local $r i32) (local $s f32) (local $den f32) (local $a i32) (local $j i32) (local $iv v128)
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (call $sumsq (local.get $p) (local.get $dim)))
        (f32.store (i32.add (local.get $sq) (i32.shl (local.get $r) (i32.const 2))) (local.get $s))
        (local.set $den (f32.max (f32.sqrt (local.get $s)) (f32.const 1e-12)))
        (if (f32.eq (local.get $s) (f32.const inf))
          (then
            (local.set $den (f32.max (f32.demote_f64 (f64.sqrt (call $sumsq64 (local.get $p) (local.get $dim)))) (f32.const 1e-12)))
            (local.set $a (local.get $p))
            (local.set $j (i32.const 0))
            (block $ddone
              (loop $dl
                (br_if $ddone (i32.ge_u (local.get $j) (local.get $dim)))
                (f32.store (local.get $a) (f32.div (f32.load (local.get $a)) (local.get $den)))
                (local.set $a (i32.add (local.get $a) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $dl)))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $dim) (i32.const 2))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rl)))
        (local.set $iv (f32x4.splat (f32.div (f32.const 1) (local.get $den))))
        (local.set $a (local.get $p))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $vl
            (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (v128.store (local.get $a) (f32x4.mul (v128.load (local.get $a)) (local.get $iv)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vl)))
        (block $tdone
          (loop $tl
            (br_if $tdone (i32.ge_u (local.get $j) (local.get $dim)))
            (f32.store (local.get $a) (f32.mul (f32.load (local.get $a)) (f32x4.extract_lane 0 (local.get $iv))))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tl)))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; IEEE half -> float32 for $n values: half bits $src (u16) to float32 $dst; the 2^112 multiply rebiases the
  ;; exponent and turns half subnormals into float32 normals exactly; Inf/NaN (half exponent all ones) get the
  ;; float32 all-ones exponent. Eight halves per step. $dst may be $src - 2n bytes or lower (each step reads its halves before writing).
  (func (export "halfToFloat") (param $src i32) (param $n i32) (param $dst i32)
    (local $i i32) (local $h v128) (local $hs i32) (local $ms i32) (local $lo4 v128) (local $hi4 v128) (local $m v128)
    (local $mag v128) (local $scale v128) (local $infAt v128) (local $expOnes v128) (local $sign v128)
    (local.set $mag (i32x4.splat (i32.const 0x7fff)))
    (local.set $scale (f32x4.splat (f32.const 0x1p112)))
    (local.set $infAt (i32x4.splat (i32.const 0x7c00)))
    (local.set $expOnes (i32x4.splat (i32.const 0x7f800000)))
    (local.set $sign (i32x4.splat (i32.const 0x8000)))
    (block $vdone
      (loop $vl
        (br_if $vdone (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $h (v128.load (local.get $src)))
        (local.set $lo4 (i32x4.extend_low_i16x8_u (local.get $h)))
        (local.set $hi4 (i32x4.extend_high_i16x8_u (local.get $h)))
        (local.set $m (i32x4.shl (v128.and (local.get $lo4) (local.get $mag)) (i32.const 13)))
        (v128.store (local.get $dst) (v128.or (v128.or (f32x4.mul (local.get $m) (local.get $scale))
          (v128.and (i32x4.eq (v128.and (local.get $lo4) (local.get $infAt)) (local.get $infAt)) (local.get $expOnes)))
          (i32x4.shl (v128.and (local.get $lo4) (local.get $sign)) (i32.const 16))))
        (local.set $m (i32x4.shl (v128.and (local.get $hi4) (local.get $mag)) (i32.const 13)))
        (v128.store offset=16 (local.get $dst) (v128.or (v128.or (f32x4.mul (local.get $m) (local.get $scale))
          (v128.and (i32x4.eq (v128.and (local.get $hi4) (local.get $infAt)) (local.get $infAt)) (local.get $expOnes)))
          (i32x4.shl (v128.and (local.get $hi4) (local.get $sign)) (i32.const 16))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $vl)))
    (block $done
      (loop $sl
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $hs (i32.load16_u (local.get $src)))
        (local.set $ms (i32.shl (i32.and (local.get $hs) (i32.const 0x7fff)) (i32.const 13)))
        (f32.store (local.get $dst)
          (f32.reinterpret_i32 (i32.or
            (i32.or
              (i32.reinterpret_f32 (f32.mul (f32.reinterpret_i32 (local.get $ms)) (f32.const 0x1p112)))
              (select (i32.const 0x7f800000) (i32.const 0) (i32.ge_u (local.get $ms) (i32.const 0x0f800000))))
            (i32.shl (i32.and (local.get $hs) (i32.const 0x8000)) (i32.const 16)))))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sl))))

  ;; Candidate selection. Per query, a buffer of up to $cap (value, column) pairs at $v (f32) / $c (i32) and a
  ;; state [count i32, threshold f32]. Scores at or above the threshold are appended; a full buffer is cut back
  ;; towards kk by raising the threshold ($cut; O(cap), no per-score heap work). Order: value descending, then
  ;; column ascending (ONNX TopK's), strict because a column is offered once.
  (func $better (param $va f32) (param $ca i32) (param $vb f32) (param $cb i32) (result i32)
    (i32.or (f32.gt (local.get $va) (local.get $vb))
            (i32.and (f32.eq (local.get $va) (local.get $vb)) (i32.lt_s (local.get $ca) (local.get $cb)))))

  ;; Quickselect (Hoare partition, median-of-three pivot): the kk best of the n pairs move to the front, in no
  ;; particular order; returns the smallest value among them (the new threshold).
  (func $cutExact (param $v i32) (param $c i32) (param $n i32) (param $kk i32) (result f32)
    (local $lo i32) (local $hi i32) (local $target i32) (local $mid i32) (local $p i32) (local $x i32)
    (local $pv f32) (local $pc i32) (local $a i32) (local $b i32) (local $t f32) (local $r i32)
    (local $av f32) (local $ac i32) (local $bv f32) (local $bc i32) (local $lv f32) (local $lc i32) (local $hv f32) (local $hc i32)
    (local.set $hi (i32.sub (local.get $n) (i32.const 1)))
    (local.set $target (i32.sub (local.get $kk) (i32.const 1)))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_s (local.get $lo) (local.get $hi)))
        (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (local.set $lv (f32.load (i32.add (local.get $v) (i32.shl (local.get $lo) (i32.const 2))))) (local.set $lc (i32.load (i32.add (local.get $c) (i32.shl (local.get $lo) (i32.const 2)))))
        (local.set $pv (f32.load (i32.add (local.get $v) (i32.shl (local.get $mid) (i32.const 2))))) (local.set $pc (i32.load (i32.add (local.get $c) (i32.shl (local.get $mid) (i32.const 2)))))
        (local.set $hv (f32.load (i32.add (local.get $v) (i32.shl (local.get $hi) (i32.const 2))))) (local.set $hc (i32.load (i32.add (local.get $c) (i32.shl (local.get $hi) (i32.const 2)))))
        ;; median of three
        (local.set $x (call $better (local.get $lv) (local.get $lc) (local.get $pv) (local.get $pc)))
        (if (i32.ne (local.get $x) (call $better (local.get $pv) (local.get $pc) (local.get $hv) (local.get $hc)))
          (then
            (if (i32.eq (call $better (local.get $lv) (local.get $lc) (local.get $hv) (local.get $hc)) (local.get $x))
              (then (local.set $pv (local.get $hv)) (local.set $pc (local.get $hc)))
              (else (local.set $pv (local.get $lv)) (local.set $pc (local.get $lc))))))
        (local.set $a (local.get $lo))
        (local.set $b (local.get $hi))
        (block $pdone
          (loop $part
            (br_if $pdone (i32.gt_s (local.get $a) (local.get $b)))
            (block $astop
              (loop $aloop
                (local.set $av (f32.load (i32.add (local.get $v) (i32.shl (local.get $a) (i32.const 2))))) (local.set $ac (i32.load (i32.add (local.get $c) (i32.shl (local.get $a) (i32.const 2)))))
                (br_if $astop (i32.eqz (i32.or (f32.gt (local.get $av) (local.get $pv))
                  (i32.and (f32.eq (local.get $av) (local.get $pv)) (i32.lt_s (local.get $ac) (local.get $pc))))))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $aloop)))
            (block $bstop
              (loop $bloop
                (local.set $bv (f32.load (i32.add (local.get $v) (i32.shl (local.get $b) (i32.const 2))))) (local.set $bc (i32.load (i32.add (local.get $c) (i32.shl (local.get $b) (i32.const 2)))))
                (br_if $bstop (i32.eqz (i32.or (f32.gt (local.get $pv) (local.get $bv))
                  (i32.and (f32.eq (local.get $pv) (local.get $bv)) (i32.lt_s (local.get $pc) (local.get $bc))))))
                (local.set $b (i32.sub (local.get $b) (i32.const 1)))
                (br $bloop)))
            (if (i32.le_s (local.get $a) (local.get $b))
              (then
                (f32.store (i32.add (local.get $v) (i32.shl (local.get $a) (i32.const 2))) (local.get $bv)) (i32.store (i32.add (local.get $c) (i32.shl (local.get $a) (i32.const 2))) (local.get $bc))
                (f32.store (i32.add (local.get $v) (i32.shl (local.get $b) (i32.const 2))) (local.get $av)) (i32.store (i32.add (local.get $c) (i32.shl (local.get $b) (i32.const 2))) (local.get $ac))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (local.set $b (i32.sub (local.get $b) (i32.const 1)))))
            (br $part)))
        (if (i32.le_s (local.get $target) (local.get $b))
          (then (local.set $hi (local.get $b)) (br $outer)))
        (if (i32.ge_s (local.get $target) (local.get $a))
          (then (local.set $lo (local.get $a)) (br $outer)))))
    (local.set $t (f32.const inf))
    (block $mdone
      (loop $min
        (br_if $mdone (i32.ge_s (local.get $r) (local.get $kk)))
        (local.set $t (f32.min (local.get $t) (f32.load (i32.add (local.get $v) (i32.shl (local.get $r) (i32.const 2))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $min)))
    (local.get $t))

  ;; Number of the first n values at $v that are >= $p (SIMD, then the tail).
  (func $countGe (param $v i32) (param $n i32) (param $p f32) (result i32)
    (local $i i32) (local $acc v128) (local $pv v128) (local $cnt i32)
    (local.set $pv (f32x4.splat (local.get $p)))
    (block $vdone
      (loop $vl
        (br_if $vdone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        ;; a true lane is -1: subtracting counts it
        (local.set $acc (i32x4.sub (local.get $acc)
          (f32x4.ge (v128.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2)))) (local.get $pv))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vl)))
    (local.set $cnt (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $cnt (i32.add (local.get $cnt)
          (f32.ge (f32.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2)))) (local.get $p))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $cnt))

  ;; Largest (or, with $min = 1, smallest) of the n float32 at $v; NaN if any is NaN.
  (func $extreme (param $v i32) (param $n i32) (param $min i32) (result f32)
    (local $i i32) (local $m v128) (local $x v128) (local $r f32) (local $y f32)
    (local.set $m (v128.load (local.get $v)))
    (local.set $i (i32.const 4))
    (block $done
      (loop $l
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $x (v128.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $m (select (f32x4.min (local.get $m) (local.get $x)) (f32x4.max (local.get $m) (local.get $x)) (local.get $min)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (local.set $r (f32x4.extract_lane 0 (local.get $m)))
    (local.set $y (f32x4.extract_lane 1 (local.get $m)))
    (local.set $r (select (f32.min (local.get $r) (local.get $y)) (f32.max (local.get $r) (local.get $y)) (local.get $min)))
    (local.set $y (f32x4.extract_lane 2 (local.get $m)))
    (local.set $r (select (f32.min (local.get $r) (local.get $y)) (f32.max (local.get $r) (local.get $y)) (local.get $min)))
    (local.set $y (f32x4.extract_lane 3 (local.get $m)))
    (local.set $r (select (f32.min (local.get $r) (local.get $y)) (f32.max (local.get $r) (local.get $y)) (local.get $min)))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $y (f32.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $r (select (f32.min (local.get $r) (local.get $y)) (f32.max (local.get $r) (local.get $y)) (local.get $min)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $r))

  ;; Bisects [lo, hi] for a value p with kk <= count(values >= p) <= $most among the n values at $v, given
  ;; count(>= lo) >= kk; returns the highest p found with count >= kk (lo itself when the interval cannot be
  ;; split: ties, or infinite bounds).
  (func $bisect (param $v i32) (param $n i32) (param $kk i32) (param $most i32) (param $lo f32) (param $hi f32) (result f32)
    (local $p f32) (local $k i32)
    (block $found
      (loop $step
        (local.set $p (f32.add (local.get $lo) (f32.mul (f32.sub (local.get $hi) (local.get $lo)) (f32.const 0.5))))
        (br_if $found (i32.eqz (f32.lt (local.get $lo) (local.get $p))))
        (br_if $found (i32.eqz (f32.lt (local.get $p) (local.get $hi))))
        (local.set $k (call $countGe (local.get $v) (local.get $n) (local.get $p)))
        (if (i32.lt_s (local.get $k) (local.get $kk))
          (then (local.set $hi (local.get $p)) (br $step)))
        (local.set $lo (local.get $p))
        (br_if $found (i32.le_s (local.get $k) (local.get $most)))
        (br $step)))
    (local.get $lo))

  ;; Shrinks a full buffer of n candidates (all >= $t, n > kk >= 4) by raising the threshold to one
  ;; that keeps between kk and kk + (n - kk)/4 of them (any threshold keeping >= kk is exact: whatever it
  ;; drops has kk better ones kept), then compacts the kept ones in place, branch-free. Values that cannot be
  ;; split (ties) fall back to the exact quickselect cut. Returns the new count; the threshold goes to $tOut.
  (func $cut (param $v i32) (param $c i32) (param $n i32) (param $kk i32) (param $t f32) (param $tOut i32) (result i32)
    (local $lo f32) (local $i i32) (local $w i32) (local $x f32)
    (local.set $lo (call $bisect (local.get $v) (local.get $n) (local.get $kk)
      (i32.add (local.get $kk) (i32.shr_u (i32.sub (local.get $n) (local.get $kk)) (i32.const 2)))
      (local.get $t) (call $extreme (local.get $v) (local.get $n) (i32.const 0))))
    (if (i32.ge_s (call $countGe (local.get $v) (local.get $n) (local.get $lo)) (local.get $n))
      (then
        (f32.store (local.get $tOut) (call $cutExact (local.get $v) (local.get $c) (local.get $n) (local.get $kk)))
        (return (local.get $kk))))
    (block $cdone
      (loop $compact
        (br_if $cdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (f32.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2)))))
        (f32.store (i32.add (local.get $v) (i32.shl (local.get $w) (i32.const 2))) (local.get $x))
        (i32.store (i32.add (local.get $c) (i32.shl (local.get $w) (i32.const 2)))
          (i32.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $w (i32.add (local.get $w) (f32.ge (local.get $x) (local.get $lo))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $compact)))
    (f32.store (local.get $tOut) (local.get $lo))
    (local.get $w))

  ;; A first threshold for a row, before any of it is offered: with S = floor(n/32), the row's first 32*S scores
  ;; form 4*S disjoint groups of 8 (lane l of vectors i, i + S, ..., i + 7S); a value p that at least kk group
  ;; maxima reach is reached by at least kk scores, so no score below p can be among the kk best. About 9 %
  ;; of the scores reach it, against all of them while a buffer fills from -inf. Returns -inf when the row is
  ;; too short (fewer than kk groups) or holds NaN. Scratch: 4*S floats at $tmp.
  (func $prime (param $row i32) (param $n i32) (param $kk i32) (param $tmp i32) (result f32)
    (local $S i32) (local $i i32) (local $r i32) (local $a i32) (local $m v128) (local $g i32) (local $hi f32) (local $lo f32)
    ;; S vectors of 4 per stride, 8 strides: S = floor(n / 32)
    (local.set $S (i32.shr_u (local.get $n) (i32.const 5)))
    (local.set $g (i32.shl (local.get $S) (i32.const 2)))
    (if (i32.lt_s (local.get $g) (local.get $kk)) (then (return (f32.const -inf))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $S)))
        (local.set $a (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $m (v128.load (local.get $a)))
        (local.set $r (i32.const 1))
        (block $rdone
          (loop $rl
            (br_if $rdone (i32.ge_u (local.get $r) (i32.const 8)))
            (local.set $a (i32.add (local.get $a) (i32.shl (local.get $S) (i32.const 4))))
            (local.set $m (f32x4.max (local.get $m) (v128.load (local.get $a))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rl)))
        (v128.store (i32.add (local.get $tmp) (i32.shl (local.get $i) (i32.const 4))) (local.get $m))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $vec)))
    ;; NaN anywhere -> no priming
    (local.set $hi (call $extreme (local.get $tmp) (local.get $g) (i32.const 0)))
    (local.set $lo (call $extreme (local.get $tmp) (local.get $g) (i32.const 1)))
    (if (i32.or (f32.ne (local.get $hi) (local.get $hi)) (f32.ne (local.get $lo) (local.get $lo))) (then (return (f32.const -inf))))
    (call $bisect (local.get $tmp) (local.get $g) (local.get $kk)
      (i32.add (local.get $kk) (i32.shr_u (i32.sub (local.get $g) (local.get $kk)) (i32.const 2)))
      (local.get $lo) (local.get $hi)))

  ;; Offers the n scores of one row (columns $colBase + j) to a query's candidates (NaN counts as -1, mteb's
  ;; value). Sixteen scores per step are compared with the threshold at once; only a step with a score at or
  ;; above it (a rare event once the threshold has risen) walks its set mask bits.
  (func (export "offerRow") (param $row i32) (param $n i32) (param $colBase i32) (param $v i32) (param $c i32)
    (param $cap i32) (param $kk i32) (param $state i32) (param $tmp i32)
    (local $cnt i32) (local $t f32) (local $tv v128) (local $j i32) (local $a i32) (local $m i32) (local $lane i32)
    (local $s f32) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local.set $cnt (i32.load (local.get $state)))
    (local.set $t (f32.load offset=4 (local.get $state)))
    (if (i32.eqz (local.get $cnt))
      (then (local.set $t (f32.max (local.get $t) (call $prime (local.get $row) (local.get $n) (local.get $kk) (local.get $tmp))))))
    (local.set $tv (f32x4.splat (local.get $t)))
    (block $vdone
      (loop $step
        (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $n)))
        (local.set $a (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
        ;; lanes with !(score < t): at or above the threshold, or NaN
        (local.set $x0 (v128.not (f32x4.lt (v128.load offset=0 (local.get $a)) (local.get $tv))))
        (local.set $x1 (v128.not (f32x4.lt (v128.load offset=16 (local.get $a)) (local.get $tv))))
        (local.set $x2 (v128.not (f32x4.lt (v128.load offset=32 (local.get $a)) (local.get $tv))))
        (local.set $x3 (v128.not (f32x4.lt (v128.load offset=48 (local.get $a)) (local.get $tv))))
        (if (v128.any_true (v128.or (v128.or (local.get $x0) (local.get $x1)) (v128.or (local.get $x2) (local.get $x3))))
          (then
            (local.set $m (i8x16.bitmask (i8x16.narrow_i16x8_s
              (i16x8.narrow_i32x4_s (local.get $x0) (local.get $x1))
              (i16x8.narrow_i32x4_s (local.get $x2) (local.get $x3)))))
            (block $bits
              (loop $bit
                (br_if $bits (i32.eqz (local.get $m)))
                (local.set $lane (i32.ctz (local.get $m)))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (local.set $s (f32.load (i32.add (local.get $a) (i32.shl (local.get $lane) (i32.const 2)))))
                (if (f32.ne (local.get $s) (local.get $s)) (then (local.set $s (f32.const -1))))
                (if (f32.ge (local.get $s) (local.get $t))
                  (then
                    (f32.store (i32.add (local.get $v) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $s))
                    (i32.store (i32.add (local.get $c) (i32.shl (local.get $cnt) (i32.const 2)))
                      (i32.add (local.get $colBase) (i32.add (local.get $j) (local.get $lane))))
                    (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))
                    (if (i32.eq (local.get $cnt) (local.get $cap))
                      (then
                        (local.set $cnt (call $cut (local.get $v) (local.get $c) (local.get $cnt) (local.get $kk) (local.get $t) (i32.add (local.get $state) (i32.const 4))))
                        (local.set $t (f32.load offset=4 (local.get $state)))
                        (local.set $tv (f32x4.splat (local.get $t)))))))
                (br $bit)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $step)))
    ;; the last n mod 16 scores, one by one
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
        (if (f32.ne (local.get $s) (local.get $s)) (then (local.set $s (f32.const -1))))
        (if (f32.ge (local.get $s) (local.get $t))
          (then
            (f32.store (i32.add (local.get $v) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $s))
            (i32.store (i32.add (local.get $c) (i32.shl (local.get $cnt) (i32.const 2))) (i32.add (local.get $colBase) (local.get $j)))
            (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))
            (if (i32.eq (local.get $cnt) (local.get $cap))
              (then
                (local.set $cnt (call $cut (local.get $v) (local.get $c) (local.get $cnt) (local.get $kk) (local.get $t) (i32.add (local.get $state) (i32.const 4))))
                (local.set $t (f32.load offset=4 (local.get $state)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
    (i32.store (local.get $state) (local.get $cnt))
    (f32.store offset=4 (local.get $state) (local.get $t)))

  ;; Cuts a query's candidates to the kk best and sorts them best first (Shell sort, gaps 1, 4, 10, 23, 57,
  ;; 132, 301, 701: kk is small); returns their count.
  (func (export "finishRow") (param $v i32) (param $c i32) (param $kk i32) (param $state i32) (result i32)
    (local $cnt i32) (local $g i32) (local $gi i32) (local $i i32) (local $j i32) (local $xv f32) (local $xc i32) (local $yv f32) (local $yc i32)
    (local.set $cnt (i32.load (local.get $state)))
    (if (i32.gt_s (local.get $cnt) (local.get $kk))
      (then
        (f32.store offset=4 (local.get $state) (call $cutExact (local.get $v) (local.get $c) (local.get $cnt) (local.get $kk)))
        (local.set $cnt (local.get $kk))
        (i32.store (local.get $state) (local.get $cnt))))
    (local.set $gi (i32.const 7))
    (block $gdone
      (loop $gaps
        (br_if $gdone (i32.lt_s (local.get $gi) (i32.const 0)))
        (local.set $g (i32.const 1))
        (local.set $g (select (i32.const 701) (local.get $g) (i32.eq (local.get $gi) (i32.const 7))))
        (local.set $g (select (i32.const 301) (local.get $g) (i32.eq (local.get $gi) (i32.const 6))))
        (local.set $g (select (i32.const 132) (local.get $g) (i32.eq (local.get $gi) (i32.const 5))))
        (local.set $g (select (i32.const 57) (local.get $g) (i32.eq (local.get $gi) (i32.const 4))))
        (local.set $g (select (i32.const 23) (local.get $g) (i32.eq (local.get $gi) (i32.const 3))))
        (local.set $g (select (i32.const 10) (local.get $g) (i32.eq (local.get $gi) (i32.const 2))))
        (local.set $g (select (i32.const 4) (local.get $g) (i32.eq (local.get $gi) (i32.const 1))))
        (local.set $g (select (i32.const 1) (local.get $g) (i32.eq (local.get $gi) (i32.const 0))))
        (local.set $i (local.get $g))
        (block $idone
          (loop $outer
            (br_if $idone (i32.ge_s (local.get $i) (local.get $cnt)))
            (local.set $xv (f32.load (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 2))))) (local.set $xc (i32.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $j (local.get $i))
            (block $placed
              (loop $shift
                (br_if $placed (i32.lt_s (local.get $j) (local.get $g)))
                (local.set $yv (f32.load (i32.add (local.get $v) (i32.shl (i32.sub (local.get $j) (local.get $g)) (i32.const 2))))) (local.set $yc (i32.load (i32.add (local.get $c) (i32.shl (i32.sub (local.get $j) (local.get $g)) (i32.const 2)))))
                (br_if $placed (i32.eqz (i32.or (f32.gt (local.get $xv) (local.get $yv))
                  (i32.and (f32.eq (local.get $xv) (local.get $yv)) (i32.lt_s (local.get $xc) (local.get $yc))))))
                (f32.store (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))) (local.get $yv)) (i32.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $yc))
                (local.set $j (i32.sub (local.get $j) (local.get $g)))
                (br $shift)))
            (f32.store (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))) (local.get $xv)) (i32.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $xc))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $outer)))
        (local.set $gi (i32.sub (local.get $gi) (i32.const 1)))
        (br $gaps)))
    (local.get $cnt))
)
