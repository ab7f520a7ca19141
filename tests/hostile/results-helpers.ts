// Helpers for tests/hostile/results-unit.test.ts: a model whose max length changes its vectors (as NV-Embed's
// does), a tree snapshot to prove nothing outside the output folder changed, and a CLI child killed at a point.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Embedder, EmbedOptions } from '../../src/core/embedder.js';
import type { Matrix } from '../../src/core/matrix.js';
import { HashEmbedder } from '../../src/embedders/baselines/hash-embedder.js';
import { REPO_ROOT } from '../../src/registry/index.js';

/** Texts cut to `maxLength` characters before hashing; the fingerprint carries the setting as nvembed's `:L<n>`. */
export class TruncatingEmbedder implements Embedder {
  readonly name = 'test/truncating';
  readonly revision = 'r1';
  readonly dimension = 64;
  readonly fingerprint: string;
  private readonly inner = new HashEmbedder(64);
  constructor(readonly maxLength: number) {
    this.fingerprint = `truncating:L${maxLength}`;
  }
  embed(texts: string[], o: EmbedOptions): Promise<Matrix> {
    return this.inner.embed(texts.map((t) => t.slice(0, this.maxLength)), o);
  }
}

/** relative path -> sha256 of every file under `root`, skipping the folders named in `skip`. */
export function snapshot(root: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const f = path.join(dir, n);
      if (skip.includes(f)) continue;
      if (statSync(f).isDirectory()) walk(f);
      else out[path.relative(root, f)] = createHash('sha256').update(readFileSync(f)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** `mteb-ts <args>` with MTEB_TS_TEST_CRASH_AT=<crashAt>: resolves with the exit code and the signal. */
export function cliKilledAt(args: string[], crashAt: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'mteb-ts-dev.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, MTEB_TS_TEST_CRASH_AT: crashAt },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Runs `fns` at most `n` at a time, keeping their order in the answer. */
export async function pool<T>(fns: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(fns.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, fns.length) }, async () => {
      while (next < fns.length) {
        const i = next++;
        out[i] = await fns[i]();
      }
    }),
  );
  return out;
}
