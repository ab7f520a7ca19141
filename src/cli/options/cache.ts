import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';

export const cacheOptions = {
  action: { type: 'string', positional: true, demandOption: true, choices: ['info', 'verify', 'prune'], describe: 'what to do' },
  'cache-dir': { type: 'string', default: '.mteb-ts-cache', describe: 'embedding cache folder' },
  fix: { type: 'boolean', default: false, describe: 'verify: set corrupt chunks aside (re-embedded on next use)' },
  'keep-fingerprint': { type: 'string', array: true, describe: 'prune: keep only these model fingerprints (name@revision)' },
  'older-than': { type: 'number', min: 0, describe: 'prune: drop namespaces untouched for this many days' },
  'dry-run': { type: 'boolean', default: false, describe: 'prune: list what would go' },
  format: { type: 'string', alias: 'f', choices: ['text', 'json'], default: 'text', describe: 'stdout: lines, or one JSON document (the report of the action)' },
  json: { type: 'boolean', default: false, describe: 'same as --format json' },
} as const satisfies OptionTable;

export type CacheArgs = ArgsOf<typeof cacheOptions>;

export const cacheSpec: CommandSpec<typeof cacheOptions> = {
  command: 'cache <action>',
  describe: 'Inspect (info), check (verify) or clean (prune) the embedding cache',
  options: cacheOptions,
};
