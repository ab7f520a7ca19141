// Compiles kernels.wat into the committed kernels.wasm (wabt, a devDependency: the package itself never compiles).
// Run: node bin/run-ts.js src/search/blas/build-kernels.ts [--check]  (--check exits 1 when the binary is stale)
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function compileKernels(): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  const src = fs.readFileSync(fileURLToPath(new URL('./kernels.wat', import.meta.url)), 'utf8');
  const mod = wabt.parseWat('kernels.wat', src, { simd: true });
  try {
    mod.validate();
    return Uint8Array.from(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain) {
  const bin = await compileKernels();
  const out = fileURLToPath(new URL('./kernels.wasm', import.meta.url));
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(out) && Buffer.compare(fs.readFileSync(out), Buffer.from(bin)) === 0;
    console.log(same ? 'kernels.wasm is up to date' : 'kernels.wasm is stale: rerun without --check');
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(out, bin);
  console.log(`wrote ${out} (${bin.length} bytes)`);
}
