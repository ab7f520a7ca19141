import type { CommandSpec } from '../command.js';
import { MtebError } from '../../core/errors.js';
import { parseArgs, type ArgsOf, type OptionTable } from '../option-table.js';
import { runOptions, runSpec } from './run.js';

/** `run`'s options minus the two a plan sets itself (every job gets `--shard auto --shards N`). */
const { shard: _shard, shards: _shards, ...planRunOptions } = runOptions;
export { planRunOptions };

export const planOptions = {
  scheduler: { type: 'string', choices: ['slurm', 'k8s'], demandOption: true, describe: 'write a Slurm array job + merge job, or a Kubernetes Indexed Job + merge Job' },
  shards: { type: 'number', alias: 'n', integer: true, min: 1, demandOption: true, describe: 'N, the number of shards (array elements / indexes)' },
  ...planRunOptions,
  'plan-dir': { type: 'string', default: 'mteb-ts-plan', describe: 'folder the scheduler files are written to (the plan is also printed)' },
  launcher: { type: 'string', default: 'mteb-ts', describe: 'how a job starts mteb-ts, e.g. "npx mteb-ts" or "node /opt/mteb-ts/bin/mteb-ts.js"' },
  'job-name': { type: 'string', default: 'mteb-ts', describe: 'job name prefix (Slurm job names, Kubernetes Job names: lowercase, digits, -)' },
  'model-params': { type: 'number', min: 1, describe: 'model parameters for the cost estimate (default: known models, else 7e9)' },
  image: { type: 'string', default: 'mteb-ts:latest', describe: 'k8s: container image with mteb-ts' },
  'volume-claim': { type: 'string', default: 'mteb-ts-shared', describe: 'k8s: PersistentVolumeClaim (ReadWriteMany) shared by all pods: results, cache, data' },
  'mount-path': { type: 'string', default: '/shared', describe: 'k8s: where the claim is mounted; the pods work there' },
  gpus: { type: 'number', integer: true, min: 0, default: 1, describe: 'k8s: nvidia.com/gpu per pod (0: none)' },
  'retries-per-index': { type: 'number', integer: true, min: 0, default: 2, describe: 'k8s: backoffLimitPerIndex, retries of one shard before it fails' },
} as const satisfies OptionTable;

export type PlanArgs = ArgsOf<typeof planOptions>;

export const planSpec: CommandSpec<typeof planOptions> = {
  command: 'plan',
  describe: 'Plan a sharded run for a scheduler: print the cost-balanced split and write Slurm / Kubernetes job files',
  options: planOptions,
  check(a) {
    // The run options, checked by run's own table and checks, as each shard will run them.
    runSpec.check?.(parseArgs(runOptions, { ...a, shard: 'auto', shards: a.shards }));
    if (!/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/.test(a.jobName))
      throw new MtebError('E_USAGE', `--job-name "${a.jobName}": use lowercase letters, digits and - (a Kubernetes name, at most 42 characters)`, { field: 'job-name' });
  },
};
