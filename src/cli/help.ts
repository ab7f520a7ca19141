import type { CommandEntry } from './command.js';

export const USAGE = '$0 <command> [options]\n\nEvaluate text-embedding models on MTEB/BEIR with the scores the Python mteb package gives.';

/** `mteb-ts --help` and `mteb-ts -h`: the only arguments answered without loading yargs. */
export const isTopLevelHelp = (argv: readonly string[]): boolean => argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h');

/**
 * The command list, laid out as yargs lays out its own help. Printed without yargs because loading yargs costs
 * more than twice a bare `node -e 0`, and `mteb-ts --help` should start about as fast as node itself
 * (`mteb-ts <command> --help` goes through yargs, which knows the options).
 */
export function renderTopLevelHelp(commands: readonly CommandEntry[], width: number): string {
  const names = commands.map((c) => `mteb-ts ${c.command}`);
  const col = Math.max(...names.map((n) => n.length)) + 2;
  const lines = [USAGE.replace('$0', 'mteb-ts'), '', 'Commands:'];
  commands.forEach((c, i) => {
    const wrapped = wrap(c.describe, Math.max(20, width - col - 2));
    lines.push(`  ${names[i].padEnd(col)}${wrapped[0]}`);
    for (const w of wrapped.slice(1)) lines.push(`  ${' '.repeat(col)}${w}`);
  });
  lines.push('', 'Options:', `  -h, --help  Show help${' '.repeat(Math.max(1, width - 32))}[boolean]`);
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
