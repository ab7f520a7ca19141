import { pyRound } from '../../src/leaderboard/round.js';
import type { Leaderboard, ModelRow } from '../../src/leaderboard/types.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const mean = (xs: Array<number | null>) => (xs.some((x) => x === null) || !xs.length ? null : (xs as number[]).reduce((a, b) => a + b, 0) / xs.length);

/**
 * A leaderboard of `n` models for rendering tests (the 300+ model HTML report), grown from a real one: the real
 * rows first, then copies of its complete rows, each moved down by up to 12 points and every task value by up to
 * ±2 more (deterministic, seeded), renamed `synthetic-NNN/<model>`; every 7th copy lacks 1-3 tasks, so blank averages with their reason
 * appear. Averages and ranks are recomputed as the MTEB(eng, v1) table computes them (means of 2-decimal values,
 * ranked by average, blanks last). No files are written: only the renderers are under test.
 */
export function syntheticLeaderboard(real: Leaderboard, n: number, seed = 20261206): Leaderboard {
  const rnd = mulberry32(seed);
  const complete = real.models.filter((m) => m.average !== null);
  const rows: ModelRow[] = real.models.map((m) => structuredClone(m));
  for (let i = rows.length; i < n; i++) {
    const t = complete[i % complete.length];
    const row = structuredClone(t);
    row.model = `synthetic-${String(i).padStart(3, '0')}/${t.model.split('/').pop()}`;
    row.warnings = [];
    const shift = -rnd() * 12;
    const drop = i % 7 === 0 ? 1 + (i % 3) : 0;
    const names = real.tasks.map((x) => x.name);
    const dropped = new Set(Array.from({ length: drop }, (_, k) => names[(i * 13 + k * 17) % names.length]));
    for (const name of names) {
      const ts = row.tasks[name];
      if (dropped.has(name)) {
        ts.value = null;
        ts.raw = null;
        ts.warnings = [`${name}: missing (no result file)`];
      } else if (ts.value !== null) {
        ts.value = pyRound(Math.min(100, Math.max(0, ts.value + shift + (rnd() - 0.5) * 4)), 2);
      }
    }
    for (const c of real.categories) row.categories[c] = mean(real.tasks.filter((x) => x.category === c).map((x) => row.tasks[x.name].value));
    row.average = mean(names.map((x) => row.tasks[x].value));
    if (dropped.size) row.warnings.push(`average blank: ${dropped.size} of ${names.length} tasks missing (${[...dropped].join(', ')})`);
    rows.push(row);
  }
  rows.sort((a, b) => (a.average === null || b.average === null ? (a.average === null ? (b.average === null ? a.model.localeCompare(b.model) : 1) : -1) : b.average - a.average || a.model.localeCompare(b.model)));
  rows.forEach((r, i) => (r.rank = r.average === null ? null : i + 1));
  return { ...real, models: rows };
}
