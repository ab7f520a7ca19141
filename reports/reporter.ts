import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';

/**
 * One output format. A reporter renders whichever of the three result kinds it supports; the CLI asks for
 * the kind it has and refuses formats that lack it. Every reporter must escape text that comes from result
 * files (model and task names, warnings), since those files are not ours.
 */
/** How the output will be shown; only the terminal table uses it. */
export interface RenderOptions {
  /** Terminal columns (a TTY's `process.stdout.columns`); undefined = full width (pipes, files). */
  width?: number;
}

export interface Reporter {
  name: ReportFormat;
  /** File extension for `--out` defaults. */
  extension: string;
  leaderboard?(lb: Leaderboard, opts?: RenderOptions): string;
  comparison?(cmp: Comparison, opts?: RenderOptions): string;
  gate?(verdict: GateVerdict, opts?: RenderOptions): string;
}

export type ReportFormat = 'table' | 'markdown' | 'html' | 'json' | 'junit' | 'github-summary';
export type ReportKind = 'leaderboard' | 'comparison' | 'gate';
