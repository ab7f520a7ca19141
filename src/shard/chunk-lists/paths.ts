import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a split corpus's parts live: per (task, split, subset) folder under `<out>/.shards/...`, chunk c of N has
 * its top-k list `chunk-c-of-N.topk` (format.ts) and, written after it, its marker `chunk-c-of-N.done`.
 */
export function chunkMarker(markerDir: string, chunk: number, nChunks: number): string {
  return path.join(markerDir, `chunk-${chunk}-of-${nChunks}.done`);
}

export function chunkListPath(markerDir: string, chunk: number, nChunks: number): string {
  return path.join(markerDir, `chunk-${chunk}-of-${nChunks}.topk`);
}

/** A chunk is done when its marker and its list are both there (a marker alone: made by an older version). */
export function chunkDone(markerDir: string, chunk: number, nChunks: number): boolean {
  return existsSync(chunkMarker(markerDir, chunk, nChunks)) && existsSync(chunkListPath(markerDir, chunk, nChunks));
}

/** Chunks of a split corpus not yet done (marker + list), or null when the task was not split at all. */
export function missingChunks(markerDir: string): { missing: number[]; total: number } | null {
  if (!existsSync(markerDir)) return null;
  const names = readdirSync(markerDir).filter((n) => /^chunk-\d+-of-\d+\.(done|topk)$/.test(n));
  if (!names.length) return null;
  const total = Number(/of-(\d+)/.exec(names[0])![1]);
  const missing: number[] = [];
  for (let c = 0; c < total; c++) if (!chunkDone(markerDir, c, total)) missing.push(c);
  return { missing, total };
}
