import type { ScalePlan } from './plan.js';
import { planHours } from './plan.js';

const millions = (t: number) => (t / 1e6).toFixed(t >= 1e8 ? 0 : t >= 1e6 ? 1 : 3);
const hours = (h: number) => (h >= 10 ? h.toFixed(1) : h.toFixed(h >= 0.01 ? 2 : 4));
const params = (p: number) => (p === 0 ? 'no model weights' : p >= 1e9 ? `${(p / 1e9).toFixed(2)}B parameters` : `${(p / 1e6).toFixed(1)}M parameters`);

/** Chunks of one corpus as `Task[0,3,6 of 9]`. */
function chunkList(chunks: ScalePlan['assignment']['shards'][number]['chunks']): string[] {
  const by = new Map<string, number[]>();
  const of = new Map<string, number>();
  for (const c of chunks) {
    by.set(c.task, [...(by.get(c.task) ?? []), c.chunk]);
    of.set(c.task, c.of);
  }
  return [...by].map(([t, cs]) => `${t}[chunks ${cs.join(',')} of ${of.get(t)}]`);
}

/**
 * The plan as printed: the model size used, one line per shard (estimated tokens, H100-hours, its tasks and
 * corpus chunks) and the balance. Fixed widths, no colour: the same bytes everywhere (the committed examples).
 */
export function renderPlan(plan: ScalePlan): string {
  const a = plan.assignment;
  const lines: string[] = [];
  lines.push(
    `plan: ${plan.count} shards, ${plan.tasks.filter((t) => !t.aggregate_of).length} tasks, ${a.method} (corpora over ${a.chunkRows} documents split into chunks)`,
  );
  lines.push(
    `model: ${plan.model} (${params(plan.modelSize.params)}, ${plan.modelSize.source}); cost = tokens x parameters, as H100-hours at 26k tokens/s for 7.85B`,
  );
  const unknown = a.costs.filter((c) => c.source === 'default').map((c) => c.task);
  if (unknown.length) lines.push(`no size known (default ${millions(a.costs.find((c) => c.source === 'default')!.tokens)}M tokens): ${unknown.join(', ')}`);
  lines.push('shard  tokens(M)  H100-h  work');
  // A split corpus's task is owned by one shard (it embeds nothing of the corpus there, only what is not chunked).
  const split = new Set(a.shards.flatMap((s) => s.chunks.map((c) => c.task)));
  for (const s of a.shards) {
    const work = [...s.tasks.map((t) => (split.has(t) ? `${t}(owner)` : t)), ...chunkList(s.chunks)];
    lines.push(`${String(s.index).padStart(5)}  ${millions(s.tokens).padStart(9)}  ${hours(planHours(plan, s.tokens)).padStart(6)}  ${work.join(', ') || '(nothing)'}`);
  }
  lines.push(
    `max ${millions(plan.maxTokens)}M, mean ${millions(plan.meanTokens)}M tokens per shard: balance max/mean ${plan.balance.toFixed(2)}; ` +
      `total ${hours(planHours(plan, plan.totalTokens))} H100-h, wall ≈ ${hours(planHours(plan, plan.maxTokens))} h on ${plan.count} GPUs`,
  );
  return lines.join('\n') + '\n';
}
