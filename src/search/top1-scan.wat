;; The GEMM scan's tile kernel (src/search/top1-blas.ts). Source of top1-scan.wasm:
;; `node bin/run-ts.js src/search/blas/build-kernels.ts` (wabt); tests/metrics/bitext/top1.test.ts checks that the
;; committed binary is this text compiled.
(module
  (import "env" "memory" (memory 1 65536))

  ;; Folds a tile of $qn × $cn float32 scores at $tile (row-major) into each row's best value (f32 at $best),
  ;; second-best value (f32 at $second) and the column of the best (i32 at $arg, columns numbered from $c0).
  ;; With $scaled, score j is first multiplied by the float32 at $scale + 4j (cosine: 1 / ‖d_j‖). A value equal
  ;; to the best goes to second (an exact tie leaves no margin). Four scores a step: only a step holding a
  ;; value above the row's second best (rare after the first few) takes the scalar path; NaN never does.
  (func (export "scanTile") (param $tile i32) (param $qn i32) (param $cn i32) (param $scale i32) (param $scaled i32)
    (param $best i32) (param $second i32) (param $arg i32) (param $c0 i32)
    (local $i i32) (local $j i32) (local $p i32) (local $b f32) (local $s f32) (local $a i32) (local $t f32)
    (local $v v128) (local $sv v128) (local $l i32)
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $qn)))
        (local.set $b (f32.load (i32.add (local.get $best) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $s (f32.load (i32.add (local.get $second) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $a (i32.load (i32.add (local.get $arg) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $sv (f32x4.splat (local.get $s)))
        (local.set $p (i32.add (local.get $tile) (i32.shl (i32.mul (local.get $i) (local.get $cn)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_u (local.get $j) (local.get $cn)))
            (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $cn))
              (then
                (local.set $v (v128.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))
                (if (local.get $scaled)
                  (then (local.set $v (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $scale) (i32.shl (local.get $j) (i32.const 2))))))))
                (if (v128.any_true (f32x4.gt (local.get $v) (local.get $sv)))
                  (then
                    (local.set $l (i32.const 0))
                    (block $ldone
                      (loop $ll
                        (br_if $ldone (i32.ge_u (local.get $l) (i32.const 4)))
                        (local.set $t (f32.load (i32.add (local.get $p) (i32.shl (i32.add (local.get $j) (local.get $l)) (i32.const 2)))))
                        (if (local.get $scaled)
                          (then (local.set $t (f32.mul (local.get $t)
                            (f32.load (i32.add (local.get $scale) (i32.shl (i32.add (local.get $j) (local.get $l)) (i32.const 2))))))))
                        (if (f32.gt (local.get $t) (local.get $s))
                          (then
                            (if (f32.gt (local.get $t) (local.get $b))
                              (then
                                (local.set $s (local.get $b))
                                (local.set $b (local.get $t))
                                (local.set $a (i32.add (local.get $c0) (i32.add (local.get $j) (local.get $l)))))
                              (else (local.set $s (local.get $t))))))
                        (local.set $l (i32.add (local.get $l) (i32.const 1)))
                        (br $ll)))
                    (local.set $sv (f32x4.splat (local.get $s)))))
                (local.set $j (i32.add (local.get $j) (i32.const 4))))
              (else
                ;; the last cn mod 4 scores, one at a time
                (local.set $t (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))
                (if (local.get $scaled)
                  (then (local.set $t (f32.mul (local.get $t) (f32.load (i32.add (local.get $scale) (i32.shl (local.get $j) (i32.const 2))))))))
                (if (f32.gt (local.get $t) (local.get $s))
                  (then
                    (if (f32.gt (local.get $t) (local.get $b))
                      (then
                        (local.set $s (local.get $b))
                        (local.set $b (local.get $t))
                        (local.set $a (i32.add (local.get $c0) (local.get $j))))
                      (else (local.set $s (local.get $t))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))))
            (br $cl)))
        (f32.store (i32.add (local.get $best) (i32.shl (local.get $i) (i32.const 2))) (local.get $b))
        (f32.store (i32.add (local.get $second) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
        (i32.store (i32.add (local.get $arg) (i32.shl (local.get $i) (i32.const 2))) (local.get $a))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))))
