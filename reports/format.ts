import { pyRound } from '../src/leaderboard/round.js';
import type { TaskRule } from '../src/leaderboard/rules.js';

/**
 * Two decimals as the leaderboard shows them (Python's `round(x, 2)`: half-even on the exact binary value, so
 * 56.3149… is 56.31 where numpy's multiply-then-round gives 56.32); blank for a missing value.
 */
export function fmt(x: number | null | undefined, blank = ''): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return blank;
  return pyRound(x, 2).toFixed(2);
}

export function fmtDelta(x: number | null | undefined, blank = ''): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return blank;
  // pyRound is symmetric in sign: a delta and its negation print as the same digits (compare vs gate).
  const r = pyRound(x, 2);
  return `${r > 0 ? '+' : r < 0 ? '' : '±'}${r.toFixed(2)}`;
}

export function fmtP(p: number | undefined): string {
  if (p === undefined) return '';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** Column label the original leaderboard used: `STS22 (en)` for multilingual subsets. */
export function taskLabel(t: TaskRule): string {
  const s = t.subsets.filter((x) => x !== 'default');
  return s.length ? `${t.name} (${s.join(', ')})` : t.name;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Markdown-safe inline text (never at a line start): no HTML, no table breaks, no emphasis/link syntax, one line. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    // Brackets stop link/image syntax, | table breaks, the rest emphasis and code; ( ) # + ! are harmless mid-line.
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

export function escapeXml(s: string): string {
  // XML 1.0 forbids most control characters even as references.
  return escapeHtml(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'));
}
