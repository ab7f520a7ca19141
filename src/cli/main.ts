import type { Argv } from 'yargs';
import { exitCodeOf, formatError, isMtebError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { isGroup, type CommandEntry } from './command.js';
import { COMMANDS } from './commands/index.js';
import type { InputOf, OptionTable } from './option-table.js';
import { declareOptions } from './yargs-options.js';
import { USAGE, EPILOGUE, isTopLevelHelp, renderTopLevelHelp } from './help.js';
import { packageVersion } from './version.js';

export interface MainOptions {
  /** The command table (default: every mteb-ts command); tests pass their own to provoke a crash. */
  commands?: readonly CommandEntry[];
}

/**
 * The only place that touches argv and exit codes. Each subcommand is a thin shell over library functions,
 * loaded when it runs (src/cli/commands/index.ts). A user error (MtebError, or a usage error from yargs)
 * prints one `error[CODE] ...` line and exits 2; anything else is a bug: `internal error: ` and the stack,
 * nothing more, and exit 3. A few user errors have their own code (EXIT_CODES in src/core/errors.ts: 4 = merge
 * found shard parts missing). Every line printed here passes through the one redaction function
 * (src/core/redact.ts): a URL's user:password, a key in a query string or a header never reaches stderr.
 */
export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  try {
    const commands = opts.commands ?? COMMANDS;
    argv = applyColorFlags(argv);
    // Node CLI conventions, answered before any parsing: `--version`, `help [command]`, and a bare `mteb-ts`
    // (help on stderr, exit 2: no command is a usage error).
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
      process.stdout.write(packageVersion() + '\n');
      return 0;
    }
    if (argv[0] === 'help') {
      // `help <command>`: a command that does not exist is a usage error, not the top-level help.
      if (argv.length > 1 && !commandPath(argv.slice(1), commands)) throw new UsageError(`no command "${argv[1]}" (mteb-ts --help lists them)`);
      argv = [...argv.slice(1), '--help'];
    }
    if (argv.length === 0) {
      process.stderr.write(renderTopLevelHelp(commands, Math.min(120, process.stderr.columns ?? 100)));
      return 2;
    }
    return await parseAndRun(argv, commands);
  } catch (e) {
    if (e instanceof UsageError) {
      // Point at the help of the command the user typed, when they typed one.
      const named = commandPath(argv, opts.commands ?? COMMANDS);
      const hint = named ? `Run "mteb-ts help ${named}" for its options.` : 'Run "mteb-ts --help" for the commands.';
      process.stderr.write(redact(`error[E_USAGE] ${e.message}\n${hint}\n`));
      return 2;
    }
    if (isMtebError(e)) {
      const named = e.code === 'E_USAGE' ? commandPath(argv, opts.commands ?? COMMANDS) : null;
      process.stderr.write(redact(formatError(e)) + '\n' + (named ? `Run "mteb-ts help ${named}" for its options.\n` : ''));
      return exitCodeOf(e);
    }
    process.stderr.write(redact(`internal error: ${(e as Error)?.stack ?? String(e)}\n`));
    return 3;
  }
}

class UsageError extends Error {}

/** The command (and subcommand) the arguments name, e.g. `metrics retrieval`, or null. */
function commandPath(argv: readonly string[], commands: readonly CommandEntry[]): string | null {
  const words = argv.filter((a) => !a.startsWith('-'));
  const top = commands.find((c) => c.command.split(' ')[0] === words[0]);
  if (!top) return null;
  const sub = isGroup(top) ? top.subcommands.find((c) => c.command.split(' ')[0] === words[1]) : undefined;
  return sub ? `${words[0]} ${words[1]}` : words[0];
}

/**
 * `--no-color` / `--color` anywhere on the line set NO_COLOR / FORCE_COLOR for this process (src/util/color.ts
 * reads them) and are removed before parsing, so every command takes them.
 */
function applyColorFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (a === '--no-color') {
      process.env.NO_COLOR = '1';
      delete process.env.FORCE_COLOR;
    } else if (a === '--color') {
      process.env.FORCE_COLOR = '1';
      delete process.env.NO_COLOR;
    } else out.push(a);
  }
  return out;
}

/** argv -> the command's exit code; throws what main() maps to exit codes. */
async function parseAndRun(argv: string[], commands: readonly CommandEntry[]): Promise<number> {
  const width = Math.min(120, process.stdout.columns ?? 100);
  if (isTopLevelHelp(argv)) {
    process.stdout.write(renderTopLevelHelp(commands, width));
    return 0;
  }
  let exitCode = 0;
  const toYargs = (c: CommandEntry) =>
    isGroup(c)
      ? {
          command: c.command,
          describe: c.describe,
          builder: (y: Argv) => {
            for (const s of c.subcommands) y.command(toYargs(s));
            return y.demandCommand(1, `Name a ${c.command} subcommand.`);
          },
          // Never called: demandCommand refuses the group on its own.
          handler: () => {},
        }
      : {
          command: c.command,
          describe: c.describe,
          builder: (y: Argv) => declareOptions(y, c.options).epilogue(EPILOGUE),
          // yargs' parsed arguments, checked and converted by the command's own table (src/cli/option-table.ts).
          handler: async (args: InputOf<OptionTable>) => {
            exitCode = await c.handler(args);
          },
        };
  // Loaded here, not at the top: `mteb-ts --help` above does without it.
  const { default: yargs } = await import('yargs');
  const parser = yargs(argv)
    .scriptName('mteb-ts')
    .usage(USAGE)
    .strict()
    .demandCommand(1, 'Name a command (see the list above).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .epilogue(EPILOGUE)
    // `mteb-ts completion >> ~/.bashrc` (or ~/.zshrc): yargs' own completion script; hidden from the list.
    .completion('completion', false)
    // yargs would otherwise end the process itself after printing help; main() returns every exit code.
    .exitProcess(false)
    .wrap(width)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of commands) parser.command(toYargs(c));
  await parser.parseAsync();
  return exitCode;
}
