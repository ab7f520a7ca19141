import type { CommandSpec } from '../command.js';
import type { ArgsOf, OptionTable } from '../option-table.js';
import { defaultDataDir } from '../../data/resolve.js';

export const downloadOptions = {
  tasks: { type: 'string', alias: 't', array: true, describe: 'task names or task files (comma-separated or repeated)' },
  benchmark: { type: 'string', alias: 'b', describe: 'every task of this benchmark' },
  'data-dir': { type: 'string', describe: `target folder (<dir>/<org>/<name>/); default $MTEB_TS_DATA_DIR or ${defaultDataDir({})}` },
  endpoint: { type: 'string', describe: 'hub endpoint (default $HF_ENDPOINT or https://huggingface.co)' },
  'all-files': { type: 'boolean', default: false, describe: 'download every file of each repo, not only the evaluated splits' },
  format: {
    type: 'string',
    alias: 'f',
    choices: ['table', 'json'],
    default: 'table',
    describe: 'stdout: one line per dataset repo, or one JSON object (each repo, revision, folder, files fetched/present, bytes)',
  },
} as const satisfies OptionTable;

export type DownloadArgs = ArgsOf<typeof downloadOptions>;

export const downloadSpec: CommandSpec<typeof downloadOptions> = {
  command: 'download',
  describe: 'Fetch the pinned dataset revisions of tasks from the Hugging Face hub into --data-dir',
  options: downloadOptions,
};
