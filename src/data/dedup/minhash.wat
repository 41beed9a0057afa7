;; The MinHash kernel of `loop data dedup` (minhash-simd.ts loads minhash.wasm, assembled from this file by
;; `node scripts/build-wasm.mjs`; test/data/dedup/minhash.test.ts checks that the two agree and that its signatures
;; equal minhash.ts's).
(module
  (memory (export "memory") 1)
  ;; minhash(values, count, seeds, numPerm, out): out[i] = the least, unsigned, of fmix32(values[s] ^ seeds[i]) over
  ;; s < count (0xffffffff when count is 0): what minhash.ts computes one value at a time, here four at a time with
  ;; 128-bit SIMD (i32x4.mul keeps the low 32 bits, as Math.imul does). values, seeds, out: byte offsets of u32 arrays
  ;; in the memory, which the caller grows to fit.
  (func (export "minhash") (param $values i32) (param $count i32) (param $seeds i32) (param $numPerm i32) (param $out i32)
    (local $i i32) (local $s i32) (local $seed v128) (local $x v128) (local $least v128) (local $vec i32) (local $m i32) (local $y i32) (local $l i32)
    (local.set $vec (i32.and (local.get $count) (i32.const -4)))
    (block $done
      (loop $perm
        (br_if $done (i32.ge_u (local.get $i) (local.get $numPerm)))
        (local.set $seed (i32x4.splat (i32.load (i32.add (local.get $seeds) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $least (v128.const i32x4 -1 -1 -1 -1))
        (local.set $s (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_u (local.get $s) (local.get $vec)))
            (local.set $x (v128.xor (v128.load (i32.add (local.get $values) (i32.shl (local.get $s) (i32.const 2)))) (local.get $seed)))
            (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
            (local.set $x (i32x4.mul (local.get $x) (v128.const i32x4 0x85ebca6b 0x85ebca6b 0x85ebca6b 0x85ebca6b)))
            (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 13))))
            (local.set $x (i32x4.mul (local.get $x) (v128.const i32x4 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35)))
            (local.set $x (v128.xor (local.get $x) (i32x4.shr_u (local.get $x) (i32.const 16))))
            (local.set $least (i32x4.min_u (local.get $least) (local.get $x)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (br $v)))
        ;; the lanes' least, then the remaining (count mod 4) values one by one
        (local.set $l (i32x4.extract_lane 0 (local.get $least)))
        (if (i32.lt_u (i32x4.extract_lane 1 (local.get $least)) (local.get $l)) (then (local.set $l (i32x4.extract_lane 1 (local.get $least)))))
        (if (i32.lt_u (i32x4.extract_lane 2 (local.get $least)) (local.get $l)) (then (local.set $l (i32x4.extract_lane 2 (local.get $least)))))
        (if (i32.lt_u (i32x4.extract_lane 3 (local.get $least)) (local.get $l)) (then (local.set $l (i32x4.extract_lane 3 (local.get $least)))))
        (local.set $m (i32x4.extract_lane 0 (local.get $seed)))
        (block $sdone
          (loop $sc
            (br_if $sdone (i32.ge_u (local.get $s) (local.get $count)))
            (local.set $y (i32.xor (i32.load (i32.add (local.get $values) (i32.shl (local.get $s) (i32.const 2)))) (local.get $m)))
            (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 16))))
            (local.set $y (i32.mul (local.get $y) (i32.const 0x85ebca6b)))
            (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 13))))
            (local.set $y (i32.mul (local.get $y) (i32.const 0xc2b2ae35)))
            (local.set $y (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 16))))
            (if (i32.lt_u (local.get $y) (local.get $l)) (then (local.set $l (local.get $y))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $sc)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $l))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $perm)))))
