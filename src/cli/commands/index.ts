import type { CliCommand } from '../command.js';
import { runCommand, demoCommand } from './run.js';

/** Every subcommand, in the order `mteb-ts --help` lists them. */
export const COMMANDS: CliCommand[] = [runCommand, demoCommand];
