import type { Comparison } from '../src/compare/types.js';
import type { GateVerdict } from '../src/gate/gate.js';
import type { Leaderboard } from '../src/leaderboard/types.js';

/**
 * One output format. A reporter renders whichever of the three result kinds it supports; the CLI asks for
 * the kind it has and refuses formats that lack it. Every reporter must escape text that comes from result
 * files (model and task names, warnings), since those files are not ours.
 */
export interface Reporter {
  name: ReportFormat;
  /** File extension for `--out` defaults. */
  extension: string;
  leaderboard?(lb: Leaderboard): string;
  comparison?(cmp: Comparison): string;
  gate?(verdict: GateVerdict): string;
}

export type ReportFormat = 'table' | 'markdown' | 'html' | 'json' | 'junit' | 'github-summary';
export type ReportKind = 'leaderboard' | 'comparison' | 'gate';
