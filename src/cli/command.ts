import type { Argv } from 'yargs';

/**
 * A CLI subcommand: argument declarations plus a handler that calls the library and returns the exit code.
 * Handlers never call process.exit; main.ts maps thrown MtebErrors to one line on stderr and exit code 2.
 */
export interface CliCommand {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<any>;
  handler: (args: Record<string, any>) => Promise<number>;
  /** A command group (`mteb-ts metrics retrieval`): the group's own handler is never called. */
  subcommands?: CliCommand[];
}
