/** Levenshtein distance on lower-cased strings (names differ mostly by case, typos and suffixes). */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `n` candidates close to `name`: substring matches first, then by edit distance within a third of the length. */
export function closeNames(name: string, candidates: string[], n = 3): string[] {
  const low = name.toLowerCase();
  const scored = candidates.map((c) => {
    const cl = c.toLowerCase();
    const sub = low.length >= 3 && (cl.includes(low) || low.includes(cl));
    return { c, d: sub ? 0 : editDistance(name, c) };
  });
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((s) => s.c);
}
