import yargs from 'yargs';
import { formatError, isMtebError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { CliCommand } from './command.js';
import { COMMANDS } from './commands/index.js';

/**
 * The only place that touches argv and exit codes. Each subcommand is a thin shell over library functions;
 * a user error (MtebError) prints one line and exits 2, anything else prints the stack and exits 3. Every line
 * printed here passes through the one redaction function (src/core/redact.ts): a URL's user:password, a key in
 * a query string or a header never reaches stderr.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const wrap = (cmd: CliCommand): any => ({
    command: cmd.command,
    describe: cmd.describe,
    builder: cmd.subcommands
      ? (y: any) => {
          for (const s of cmd.subcommands!) y.command(wrap(s));
          return cmd.builder(y).demandCommand(1, `Name a ${cmd.command} subcommand.`);
        }
      : cmd.builder,
    handler: async (args: Record<string, any>) => {
      exitCode = await cmd.handler(args);
    },
  });
  const parser = yargs(argv)
    .scriptName('mteb-ts')
    .usage('$0 <command> [options]\n\nEvaluate text-embedding models on MTEB/BEIR with the scores the Python mteb package gives.')
    .strict()
    .demandCommand(1, 'Name a command (see the list above).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const c of COMMANDS) parser.command(wrap(c));
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(redact(`error[E_USAGE] ${e.message}\nRun "mteb-ts --help" for the commands.\n`));
      return 2;
    }
    if (isMtebError(e)) {
      process.stderr.write(redact(formatError(e)) + '\n');
      return 2;
    }
    process.stderr.write(redact(`internal error: ${(e as Error)?.stack ?? String(e)}\n`));
    return 3;
  }
}

class UsageError extends Error {}
