import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, test, expect, afterEach, afterAll, jest } from '@jest/globals';
import { nativeLevelCap, nativePlatform, openNativeLibrary, sourceHash } from '../../src/native/native-library.js';

// The loader's contract, on fixtures/native/probe.c and its committed build (no compiler needed at test time),
// and the freshness of every native library src/ ships.
const probeBase = new URL('../../fixtures/native/probe', import.meta.url);
const onPlatform = nativePlatform() === 'linux-x64';
const here = onPlatform ? test : test.skip;
if (!onPlatform) test('native libraries are shipped for linux-x64 only: skipped on ' + `${process.platform}-${process.arch}`, () => {});

const savedEnv = process.env.MTEB_TS_NATIVE;
const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.MTEB_TS_NATIVE;
  else process.env.MTEB_TS_NATIVE = savedEnv;
});

/** A copy of the probe (source and build) in a fresh folder, so a test may edit it. */
function probeCopy(withSource: boolean): URL {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mteb-native-'));
  made.push(dir);
  fs.copyFileSync(fileURLToPath(`${probeBase.href}.linux-x64.so`), path.join(dir, 'probe.linux-x64.so'));
  if (withSource) fs.copyFileSync(fileURLToPath(`${probeBase.href}.c`), path.join(dir, 'probe.c'));
  return pathToFileURL(path.join(dir, 'probe'));
}

describe('native kernel libraries', () => {
  here('a fresh library opens and its functions run on plain and shared (WebAssembly-memory) arrays', () => {
    delete process.env.MTEB_TS_NATIVE;
    const lib = openNativeLibrary(probeBase);
    expect(lib).toBeDefined();
    const sum = lib!.lib.func('double probe_sum(const double *x, int n)');
    expect(sum(new Float64Array([1, 2, 3.5]), 3)).toBe(6.5);
    const shared = new Float64Array(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }).buffer, 16, 4);
    shared.set([0.25, 0.5, 1, 2]);
    expect(sum(shared, 4)).toBe(3.75);
  });

  here('MTEB_TS_NATIVE=0 (or off / false / no) turns every native library off', () => {
    for (const v of ['0', 'off', 'FALSE', 'no']) {
      process.env.MTEB_TS_NATIVE = v;
      expect(openNativeLibrary(probeCopy(true))).toBeUndefined();
    }
    process.env.MTEB_TS_NATIVE = '1';
    expect(openNativeLibrary(probeCopy(true))).toBeDefined();
  });

  test('MTEB_TS_NATIVE: avx2 caps at level 1; an unknown value keeps them on with one warning, its text quoted', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    try {
      for (const [v, level] of [['', 2], ['on', 2], ['AVX512', 2], [' avx2 ', 1], ['off', 0]] as const) {
        process.env.MTEB_TS_NATIVE = v;
        expect(nativeLevelCap()).toBe(level);
      }
      expect(writes).toEqual([]);
      process.env.MTEB_TS_NATIVE = 'fasle\n\u001b[31mx';
      expect(nativeLevelCap()).toBe(2);
      expect(nativeLevelCap()).toBe(2);
      expect(writes).toEqual(['warning: MTEB_TS_NATIVE="fasle\\n\\u001b[31mx" is not 0/off, 1/on or avx2: the native kernels stay on\n']);
    } finally {
      spy.mockRestore();
    }
  });

  here('a library whose source changed after it was built is stale: not used', () => {
    delete process.env.MTEB_TS_NATIVE;
    const copy = probeCopy(true);
    fs.appendFileSync(fileURLToPath(`${copy.href}.c`), '/* edited */\n');
    expect(openNativeLibrary(copy)).toBeUndefined();
  });

  here('without its source beside it (a packed install) the library is used as built', () => {
    delete process.env.MTEB_TS_NATIVE;
    expect(openNativeLibrary(probeCopy(false))).toBeDefined();
  });

  here('a file that is not a loadable library gives undefined (the WebAssembly kernels run), never an exception', () => {
    delete process.env.MTEB_TS_NATIVE;
    const copy = probeCopy(false);
    fs.writeFileSync(fileURLToPath(`${copy.href}.linux-x64.so`), 'not an ELF file');
    expect(openNativeLibrary(copy)).toBeUndefined();
  });

  // Every library src/ ships: built from the committed source (a stale .so would silently run the WebAssembly
  // path on every machine) and loadable here.
  const srcRoot = fileURLToPath(new URL('../../src', import.meta.url));
  const shipped = (fs.readdirSync(srcRoot, { recursive: true }) as string[]).filter((f) => f.endsWith('.linux-x64.so')).sort();
  here('src/ ships the native kernels', () => {
    expect(shipped.map((f) => path.basename(f)).sort()).toEqual(SHIPPED);
  });
  for (const rel of shipped) {
    here(`${rel} is built from its committed source and loads`, () => {
      delete process.env.MTEB_TS_NATIVE;
      const base = path.join(srcRoot, rel.replace(/\.linux-x64\.so$/, ''));
      expect(fs.existsSync(`${base}.c`)).toBe(true);
      const lib = openNativeLibrary(pathToFileURL(base));
      expect(lib).toBeDefined();
      expect(lib!.lib.func('const char *mteb_native_source_hash(void)')()).toBe(sourceHash(`${base}.c`));
    });
  }
});

/** The native libraries src/ ships (a new one is added here on purpose). */
const SHIPPED: string[] = ['canonical-native.linux-x64.so', 'dense64-native.linux-x64.so'];
