import { parseArgs, type ArgsOf, type InputOf, type OptionTable } from './option-table.js';

/**
 * What `--help` needs of a command, and nothing a handler needs: its yargs command string (name and
 * positionals), one line of description and its option table. Lives in src/cli/options/, imports no library.
 */
export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** e.g. `compare <baseline> <candidate>`. */
  command: string;
  describe: string;
  options: T;
  /** Checks across options, after each value is converted (e.g. `--shard` needs a cache). */
  check?(args: ArgsOf<T>): void;
}

/** A handler: the library call behind a command; returns the exit code, never calls process.exit. */
export type Handler<T extends OptionTable> = (args: ArgsOf<T>) => Promise<number>;

/** A runnable subcommand: raw arguments in (from yargs or a test), parsed once by its table, exit code out. */
export interface CliCommand<T extends OptionTable = OptionTable> extends CommandSpec<T> {
  handler(raw: InputOf<T>): Promise<number>;
}

/** A command group (`mteb-ts metrics retrieval`): only its subcommands run. */
export interface CommandGroup {
  command: string;
  describe: string;
  subcommands: readonly CliCommand<any>[];
}

/** An entry of the command table; each command's own table types its handler, the table only runs it. */
export type CommandEntry = CliCommand<any> | CommandGroup;

export const isGroup = (c: CommandEntry): c is CommandGroup => 'subcommands' in c;

/** Raw arguments -> typed arguments (defaults, checks) -> handler. */
function runner<T extends OptionTable>(spec: CommandSpec<T>, getHandler: () => Promise<Handler<T>>) {
  return async (raw: InputOf<T>): Promise<number> => {
    const args = parseArgs(spec.options, raw);
    spec.check?.(args);
    return (await getHandler())(args);
  };
}

/** A command whose handler is already loaded (the handler modules export these for direct use). */
export function defineCommand<T extends OptionTable>(spec: CommandSpec<T>, handler: Handler<T>): CliCommand<T> {
  return { ...spec, handler: runner(spec, async () => handler) };
}

/**
 * A command whose handler module is imported only when the command runs: `--help` and every other command
 * never load it (nor apache-arrow, onnxruntime, ... behind it).
 */
export function lazyCommand<T extends OptionTable>(spec: CommandSpec<T>, load: () => Promise<Handler<T>>): CliCommand<T> {
  return { ...spec, handler: runner(spec, load) };
}
