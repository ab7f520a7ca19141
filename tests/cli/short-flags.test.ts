// One meaning per short flag across commands (issue 20): `-m` is the model everywhere it exists, `-o` the output,
// and so on. Read from the option tables every command's yargs declarations come from.
import { describe, test, expect } from '@jest/globals';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { isGroup, type CliCommand } from '../../src/cli/command.js';

const leaves: CliCommand[] = COMMANDS.flatMap((c) => (isGroup(c) ? c.subcommands.map((s) => ({ ...s, command: `${c.command} ${s.command}` })) : [c]));

describe('short flags', () => {
  const uses = new Map<string, Set<string>>();
  for (const c of leaves) {
    for (const [name, o] of Object.entries(c.options as Record<string, { alias?: string | readonly string[] }>)) {
      for (const a of [o.alias ?? []].flat()) {
        if (a.length !== 1) continue;
        if (!uses.has(a)) uses.set(a, new Set());
        uses.get(a)!.add(`--${name}`);
      }
    }
  }

  // -o is where a command writes: `run`'s results folder (--output), the file `report`/`compare`/`gate` write
  // instead of stdout (--out). One meaning, two long names kept for the commands' existing scripts.
  const SAME_MEANING: Record<string, string[]> = { o: ['--out', '--output'] };

  test('every short flag means one thing in every command that has it', () => {
    const ambiguous = [...uses]
      .filter(([a, longs]) => longs.size > 1 && [...longs].sort().join() !== SAME_MEANING[a]?.join())
      .map(([a, longs]) => `-${a}: ${[...longs].join(', ')}`);
    expect(ambiguous).toEqual([]);
  });

  test('the short flags in use (a new one is a decision: add it here)', () => {
    expect(Object.fromEntries([...uses].sort().map(([a, l]) => [a, [...l].sort().join(' / ')]))).toEqual({
      b: '--benchmark',
      f: '--format',
      m: '--model',
      n: '--shards',
      o: '--out / --output',
      p: '--port',
      q: '--quiet',
      t: '--tasks',
    });
  });

  test('-h and -v stay help and version', () => {
    expect([uses.has('h'), uses.has('v')]).toEqual([false, false]);
  });
});
