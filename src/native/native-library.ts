/**
 * Our own native kernels (C beside the WebAssembly kernel each one accelerates, prebuilt for linux-x64 by
 * scripts/build-native.js and shipped next to their source as <name>.linux-x64.so), opened through koffi. They are ACCELERATORS ONLY: each one
 * computes bit for bit what the WebAssembly kernel beside it computes (same operations, same order, float64
 * multiply and add rounded separately where that matters), so a machine without them (another OS or CPU, no
 * koffi, MTEB_TS_NATIVE=0) gets the same results, slower. Tests compare the two paths bit for bit.
 *
 * Every library exports `const char *mteb_native_source_hash(void)`, the SHA-256 of the C source it was built
 * from (scripts/build-native.js passes it in): a library whose hash is not its source's current one is stale and
 * is not used (a test fails on it too, so a stale binary cannot land).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireOptional } from './optional-module.js';

/** The platform tag of the prebuilt libraries; undefined where none is shipped. */
export function nativePlatform(): string | undefined {
  return process.platform === 'linux' && process.arch === 'x64' ? 'linux-x64' : undefined;
}

/** False when the user turned the native kernels off (MTEB_TS_NATIVE=0|off|false): the WebAssembly ones run. */
export function nativeAllowed(): boolean {
  return nativeLevelCap() > 0;
}

/**
 * The highest instruction-set level a native kernel may use: 2 (AVX-512, the default: whatever the CPU has),
 * 1 with MTEB_TS_NATIVE=avx2 (to see what a CPU without AVX-512 gets, results being the same bits anyway), 0 off.
 */
export function nativeLevelCap(): number {
  const raw = process.env.MTEB_TS_NATIVE ?? '';
  const v = raw.trim().toLowerCase();
  if (v === '0' || v === 'off' || v === 'false' || v === 'no') return 0;
  if (v === 'avx2') return 1;
  if (!['', '1', 'on', 'true', 'yes', 'avx512'].includes(v) && !warned.has(raw)) {
    // Results are the same bits either way, so a typo is worth a warning, not a failed run; said once per value.
    warned.add(raw);
    process.stderr.write(`warning: MTEB_TS_NATIVE=${JSON.stringify(raw)} is not 0/off, 1/on or avx2: the native kernels stay on\n`);
  }
  return 2;
}

const warned = new Set<string>();

export interface NativeLibrary {
  /** koffi's library object: `lib.func(signature)` binds a function. */
  readonly lib: any;
  /** koffi itself (for koffi.as / pointer helpers). */
  readonly koffi: any;
  readonly path: string;
}

const opened = new Map<string, NativeLibrary | null>();

/** SHA-256 (hex) of a C source file: what its library must report. */
export function sourceHash(cSource: URL | string): string {
  return createHash('sha256').update(fs.readFileSync(cSource)).digest('hex');
}

/**
 * Opens `<base>.<platform>.so` built from `<base>.c` (both given as URLs next to the calling module, e.g.
 * new URL('./dense64', import.meta.url)); undefined where native kernels are off, not shipped for this platform,
 * koffi is missing, the file does not load, or it is stale. Never throws: the caller falls back to WebAssembly.
 * The source hash is checked only where the .c file is present (a source checkout); a packed install ships the
 * .so without its source, built and checked when the package was packed.
 */
export function openNativeLibrary(base: URL): NativeLibrary | undefined {
  const platform = nativePlatform();
  if (!platform || !nativeAllowed()) return undefined;
  const soPath = fileURLToPath(`${base.href}.${platform}.so`);
  const cached = opened.get(soPath);
  if (cached !== undefined) return cached ?? undefined;
  let result: NativeLibrary | null = null;
  try {
    if (fs.existsSync(soPath)) {
      const koffi: any = requireOptional('koffi', 'native kernels');
      const lib = koffi.load(soPath);
      const hash = lib.func('const char *mteb_native_source_hash(void)')();
      const cPath = fileURLToPath(`${base.href}.c`);
      if (!fs.existsSync(cPath) || hash === sourceHash(cPath)) result = { lib, koffi, path: soPath };
    }
  } catch {
    result = null;
  }
  opened.set(soPath, result);
  return result ?? undefined;
}

const levels = new WeakMap<NativeLibrary, number>();

/**
 * The instruction-set level `lib` may use here: its own answer to `levelFunction` (an exported
 * `int32_t f(void)`: 2 AVX-512, 1 AVX2, 0 neither; asked once per library) capped by MTEB_TS_NATIVE (read on every
 * call, so a later setting applies); 0 when the function cannot be called.
 */
export function usableLevel(lib: NativeLibrary, levelFunction: string): number {
  let level = levels.get(lib);
  if (level === undefined) {
    try {
      level = Number(lib.lib.func(`int32_t ${levelFunction}(void)`)()) || 0;
    } catch {
      level = 0;
    }
    levels.set(lib, level);
  }
  return Math.min(level, nativeLevelCap());
}
