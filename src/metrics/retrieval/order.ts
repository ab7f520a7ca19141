/**
 * Orderings used by trec_eval and mteb.
 *
 * trec_eval compares doc ids with strcmp, i.e. bytes of UTF-8, and Python compares str by code point; both
 * orders are the same, but JS `<` compares UTF-16 code units, which differs when a character above U+FFFF
 * (a surrogate pair, 0xD800–0xDFFF) meets one in U+E000–U+FFFF. Hence compareCodePoints.
 */

/** <0, 0, >0 like strcmp on the UTF-8 encodings of a and b. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates sort after U+E000–U+FFFF in code point order.
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * trec_eval keeps a score as a C `float` (`TEXT_RESULTS.sim`), so scores equal after float32 rounding tie
 * there. `+ 0` folds -0 into +0 (C compares them equal).
 */
export function trecSim(score: number): number {
  return Math.fround(score) + 0;
}

/** trec_eval rank order (`comp_sim_docno`): sim descending, then doc id descending. True if (sa,ia) comes first. */
export function trecPrecedes(sa: number, ia: string, sb: number, ib: string): boolean {
  return sa > sb || (sa === sb && compareCodePoints(ia, ib) > 0);
}
