import { MtebError } from '../core/errors.js';
import { readResultFile, type ReadPlan } from '../results/parse.js';
import type { TaskResult } from '../results/types.js';
import type { BenchmarkRules } from './rules.js';

/**
 * What the benchmark's rules read of each task's files (CQADupstack forums: what the aggregate's rule reads):
 * the rule's split and its stand-ins (`splitMislabels`), and the rule's subsets. Everything else in a file is
 * left unflattened and unheld (see ReadPlan in src/results/parse.ts).
 */
export function readPlans(bench: BenchmarkRules): Map<string, ReadPlan> {
  const plans = new Map<string, ReadPlan>();
  for (const rule of bench.tasks) {
    const plan: ReadPlan = { splits: new Set([rule.split, ...(bench.splitMislabels[rule.split] ?? [])]), subsets: new Set(rule.subsets) };
    for (const task of [rule.name, ...(rule.aggregateOf ?? [])]) plans.set(task, plan);
  }
  return plans;
}

/** Parses each result file once per leaderboard build; a broken file becomes a warning for the task it serves. */
export class ResultCache {
  private readonly cache = new Map<string, TaskResult | MtebError>();

  /** `plans`: task name -> what will be read of its files (readPlans); without, files are read whole. */
  constructor(private readonly plans?: ReadonlyMap<string, ReadPlan>) {}

  get(file: string, task: string): TaskResult | MtebError {
    let hit = this.cache.get(file);
    if (!hit) {
      try {
        hit = readResultFile(file, task, this.plans?.get(task));
      } catch (e) {
        if (!(e instanceof MtebError)) throw e;
        hit = e;
      }
      this.cache.set(file, hit);
    }
    return hit;
  }
}
