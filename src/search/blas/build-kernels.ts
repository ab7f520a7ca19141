// Compiles the search's WebAssembly text sources into their committed binaries (wabt, a devDependency: the
// package itself never compiles): blas/kernels.wat (the BLAS engine's SIMD kernels) and
// canonical/canonical.wat (the fixed-order scores every exact engine's candidates are rescored with) and
// metrics/numeric/dense64/dense64.wat (the evaluators' fixed-order float64 products).
// Run: node bin/run-ts.js src/search/blas/build-kernels.ts [--check]  (--check exits 1 when a binary is stale)
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The WebAssembly modules, as paths relative to src/search/ without the extension (the evaluators' dense64 lives in src/metrics). */
export const WASM_MODULES = ['blas/kernels', 'canonical/canonical', '../metrics/numeric/dense64/dense64', 'top1-scan'] as const;
export type WasmModuleName = (typeof WASM_MODULES)[number];

const file = (name: string, ext: string) => fileURLToPath(new URL(`../${name}.${ext}`, import.meta.url));

export async function compileKernels(name: WasmModuleName = 'blas/kernels'): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  const src = fs.readFileSync(file(name, 'wat'), 'utf8');
  const features = { simd: true, threads: true };
  const mod = wabt.parseWat(`${name}.wat`, src, features);
  try {
    // wabt's typings omit validate's features argument; without it shared memory (threads) fails validation.
    (mod.validate as (f: typeof features) => void)(features);
    return Uint8Array.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain) {
  let stale = false;
  for (const name of WASM_MODULES) {
    const bin = await compileKernels(name);
    const out = file(name, 'wasm');
    if (process.argv.includes('--check')) {
      const same = fs.existsSync(out) && Buffer.compare(fs.readFileSync(out), Buffer.from(bin)) === 0;
      console.log(same ? `${name}.wasm is up to date` : `${name}.wasm is stale: rerun without --check`);
      stale ||= !same;
    } else {
      fs.writeFileSync(out, bin);
      console.log(`wrote ${out} (${bin.length} bytes)`);
    }
  }
  process.exit(stale ? 1 : 0);
}
