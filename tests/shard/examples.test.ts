// The committed examples/scaling/ files are exactly what `plan` writes (issue 19): regenerated here through the CLI
// and compared byte for byte, file list and executable bits included, so they cannot go stale.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/registry/index.js';
import { runMain } from '../cli/support/run-main.js';

const EXAMPLES = path.join(REPO_ROOT, 'examples', 'scaling');
const README = readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');

/** The command each example folder was made with, as its README states it (so the README cannot go stale either). */
function commandFor(scheduler: string): string[] {
  const line = README.split('\n').find((l) => l.trim().startsWith(`mteb-ts plan --scheduler ${scheduler} `));
  if (!line) throw new Error(`examples/scaling/README.md states no command for ${scheduler}`);
  return line.trim().split(/\s+/).slice(1);
}

const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, { text: readFileSync(path.join(dir, f), 'utf8'), executable: (statSync(path.join(dir, f)).mode & 0o111) !== 0 }]),
  );

describe('examples/scaling', () => {
  test('docs/scaling.md shows the Slurm example plan as plan prints it', () => {
    const docs = readFileSync(path.join(REPO_ROOT, 'docs', 'scaling.md'), 'utf8');
    expect(docs).toContain('```\n' + readFileSync(path.join(EXAMPLES, 'slurm', 'plan.txt'), 'utf8') + '```\n');
  });

  for (const scheduler of ['slurm', 'k8s']) {
    test(`${scheduler}: plan regenerates the committed files byte for byte`, async () => {
      const argv = commandFor(scheduler);
      expect(argv.slice(-2)).toEqual(['--plan-dir', `examples/scaling/${scheduler}`]);
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'plan-')), scheduler);
      const r = await runMain([...argv.slice(0, -1), out]);
      expect(r.code).toBe(0);
      const committed = snapshot(path.join(EXAMPLES, scheduler));
      expect(snapshot(out)).toEqual(committed);
      // What is printed is plan.txt.
      expect(r.stdout).toBe(committed['plan.txt'].text);
    });
  }
});
