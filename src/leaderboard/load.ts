import { MtebError } from '../core/errors.js';
import { readResultFile } from '../results/parse.js';
import type { TaskResult } from '../results/types.js';

/** Parses each result file once per leaderboard build; a broken file becomes a warning for the task it serves. */
export class ResultCache {
  private readonly cache = new Map<string, TaskResult | MtebError>();

  get(file: string, task: string): TaskResult | MtebError {
    let hit = this.cache.get(file);
    if (!hit) {
      try {
        hit = readResultFile(file, task);
      } catch (e) {
        if (!(e instanceof MtebError)) throw e;
        hit = e;
      }
      this.cache.set(file, hit);
    }
    return hit;
  }
}
