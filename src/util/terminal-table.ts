import Table from 'cli-table3';

/**
 * Box tables sized to the terminal. A table wider than `width` keeps its `frozen` leading columns (a row's name,
 * rank, average) and either drops the columns that do not fit (`overflow: 'drop'`, counted in a note) or moves
 * them to further tables below, each repeating the frozen columns (`'wrap'`). Without a width (not a TTY, a
 * file) the table is printed whole: pipes and files get every column. Any command can use it; nothing here
 * knows about leaderboards.
 */
export interface TerminalTableOptions {
  /** Terminal columns (`process.stdout.columns` on a TTY); undefined = no limit. */
  width?: number;
  /** Leading columns kept in every part (default 1). */
  frozen?: number;
  overflow?: 'drop' | 'wrap';
  /** Per column; default: first column left, the rest right. */
  align?: Array<'left' | 'right'>;
}

export interface FittedTable {
  text: string;
  /** Headers of the columns left out (`drop`). */
  dropped: string[];
  /** How many tables the columns were spread over (`wrap`). */
  parts: number;
}

/** Terminal text: control characters from data files must not reach the terminal. */
export const cleanCell = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** Display width (code points; result files hold names, not wide CJK art). */
const cellWidth = (s: string) => [...s].length;

/** What one column adds to a cli-table3 box: its text, one space each side, one border. */
const boxWidth = (w: number) => w + 3;

function truncate(s: string, w: number): string {
  const cs = [...s];
  return cs.length <= w ? s : cs.slice(0, Math.max(1, w - 1)).join('') + '…';
}

/**
 * Splits the non-frozen columns into groups that fit beside the frozen ones. Every group holds at least one
 * column, so a single over-wide column still shows (the terminal wraps it) instead of vanishing.
 */
export function fitColumns(widths: number[], frozen: number, width: number | undefined): number[][] {
  const rest = widths.map((_, i) => i).slice(frozen);
  if (width === undefined) return [rest];
  const base = 1 + widths.slice(0, frozen).reduce((a, w) => a + boxWidth(w), 0);
  const groups: number[][] = [];
  let cur: number[] = [];
  let used = base;
  for (const i of rest) {
    if (cur.length && used + boxWidth(widths[i]) > width) {
      groups.push(cur);
      cur = [];
      used = base;
    }
    cur.push(i);
    used += boxWidth(widths[i]);
  }
  if (cur.length || !groups.length) groups.push(cur);
  return groups;
}

function box(head: string[], rows: string[][], align: Array<'left' | 'right'>): string {
  const t = new Table({
    head,
    style: { head: [], border: [] },
    // No separator line between body rows: a 56-row table stays readable in a terminal.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: align as any,
  });
  for (const r of rows) t.push(r);
  return t.toString();
}

export function terminalTable(head: string[], rows: string[][], opts: TerminalTableOptions = {}): FittedTable {
  const frozen = Math.min(opts.frozen ?? 1, head.length);
  const align = head.map((_, i) => opts.align?.[i] ?? (i === 0 ? 'left' : 'right'));
  let h = head.map(cleanCell);
  let body = rows.map((r) => r.map(cleanCell));
  const widths = h.map((x, i) => Math.max(cellWidth(x), ...body.map((r) => cellWidth(r[i] ?? ''))));
  if (opts.width !== undefined) {
    // Frozen columns wider than the terminal (a 70-character model name): shorten the widest one.
    const over = 1 + widths.slice(0, frozen).reduce((a, w) => a + boxWidth(w), 0) - opts.width;
    if (over > 0) {
      const widest = widths.slice(0, frozen).indexOf(Math.max(...widths.slice(0, frozen)));
      widths[widest] = Math.max(8, widths[widest] - over);
      h = h.map((x, i) => (i === widest ? truncate(x, widths[i]) : x));
      body = body.map((r) => r.map((x, i) => (i === widest ? truncate(x, widths[i]) : x)));
    }
  }
  const groups = fitColumns(widths, frozen, opts.width);
  const keep = (cols: number[]) => [...Array(frozen).keys(), ...cols];
  const part = (cols: number[]) => {
    const idx = keep(cols);
    return box(idx.map((i) => h[i]), body.map((r) => idx.map((i) => r[i] ?? '')), idx.map((i) => align[i]));
  };
  if ((opts.overflow ?? 'wrap') === 'drop') {
    // Only what fits: a first column wider than the room left is dropped too.
    const base = 1 + widths.slice(0, frozen).reduce((a, w) => a + boxWidth(w), 0);
    const first = groups[0].length === 1 && opts.width !== undefined && base + boxWidth(widths[groups[0][0]]) > opts.width ? [] : groups[0];
    const dropped = groups.flat().filter((i) => !first.includes(i)).map((i) => head[i]);
    return { text: part(first), dropped, parts: 1 };
  }
  return { text: groups.map(part).join('\n'), dropped: [], parts: groups.length };
}

/**
 * Column widths for a word-wrapped cli-table3 table (long prose cells: descriptions, sources, notes) on a terminal
 * of `width` columns: the preferred widths when they fit (or when there is no terminal), else each column shrunk in
 * proportion to its preferred width, none below `min`, so the box fits and cli-table3 wraps the text inside.
 */
export function wrapWidths(preferred: readonly number[], width: number | undefined, min = 8): number[] {
  const borders = preferred.length + 1;
  const total = preferred.reduce((a, w) => a + w, 0) + borders;
  if (width === undefined || total <= width) return [...preferred];
  const room = Math.max(width - borders, min * preferred.length);
  const out = preferred.map(() => min);
  // Columns whose share would fall under `min` keep `min`; the rest share what is left in proportion.
  let free = [...preferred.keys()];
  let left = room;
  for (;;) {
    const sum = free.reduce((a, i) => a + preferred[i], 0);
    const small = free.filter((i) => Math.floor((preferred[i] * left) / sum) < min);
    if (!small.length || small.length === free.length) {
      for (const i of free) out[i] = Math.max(min, Math.floor((preferred[i] * left) / sum));
      break;
    }
    left -= small.length * min;
    free = free.filter((i) => !small.includes(i));
  }
  // Rounding down leaves a few columns over: give them to the widest columns, in order.
  let over = room - out.reduce((a, w) => a + w, 0);
  for (const i of [...out.keys()].sort((a, b) => preferred[b] - preferred[a] || a - b)) {
    if (over <= 0) break;
    out[i]++;
    over--;
  }
  return out;
}
