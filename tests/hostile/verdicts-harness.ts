import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runMain } from '../cli/support/run-main.js';

export type { MainResult as CliResult } from '../cli/support/run-main.js';
/** The real CLI entry point in-process (one runner for every CLI test: tests/cli/support/run-main.ts). */
export { runMain };

/** path -> kind + size + sha256 of every file and folder under `root`, except those under `skip`. */
export function snapshot(root: string, skip: string[] = []): Map<string, string> {
  const seen = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (skip.some((s) => p === s || p.startsWith(s + path.sep))) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        seen.set(p, `dir ${st.mode}`);
        try {
          walk(p);
        } catch {
          seen.set(p, `unreadable dir ${st.mode}`);
        }
      } else {
        let digest = 'unreadable';
        try {
          digest = createHash('sha256').update(readFileSync(p)).digest('hex');
        } catch {
          /* a file made unreadable on purpose: mode and size still count */
        }
        seen.set(p, `file ${st.mode} ${st.size} ${st.mtimeMs} ${digest}`);
      }
    }
  };
  walk(root);
  return seen;
}

/** One `mteb-ts run -b demo` (hash embedder, 8 tasks) in a temp folder; copied per test case. */
let demo: string | undefined;
export async function demoRun(): Promise<string> {
  if (demo && existsSync(demo)) return demo;
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-demo-'));
  const r = await runMain(['run', '-m', 'hash:32', '-b', 'demo', '-o', dir, '--cache-dir', 'none', '-q', '--model-name', 'acme/m', '--model-revision', 'r1']);
  if (r.code !== 0) throw new Error(`demo run failed (${r.code}): ${r.stderr}`);
  demo = path.join(dir, 'acme__m');
  return demo;
}

/** A case folder: `baseline/acme__m/r1` and `candidate/acme__m/r1` copies of the demo run, and an empty `out/`. */
export async function caseFolders(): Promise<{ root: string; baseline: string; candidate: string; out: string; candRev: string }> {
  const src = await demoRun();
  const root = mkdtempSync(path.join(tmpdir(), 'hostile-case-'));
  const baseline = path.join(root, 'baseline', 'acme__m');
  const candidate = path.join(root, 'candidate', 'acme__m');
  cpSync(src, baseline, { recursive: true });
  cpSync(src, candidate, { recursive: true });
  const out = path.join(root, 'out');
  mkdirSync(out);
  return { root, baseline, candidate, out, candRev: path.join(candidate, 'r1') };
}
