/**
 * trec_eval ranks equal scores by doc id descending with strcmp, i.e. by UTF-8 bytes. UTF-8 byte order equals
 * code point order, which differs from JS's UTF-16 code unit order only when a surrogate (astral character)
 * meets a BMP character at or above U+E000; the remap below moves surrogates above that range.
 */
function codePointRank(c: number): number {
  if (c < 0xd800) return c;
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/** <0 if a sorts before b in UTF-8 byte order, 0 if equal, >0 otherwise. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

export interface Scored {
  id: string;
  score: number;
}

/** Rank order of a run: score descending, then doc id descending by UTF-8 bytes. */
export function rankOrder(a: Scored, b: Scored): number {
  if (a.score !== b.score) return b.score - a.score;
  return compareUtf8(b.id, a.id);
}
