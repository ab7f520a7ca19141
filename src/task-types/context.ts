import type { DatasetSource } from '../data/source.js';
import type { EvalContext } from './adapter.js';

/**
 * The arguments every type's split loader takes, from an adapter's context: its resolved dataset, the task (for
 * error locations), split, hf_subset and --limit.
 */
export function splitArgs<S extends { name: string }>(ctx: EvalContext<S>): [DatasetSource, S, string, string, { limit?: number }] {
  return [ctx.source as DatasetSource, ctx.spec, ctx.split, ctx.subset, { limit: ctx.limit }];
}
