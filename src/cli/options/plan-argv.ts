import { camelCase, type OptionTable } from '../option-table.js';

/**
 * Parsed arguments back to a command line for `table`: every option that differs from its default, in the
 * table's order, as `--name value` (lists as `--name a b`, switches as `--name` / `--no-name`). What `plan`
 * writes into job scripts, so each shard runs with exactly the options the plan was made from.
 */
export function argvOf(table: OptionTable, args: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [name, o] of Object.entries(table)) {
    if (o.positional) continue;
    const v = args[camelCase(name)];
    if (v === undefined || v === o.default) continue;
    if (o.type === 'boolean') out.push(v ? `--${name}` : `--no-${name}`);
    else if (Array.isArray(v)) {
      if (v.length) out.push(`--${name}`, ...v.map(String));
    } else out.push(`--${name}`, String(v));
  }
  return out;
}
