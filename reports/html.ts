import type { Reporter } from './reporter.js';
import { comparisonHtml } from './html/comparison.js';
import { leaderboardHtml } from './html/leaderboard.js';

export { barsSvg, deltaBarsSvg, groupedBarsSvg, PALETTE, TOP_N } from './html/charts.js';
export { comparisonHtml } from './html/comparison.js';
export { leaderboardHtml } from './html/leaderboard.js';

/** One self-contained HTML file (inline CSS, inline SVG charts, an inline sort script for big tables). */
export const htmlReporter: Reporter = { name: 'html', extension: 'html', leaderboard: leaderboardHtml, comparison: comparisonHtml };
