import { compareUtf8 } from '../../search/id-order.js';
import type { ChunkList, ListPart } from './format.js';

/**
 * One query's top-k from every chunk's list, heads and, where a chunk's head runs out, its tail: a k-way merge (a
 * heap of the chunks' next entries) under the single-process search's total order (canonical score desc, then doc
 * id desc by UTF-8 bytes: `compareUtf8`, the order RankedList keeps). The general case, for the rare query that
 * takes more than its head from some chunk (run-merge.ts handles the others faster and says when it cannot).
 */
export function heapMerge(lists: readonly ChunkList[], q: number, k: number): { ids: string[]; scores: Float32Array } {
  const nChunks = lists.length;
  const heap = new Int32Array(nChunks);
  // Per chunk, the part its cursor is in (head, then tail), the position and the part's end for this query.
  const part: ListPart[] = lists.map((l) => l.head);
  const inTail = new Uint8Array(nChunks);
  const at = new Uint32Array(nChunks);
  const end = new Uint32Array(nChunks);
  // Each chunk's next score, kept here so the heap compares without going through the chunk's arrays.
  const cur = new Float64Array(nChunks);
  const idAt = (c: number): string => lists[c].id(part[c].refs[at[c]]);
  // Chunk a's next entry ranks before chunk b's.
  const before = (a: number, b: number): boolean => {
    const sa = cur[a];
    const sb = cur[b];
    return sa > sb || (sa === sb && compareUtf8(idAt(a), idAt(b)) > 0);
  };
  const down = (i: number, size: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const m = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[m], heap[i])) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  let size = 0;
  let total = 0;
  for (let c = 0; c < nChunks; c++) {
    at[c] = part[c].starts[q];
    end[c] = part[c].starts[q + 1];
    total += lists[c].counts[q];
    if (at[c] < end[c]) {
      cur[c] = part[c].scores[at[c]];
      heap[size++] = c;
    }
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) down(i, size);
  const n = Math.min(k, total);
  const ids = new Array<string>(n);
  const scores = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const c = heap[0];
    ids[r] = idAt(c);
    scores[r] = cur[c];
    if (++at[c] < end[c]) cur[c] = part[c].scores[at[c]];
    else {
      // The head of this query in chunk c is used up: go on in its tail, if it has one.
      const tp = !inTail[c] && lists[c].counts[q] > lists[c].header.head ? lists[c].tail() : undefined;
      if (tp) {
        part[c] = tp;
        inTail[c] = 1;
        at[c] = tp.starts[q];
        end[c] = tp.starts[q + 1];
        cur[c] = tp.scores[at[c]];
      } else heap[0] = heap[--size];
    }
    down(0, size);
  }
  return { ids, scores };
}
