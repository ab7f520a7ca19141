/**
 * Whether to colour what goes to `stream`, by the no-color convention (https://no-color.org) and its common
 * counterpart: `FORCE_COLOR` set (and not `0`/`false`) forces colour, a non-empty `NO_COLOR` turns it off, and
 * otherwise colour is on only for a terminal. `--color` / `--no-color` set these for the process (src/cli/main.ts).
 */
export function colorOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force.toLowerCase() !== 'false') return true;
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY);
}
