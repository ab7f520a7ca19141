import type { Argv, Options, PositionalOptions } from 'yargs';
import type { OptionTable } from './option-table.js';

/**
 * Declares an option table on a yargs parser (what `--help` prints and what yargs checks first). Values are
 * converted and checked again by `parseArgs`, which is the one place the handler's types come from.
 */
export function declareOptions(y: Argv, table: OptionTable): Argv {
  for (const [name, o] of Object.entries(table)) {
    const decl: Record<string, unknown> = {
      type: o.type,
      describe: o.describe,
      alias: o.alias,
      default: o.default,
      demandOption: o.demandOption,
      choices: o.type === 'string' ? o.choices : undefined,
      // A repeatable flag is not a yargs `array`: a greedy array would swallow the positionals after it.
      array: o.type === 'string' ? o.array : undefined,
    };
    // yargs reads a key that is present but undefined as a value (`default: undefined` gives `[undefined]`).
    for (const k of Object.keys(decl)) if (decl[k] === undefined) delete decl[k];
    y = o.positional ? y.positional(name, decl as PositionalOptions) : y.option(name, decl as Options);
  }
  return y;
}
