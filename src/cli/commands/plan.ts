import path from 'node:path';
import { defineCommand } from '../command.js';
import { selectTasks } from '../../run/run-cli.js';
import { buildPlan, k8sFiles, renderPlan, slurmFiles, writePlanFiles } from '../../shard/plan/index.js';
import { redact } from '../../core/redact.js';
import { checkModelSpec } from '../../embedders/resolve.js';
import { modelAndTaskOptions } from '../options/run.js';
import { planRunOptions, planSpec, type PlanArgs } from '../options/plan.js';
import { argvOf } from '../options/plan-argv.js';

/**
 * `mteb-ts plan --scheduler slurm|k8s -n N <run options>`: the cost-balanced split every shard will compute
 * (printed), and the files that submit it (written to --plan-dir). Loads no model: the plan needs only the
 * task list and the model spec.
 */
export async function plan(a: PlanArgs): Promise<number> {
  // The model is not opened here (a login node may not hold it), but its spec's form is checked now: a job that
  // would fail on it must not wait in the queue first.
  checkModelSpec(a.model);
  const tasks = selectTasks(a, process.cwd(), (m) => process.stderr.write(`warning: ${redact(m)}\n`));
  const p = buildPlan({
    tasks,
    count: a.shards,
    chunkRows: a.shardChunkRows,
    model: a.model,
    modelParams: a.modelParams,
    runArgs: argvOf(planRunOptions, a),
    mergeArgs: argvOf(modelAndTaskOptions, a),
    launcher: a.launcher,
    name: a.jobName,
  });
  const files =
    a.scheduler === 'slurm'
      ? slurmFiles(p)
      : k8sFiles(p, { image: a.image, volumeClaim: a.volumeClaim, mountPath: a.mountPath, gpus: a.gpus, retriesPerIndex: a.retriesPerIndex });
  process.stdout.write(renderPlan(p));
  const written = await writePlanFiles(path.resolve(a.planDir), files);
  process.stderr.write(`wrote ${written.map((f) => path.relative(process.cwd(), f) || f).join(', ')}\n`);
  return 0;
}

export const planCommand = defineCommand(planSpec, plan);
