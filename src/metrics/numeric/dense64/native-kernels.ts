/**
 * dense64-native.c's kernels (the native twins of dense64.wat's `forward` and `gradient`: the same bits, faster),
 * bound through koffi. Undefined where they are off (MTEB_TS_NATIVE=0), not shipped for this platform, stale, or
 * the CPU has neither AVX2 nor AVX-512: the WebAssembly kernels then run, with the same results.
 */
import { createRequire } from 'node:module';
import { openNativeLibrary, usableLevel, type NativeLibrary } from '../../../native/native-library.js';

/** The kernels take the wasm kernels' arguments (byte offsets in the memory) after the path and the memory. */
type Kernel = (level: number, mem: Uint8Array, ...args: number[]) => void;

export interface Dense64Native {
  /** The best path this CPU has: 2 AVX-512 (over the workspace's 8-wide layouts), 1 AVX2 (the wasm's layouts). */
  readonly level: number;
  /** What a worker thread needs to load the same library itself. */
  readonly library: string;
  readonly koffi: string;
  readonly forward: Kernel;
  readonly gradient: Kernel;
}

/** The koffi signatures, shared with the worker threads (workspace.ts binds them there from these strings). */
export const FORWARD_SIGNATURE =
  'void dense64_forward(int level, uint8_t *mem, uint32_t X, uint32_t rs, uint32_t Wp, uint32_t p, uint32_t nt, uint32_t out, uint32_t r0, uint32_t r1)';
export const GRADIENT_SIGNATURE =
  'void dense64_gradient(int level, uint8_t *mem, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5, uint32_t a6, uint32_t a7, uint32_t a8)';

/** The name of the kernels a path runs: 'avx512' (level 2), 'avx2' (level 1) or 'wasm' (none). */
export function kernelsName(level: number | undefined): 'avx512' | 'avx2' | 'wasm' {
  return !level ? 'wasm' : level >= 2 ? 'avx512' : 'avx2';
}

const bound = new WeakMap<NativeLibrary, Omit<Dense64Native, 'level'> | null>();

/** The native kernels, or undefined (see above). Never throws. */
export function dense64Native(): Dense64Native | undefined {
  const opened = openNativeLibrary(new URL('./dense64-native', import.meta.url));
  if (!opened) return undefined;
  // MTEB_TS_NATIVE=avx2 caps the path (the same bits; to measure what a CPU without AVX-512 gets).
  const level = usableLevel(opened, 'dense64_native_level');
  if (level <= 0) return undefined;
  let k = bound.get(opened);
  if (k === undefined) {
    try {
      k = {
        library: opened.path,
        koffi: createRequire(import.meta.url).resolve('koffi'),
        forward: opened.lib.func(FORWARD_SIGNATURE),
        gradient: opened.lib.func(GRADIENT_SIGNATURE),
      };
    } catch {
      k = null;
    }
    bound.set(opened, k);
  }
  return k ? { ...k, level } : undefined;
}
