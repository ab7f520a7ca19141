import { describe, test, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../src/registry/index.js';

/**
 * What each CLI entry point loads, recorded in a child process by a loader hook (support/record-imports.mjs):
 * every module URL Node resolves, packages and our own files alike. `--help` must not pay for what only a
 * command's handler needs.
 */
const SUPPORT = path.join(REPO_ROOT, 'tests', 'cli', 'support');
const HEAVY = ['apache-arrow', 'onnxruntime-node', 'onnxruntime-common', 'hyparquet', '@huggingface/hub', '@huggingface/tokenizers', 'onnx-proto', 'hnswlib-node', 'koffi', 'cli-table3'];

interface Loaded {
  code: number | null;
  stdout: string;
  stderr: string;
  /** npm packages, by name. */
  packages: Set<string>;
  /** Our own modules, relative to the repo root (src/cli/main.ts, ...). */
  files: string[];
}

function loadsOf(args: string[]): Loaded {
  const log = path.join(mkdtempSync(path.join(tmpdir(), 'imports-')), 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', path.join(SUPPORT, 'record-imports.mjs'), '--import', 'tsx', path.join(SUPPORT, 'cli-entry.mjs'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MTEB_TS_IMPORT_LOG: log },
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  const packages = new Set<string>();
  const files = new Set<string>();
  for (const u of urls) {
    const p = fileURLToPath(u);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m) packages.add(m[1]);
    else if (p.startsWith(REPO_ROOT)) files.add(path.relative(REPO_ROOT, p));
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages, files: [...files].sort() };
}

const heavyIn = (l: Loaded) => HEAVY.filter((p) => l.packages.has(p));
/** Handler modules: everything in src/cli/commands/ but the command table itself. */
const handlersIn = (l: Loaded) => l.files.filter((f) => f.startsWith('src/cli/commands/') && f !== 'src/cli/commands/index.ts');
const outsideCli = (l: Loaded) => l.files.filter((f) => f.startsWith('src/') && !f.startsWith('src/cli/'));

describe('lazy subcommands: a command loads only what it needs', () => {
  test('mteb-ts --help loads no handler, no heavy package, not even yargs, and a handful of library files', () => {
    const l = loadsOf(['--help']);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('  mteb-ts gate ');
    expect(l.files).toContain('src/cli/commands/index.ts');
    expect(heavyIn(l)).toEqual([]);
    expect(l.packages.has('yargs')).toBe(false);
    expect(handlersIn(l)).toEqual([]);
    // The option tables may read a constant or two (errors, the default data folder, the default cutoffs).
    expect(outsideCli(l).length).toBeLessThanOrEqual(6);
    expect(outsideCli(l).filter((f) => /^src\/(registry|leaderboard|results|compare|gate|run|search|embedders|cache|onnx)\//.test(f))).toEqual([]);
  }, 150_000);

  test('mteb-ts report --help parses with yargs and still loads no handler', () => {
    const l = loadsOf(['report', '--help']);
    expect(l.code).toBe(0);
    expect(l.stdout).toMatch(/--format.*\[choices: "table", "markdown", "html", "json"\] \[default: "table"\]/s);
    expect(l.packages.has('yargs')).toBe(true);
    expect(heavyIn(l)).toEqual([]);
    expect(handlersIn(l)).toEqual([]);
  }, 150_000);

  test('control: running a command does load its handler (the recorder sees lazy imports)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lazy-'));
    writeFileSync(path.join(dir, 'q.trec'), 'q1 0 a 1\n');
    writeFileSync(path.join(dir, 'r.trec'), 'q1 Q0 a 1 0.9 t\n');
    const l = loadsOf(['metrics', 'retrieval', '--qrels', path.join(dir, 'q.trec'), '--run', path.join(dir, 'r.trec'), '--k', '1']);
    expect(l.code).toBe(0);
    expect(JSON.parse(l.stdout).scores.ndcg_at_1).toBe(1);
    expect(handlersIn(l)).toEqual(['src/cli/commands/metrics-retrieval.ts']);
    expect(l.files).toContain('src/metrics/retrieval/evaluate.ts');
  }, 150_000);
});
