/** A word for a POSIX shell: kept bare when it holds only safe characters, else single-quoted. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export const shellJoin = (words: readonly string[]): string => words.map(shellQuote).join(' ');
