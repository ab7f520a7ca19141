/**
 * docs/cli.md, generated from the command table and the option tables (the same ones `--help` and the handlers'
 * types come from) plus the mteb equivalents (src/cli/mteb-equivalents.ts), so the page cannot drift from the
 * CLI: `node bin/run-ts.js scripts/write-cli-doc.ts` writes it, tests/cli/cli-doc.test.ts fails when it is stale.
 */
import { isGroup, type CliCommand, type CommandEntry } from './command.js';
import type { OptionSpec } from './option-table.js';
import { MTEB_EQUIVALENTS } from './mteb-equivalents.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(o: OptionSpec): string {
  if (o.type === 'string' && o.choices) return o.choices.join(' | ');
  if (o.type === 'string') return o.array || o.repeatable ? 'text, …' : 'text';
  if (o.type === 'number') return o.integer ? 'integer' : 'number';
  return 'switch';
}

function optionRows(name: string, c: CliCommand): string[] {
  const eq = MTEB_EQUIVALENTS[name]?.options ?? {};
  const rows = Object.entries(c.options).map(([opt, o]) => {
    const flag = o.positional ? `\`<${opt}>\`` : `\`--${opt}\``;
    const alias = o.alias ? `\`-${o.alias}\`` : '';
    const def = o.default === undefined ? (o.demandOption ? 'required' : '') : `\`${String(o.default)}\``;
    return `| ${flag} | ${alias} | ${cell(typeOf(o))} | ${def} | ${cell(o.describe ?? '')} | ${eq[opt] ?? ''} |`;
  });
  return ['| option | short | value | default | what | mteb |', '|---|---|---|---|---|---|', ...rows];
}

/** Each runnable command with its full name (`metrics retrieval`). */
export function leafCommands(commands: readonly CommandEntry[]): { name: string; command: CliCommand }[] {
  return commands.flatMap((c) =>
    isGroup(c) ? c.subcommands.map((s) => ({ name: `${c.command} ${s.command.split(' ')[0]}`, command: s })) : [{ name: c.command.split(' ')[0], command: c }],
  );
}

export function renderCliDoc(commands: readonly CommandEntry[]): string {
  const leaves = leafCommands(commands);
  const out: string[] = [
    '# The mteb-ts command line',
    '',
    '<!-- Generated from src/cli/options/ and src/cli/mteb-equivalents.ts by `node bin/run-ts.js scripts/write-cli-doc.ts`;',
    '     tests/cli/cli-doc.test.ts fails when this file is stale. Edit those, not this file. -->',
    '',
    'Every command and option, as `mteb-ts <command> --help` prints them, with the Python mteb command or flag',
    'that does the same where one exists. Everywhere: `--help` (`-h`), `mteb-ts help <command>`, `mteb-ts --version`',
    '(`-v`), `--no-color` / `NO_COLOR=1` (`--color` / `FORCE_COLOR=1` forces colour), `mteb-ts completion >> ~/.bashrc`.',
    'Exit codes: 0 success; 1 a task failed (`run`) or a gate rule is broken (`gate`); 2 bad input or usage (one',
    '`error[CODE] location: message` line on stderr); 3 an internal error. `--format json` (`-f json`) prints one',
    'JSON document on stdout and nothing else there; progress and warnings go to stderr.',
    '',
    '| command | what it does | mteb |',
    '|---|---|---|',
    ...leaves.map(({ name, command }) => `| [\`${name}\`](#mteb-ts-${name.replace(/ /g, '-')}) | ${cell(command.describe)} | ${MTEB_EQUIVALENTS[name]?.command ?? ''} |`),
  ];
  for (const { name, command } of leaves) {
    out.push('', `## mteb-ts ${name}`, '', `\`mteb-ts ${name.split(' ').slice(0, -1).concat(command.command).join(' ')}\` — ${command.describe}.`);
    if (MTEB_EQUIVALENTS[name]) out.push('', `mteb: ${MTEB_EQUIVALENTS[name].command}.`);
    out.push('', ...optionRows(name, command));
  }
  return out.join('\n') + '\n';
}
