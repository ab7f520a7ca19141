export { buildPlan, planHours, type PlanInput, type ScalePlan } from './plan.js';
export { renderPlan } from './render.js';
export { slurmFiles } from './slurm.js';
export { k8sFiles, shardJob, mergeJob, DEFAULT_K8S, type K8sOptions } from './k8s.js';
export { writePlanFiles } from './write.js';
export type { PlanFile } from './files.js';
export { toYaml, type Yaml } from './yaml.js';
