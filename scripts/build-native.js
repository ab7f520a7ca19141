#!/usr/bin/env node
// Builds one of our native kernel libraries: `node scripts/build-native.js src/<...>/<name>.c` writes
// <name>.linux-x64.so next to it (src/native/native-library.ts opens it). Run by hand after editing the C source
// (the .so is committed: users need no compiler); a test fails while a committed .so is stale.
//
// Flags, and why:
//   -O3 -fno-fast-math -ffp-contract=off  the kernels must compute exactly the WebAssembly kernels' operations:
//                                         no reassociation, no fused multiply-add the source did not write;
//   (gcc's auto-vectorizer never reassociates floating-point sums without -ffast-math, so it may stay on);
//   C with plain libc only (no libstdc++, no libm), so the .so loads on any glibc linux-x64;
//   CPU-specific code lives in functions with __attribute__((target("avx2"))) / ("avx512f,avx512dq") chosen at
//   run time with __builtin_cpu_supports, so the library itself runs on every x86-64.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const src = process.argv[2];
if (!src || !src.endsWith('.c')) {
  process.stderr.write('usage: node scripts/build-native.js path/to/name.c\n');
  process.exit(2);
}
const out = src.replace(/\.c$/, '.linux-x64.so');
const hash = createHash('sha256').update(readFileSync(src)).digest('hex');
const args = ['-O3', '-fno-fast-math', '-ffp-contract=off', '-fPIC', '-shared', '-std=c11', '-Wall', '-Wextra',
  '-fvisibility=hidden', `-DMTEB_NATIVE_SOURCE_HASH="${hash}"`, '-o', out, src];
const r = spawnSync(process.env.CC ?? 'gcc', args, { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
process.stderr.write(`built ${out} (source ${hash.slice(0, 12)})\n`);
