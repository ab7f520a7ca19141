/** A group of input indices run together, padded to `seq` tokens. */
export interface Batch {
  indices: number[];
  seq: number;
}

/**
 * Sorts texts by token length (longest first) and cuts the sorted list into batches whose padded size
 * (rows x longest row) stays within `tokenBudget`, so memory is bounded; a batch also ends when a row would
 * be less than `minFill` of the batch's longest row, which bounds padding per row (without it, a big budget
 * lumps 5- and 20-token texts together). Callers write results back by index, restoring input order.
 */
export function tokenBudgetBatches(lengths: number[], tokenBudget: number, minFill = 0.75, maxBatch = Infinity, maxAttnCells = Infinity): Batch[] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  return packInOrder(order, lengths, tokenBudget, maxBatch, minFill, maxAttnCells);
}

/** Batches in the given order without sorting (the baseline the benchmark compares with). */
export function fixedOrderBatches(lengths: number[], tokenBudget: number, maxBatch = Infinity): Batch[] {
  return packInOrder(lengths.map((_, i) => i), lengths, tokenBudget, maxBatch, 0);
}

/**
 * `maxAttnCells` bounds rows x seq x seq, the size of one head's attention scores for the batch: with
 * unfused attention the [B, heads, L, L] scores, not the tokens, are what fills memory at long lengths.
 */
function packInOrder(order: number[], lengths: number[], tokenBudget: number, maxBatch: number, minFill: number, maxAttnCells = Infinity): Batch[] {
  const out: Batch[] = [];
  let cur: number[] = [];
  let seq = 0;
  for (const i of order) {
    const s = Math.max(seq, lengths[i], 1);
    const n = cur.length + 1;
    if (cur.length && (s * n > tokenBudget || s * s * n > maxAttnCells || cur.length >= maxBatch || Math.max(lengths[i], 1) < minFill * seq)) {
      out.push({ indices: cur, seq });
      cur = [];
      seq = 0;
    }
    cur.push(i);
    seq = Math.max(seq, lengths[i], 1);
  }
  if (cur.length) out.push({ indices: cur, seq });
  return out;
}

/** Share of padded positions among all positions the batches compute. */
export function paddingFraction(batches: Batch[], lengths: number[]): number {
  let total = 0;
  let real = 0;
  for (const b of batches) {
    total += b.seq * b.indices.length;
    for (const i of b.indices) real += Math.max(lengths[i], 1);
  }
  return total ? 1 - real / total : 0;
}
