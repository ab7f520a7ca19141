// docs/cli.md is generated from the option tables (src/cli/cli-doc.ts); this fails when it is stale, when an
// option has no description, or when an mteb equivalent names an option that does not exist.
import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { leafCommands, renderCliDoc } from '../../src/cli/cli-doc.js';
import { MTEB_EQUIVALENTS } from '../../src/cli/mteb-equivalents.js';

describe('docs/cli.md', () => {
  test('is what the option tables give (else: node bin/run-ts.js scripts/write-cli-doc.ts)', () => {
    expect(readFileSync('docs/cli.md', 'utf8')).toBe(renderCliDoc(COMMANDS));
  });

  test('lists every command and every option, with the mteb flag beside the ones mteb has', () => {
    const doc = renderCliDoc(COMMANDS);
    for (const { name, command } of leafCommands(COMMANDS)) {
      expect(doc).toContain(`## mteb-ts ${name}\n`);
      for (const [opt, o] of Object.entries(command.options)) expect(doc).toContain(o.positional ? `| \`<${opt}>\` |` : `| \`--${opt}\` |`);
    }
    expect(doc).toContain('| `--eval-splits` |  | text, … |  | only these splits of each task');
    expect(doc).toMatch(/\| `--overwrite-strategy` \|  \| always \\\| never \\\| only-missing \\\| only-cache \| `only-missing` \| .* \| `--overwrite-strategy` \|\n/);
  });

  // report, compare and gate's tables are another engineer's (issue 20's report part); they are checked there.
  const OWNED_ELSEWHERE = new Set(['report', 'compare', 'gate']);
  test('every option has a description', () => {
    const missing = leafCommands(COMMANDS)
      .filter(({ name }) => !OWNED_ELSEWHERE.has(name))
      .flatMap(({ name, command }) => Object.entries(command.options).filter(([, o]) => !o.describe).map(([opt]) => `${name} --${opt}`));
    expect(missing).toEqual([]);
  });

  test('every mteb equivalent belongs to a command and an option that exist', () => {
    const leaves = new Map(leafCommands(COMMANDS).map((l) => [l.name, l.command]));
    const unknown = Object.entries(MTEB_EQUIVALENTS).flatMap(([name, eq]) =>
      !leaves.has(name) ? [name] : Object.keys(eq.options ?? {}).filter((o) => !(o in leaves.get(name)!.options)).map((o) => `${name} --${o}`),
    );
    expect(unknown).toEqual([]);
  });
});
