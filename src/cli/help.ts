import type { CommandEntry } from './command.js';

export const USAGE = '$0 <command> [options]\n\nEvaluate text-embedding models on MTEB/BEIR with the scores the Python mteb package gives.';

/** Printed under every help screen (yargs' epilogue, and the fast path below). */
export const EPILOGUE =
  'Also: mteb-ts --version; mteb-ts help <command>; --no-color (or NO_COLOR=1; FORCE_COLOR=1 forces colour); ' +
  'mteb-ts completion >> ~/.bashrc for shell completion. Exit codes: 0 ok, 1 gate failed, 2 bad input, 3 internal error, 4 merge: shard parts missing.';

/** `mteb-ts --help` and `mteb-ts -h`: the only arguments answered without loading yargs. */
export const isTopLevelHelp = (argv: readonly string[]): boolean => argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h');

/**
 * The command list, laid out as yargs lays out its own help. Printed without yargs because loading yargs costs
 * more than twice a bare `node -e 0`, and `mteb-ts --help` should start about as fast as node itself
 * (`mteb-ts <command> --help` goes through yargs, which knows the options).
 */
export function renderTopLevelHelp(commands: readonly CommandEntry[], width: number): string {
  const names = commands.map((c) => `mteb-ts ${c.command}`);
  // yargs' layout: the name column as wide as the longest name, at most half the width; 2 spaces each side.
  const nameWidth = Math.min(Math.max(...names.map((n) => n.length)), Math.floor(width / 2));
  const descWidth = width - nameWidth - 4;
  const lines = USAGE.replace('$0', 'mteb-ts')
    .split('\n')
    .flatMap((l) => wrap(l, width));
  lines.push('', 'Commands:');
  commands.forEach((c, i) => {
    const left = wrap(names[i], nameWidth);
    const right = wrap(c.describe, descWidth);
    for (let r = 0; r < Math.max(left.length, right.length); r++) lines.push(`  ${(left[r] ?? '').padEnd(nameWidth + 2)}${right[r] ?? ''}`.trimEnd());
  });
  lines.push('', 'Options:', `  -h, --help  Show help${' '.repeat(Math.max(1, width - 32))}[boolean]`);
  lines.push('', ...wrap(EPILOGUE, width));
  return lines.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}
