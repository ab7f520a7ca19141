// README's CLI examples run as written (issue 20): every line of the block under the `readme-examples` marker,
// in a fresh folder, through the real CLI entry point; each exits 0 and prints something on stdout.
import { describe, test, expect, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/registry/paths.js';
import { runMain } from './support/run-main.js';

function examples(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- readme-examples:');
  expect(at).toBeGreaterThan(0);
  const block = readme.slice(readme.indexOf('```bash\n', at) + 8);
  return block
    .slice(0, block.indexOf('```'))
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe("README's CLI examples", () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), 'readme-'));
  afterAll(() => process.chdir(cwd));
  const lines = examples();

  test('the block holds the examples (commands with plain words: no quoting to interpret)', () => {
    expect(lines.length).toBe(7);
    for (const l of lines) expect(l).toMatch(/^npx mteb-ts [^'"`$\\]+$/);
  });

  // In order: the first writes the demo results the others read.
  test.each(lines.map((l) => [l]))('%s', async (line) => {
    process.chdir(dir);
    const r = await runMain(line.split(/\s+/).slice(2), { captureConsole: true });
    process.chdir(cwd);
    expect([r.code, r.stdout.trim().length > 0]).toEqual([0, true]);
  });
});
