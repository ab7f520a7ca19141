import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MtebError } from '../core/errors.js';
import { modelNameAsPath } from '../output/result-file.js';
import { safeJoin } from '../util/safe-path.js';
import { sweepOrphanTemps, writeFileAtomic } from '../util/atomic-write.js';
import { readJsonFile } from '../util/json-file.js';
import type { TaskSpec } from '../task-types/spec.js';
import { estimateTaskCost } from './cost.js';
import { ASSIGNMENT_METHOD } from './select-tasks.js';

/**
 * What a shard was run with. Each `run --shard i/n` records it (`.shards/<model>/<revision>/layout/shard-<i>.json`)
 * before it does any work, so `merge` can refuse parts made under different splits — a shard rerun with another
 * `n`, another task list or another corpus chunking would otherwise leave chunks and results that look complete
 * but do not add up to one run.
 */
export interface ShardLayout {
  index: number;
  count: number;
  /** Names of the tasks the run was given (aggregates excluded), sorted. */
  tasks: string[];
  /** Rows per corpus chunk of a split retrieval corpus. */
  chunkRows: number;
  model: string;
  revision: string;
  /**
   * What decided which shard owns which task: the rule and the token estimate of every task
   * (src/shard/select-tasks.ts assignShards). Absent in records of an mteb-ts that dealt tasks round-robin.
   */
  assignment?: AssignmentRecord;
}

export interface AssignmentRecord {
  method: string;
  /** Estimated tokens per task name (src/shard/cost.ts). */
  tokens: Record<string, number>;
}

/** The assignment inputs a shard records: the rule and the token estimates of the (non-aggregate) tasks. */
export function assignmentRecord(tasks: TaskSpec[]): AssignmentRecord {
  const costs = tasks.map(estimateTaskCost).sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  return { method: ASSIGNMENT_METHOD, tokens: Object.fromEntries(costs.map((c) => [c.task, c.tokens])) };
}

const describeAssignment = (a: AssignmentRecord | undefined) => (a ? a.method : 'round-robin (an older mteb-ts)');
const sameAssignment = (a: AssignmentRecord | undefined, b: AssignmentRecord | undefined) =>
  a?.method === b?.method && JSON.stringify(a?.tokens ?? null) === JSON.stringify(b?.tokens ?? null);

/** The tasks whose token estimates differ between two records (what made two shards deal differently). */
function estimateDiffs(a: AssignmentRecord, b: AssignmentRecord): string[] {
  const names = [...new Set([...Object.keys(a.tokens), ...Object.keys(b.tokens)])].sort();
  return names.filter((n) => a.tokens[n] !== b.tokens[n]).map((n) => `${n} ${a.tokens[n] ?? '-'} vs ${b.tokens[n] ?? '-'}`);
}

function layoutDir(outputDir: string, model: string, revision: string): string {
  return safeJoin(outputDir, '.shards', ['model name', modelNameAsPath(model)], ['revision', revision], 'layout');
}

export async function writeShardLayout(outputDir: string, layout: ShardLayout): Promise<void> {
  const dir = layoutDir(outputDir, layout.model, layout.revision);
  // A record's temp file left by a killed shard on this machine (host-aware, as everywhere).
  sweepOrphanTemps(dir);
  const file = path.join(dir, `shard-${layout.index}.json`);
  await writeFileAtomic(file, JSON.stringify({ ...layout, tasks: [...layout.tasks].sort() }, null, 2) + '\n');
}

/** The recorded layouts of this model's shards (none for shards of an older mteb-ts), by shard index. */
export function readShardLayouts(outputDir: string, model: string, revision: string): ShardLayout[] {
  const dir = layoutDir(outputDir, model, revision);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^shard-\d+\.json$/.test(n))
    .map((n) => readJsonFile(path.join(dir, n)).value as ShardLayout)
    .sort((a, b) => a.index - b.index);
}

/**
 * Every recorded layout must match what merge is asked to complete (shard count, task list, model, revision) and
 * one another (corpus chunking); otherwise one E_USAGE naming each shard that differs and how.
 */
export function checkShardLayouts(layouts: ShardLayout[], expected: { count: number; tasks: string[]; model: string; revision: string }): void {
  const want = { count: expected.count, tasks: [...expected.tasks].sort().join(','), model: expected.model, revision: expected.revision };
  const chunkRows = layouts[0]?.chunkRows;
  const assignment = layouts[0]?.assignment;
  const problems: string[] = [];
  for (const l of layouts) {
    const diff: string[] = [];
    if (l.count !== want.count) diff.push(`run with n = ${l.count}, merging n = ${want.count}`);
    if ([...l.tasks].sort().join(',') !== want.tasks) diff.push(`its tasks (${l.tasks.length}) differ from merge's (${expected.tasks.length})`);
    if (l.chunkRows !== chunkRows) diff.push(`corpus chunks of ${l.chunkRows} rows, shard ${layouts[0].index} used ${chunkRows}`);
    if (!sameAssignment(l.assignment, assignment)) {
      const how =
        l.assignment && assignment && l.assignment.method === assignment.method
          ? `its task cost estimates differ from shard ${layouts[0].index}'s (${estimateDiffs(l.assignment, assignment).slice(0, 3).join(', ')})`
          : `tasks dealt by ${describeAssignment(l.assignment)}, shard ${layouts[0].index} by ${describeAssignment(assignment)}`;
      diff.push(how);
    }
    if (l.index >= want.count) diff.push(`index ${l.index} is not below n = ${want.count}`);
    if (diff.length) problems.push(`shard ${l.index}/${l.count}: ${diff.join('; ')}`);
  }
  if (problems.length) {
    throw new MtebError(
      'E_USAGE',
      `cannot merge parts made under different shard layouts (rerun those shards with the same --shard n, tasks, task data and --shard-chunk-rows and the same mteb-ts, or merge with the layout they used):\n  ${problems.join('\n  ')}`,
    );
  }
}
