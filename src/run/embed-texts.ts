import type { Embedder, InstructionTask, Role } from '../core/embedder.js';
import { makeMatrix, type Matrix } from '../core/matrix.js';
import { runBounded } from '../util/bounded-lanes.js';
import { embedSlots } from './embed-slots.js';
import type { ProgressSink } from '../util/progress.js';

/**
 * Embeds texts in input order, sending each distinct text once (mteb dedups too, and duplicates are common:
 * pair-classification sentences, reranking candidates) in batches of `batchSize`.
 *
 * Up to `embedder.maxInFlight` batches are in flight at once (a server fleet is kept busy while one response
 * travels back and the next batch is prepared and cached); each batch's rows land at its own offset, so the
 * matrix is the same bytes as one batch at a time. A failing batch stops new ones, the batches in flight finish
 * (their vectors reach the cache's write buffer) and its error is thrown unchanged. The limit holds over all
 * calls on one embedder at once (embed-slots.ts): calls that overlap share the slots, an earlier call first.
 */
export async function embedTexts(
  embedder: Embedder,
  texts: string[],
  opts: { role: Role; instruction?: string; batchSize: number; progress: ProgressSink; label: string },
): Promise<Matrix> {
  const firstIndex = new Map<string, number>();
  const unique: string[] = [];
  const slot = new Int32Array(texts.length);
  texts.forEach((t, i) => {
    let u = firstIndex.get(t);
    if (u === undefined) {
      u = unique.length;
      firstIndex.set(t, u);
      unique.push(t);
    }
    slot[i] = u;
  });
  const dim = embedder.dimension;
  const uniq = makeMatrix(unique.length, dim);
  const batch = Math.max(1, Math.min(opts.batchSize, embedder.maxBatchSize ?? Infinity));
  // An embedder that can tell what it lacks (precomputed vectors) says so for the whole set, once.
  embedder.preflight?.(unique, { role: opts.role, instruction: opts.instruction });
  opts.progress.start(opts.label, unique.length);
  let done = 0;
  const slots = embedSlots(embedder);
  const call = slots.nextCall();
  // Set by the first failing batch: a batch still waiting for a slot then never starts (runBounded stops new
  // tasks, but one already queued in the slots would otherwise get the failed batch's slot).
  let failed = false;
  await runBounded(Math.ceil(unique.length / batch), slots.limit, async (b) => {
    const s = b * batch;
    const part = unique.slice(s, s + batch);
    const m = await slots.run(call, b, () =>
      failed
        ? Promise.resolve(undefined)
        : embedder.embed(part, { role: opts.role, instruction: opts.instruction }).catch((e: unknown) => {
            failed = true;
            throw e;
          }),
    );
    if (!m) return;
    uniq.data.set(m.data, s * dim);
    done += part.length;
    opts.progress.tick(done);
  });
  opts.progress.end();
  if (unique.length === texts.length) return uniq;
  const out = makeMatrix(texts.length, dim);
  for (let i = 0; i < texts.length; i++) out.data.set(uniq.data.subarray(slot[i] * dim, (slot[i] + 1) * dim), i * dim);
  return out;
}

/**
 * The instruction a role gets: the task file's (NV-Embed's; tasks without a known instruction get none), or what
 * the embedder's own `instructionFor` hook chooses from it (registered instruct models use mteb's per-task texts).
 */
export function instructionFor(
  spec: Partial<InstructionTask> & { instruction?: { query?: string | null; passage?: string | null } | null },
  role: Role,
  embedder?: Pick<Embedder, 'instructionFor'>,
): string | undefined {
  const ins = spec.instruction;
  const v = ins ? (role === 'query' ? ins.query : ins.passage) : undefined;
  const file = v ? v : undefined;
  if (!embedder?.instructionFor) return file;
  const chosen = embedder.instructionFor({ name: spec.name ?? '', type: spec.type ?? '', protocol: spec.protocol }, role, file);
  return chosen ? chosen : undefined;
}
