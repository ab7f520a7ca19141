/**
 * Errors as data. Every failure a user can cause (bad file, missing split, NaN vector, unreachable server)
 * becomes an MtebError with a stable code and the location it concerns, so the CLI can print one precise
 * line and the runner can skip to the next task without losing what it already computed.
 */
import { redact } from './redact.js';
export type ErrorCode =
  | 'E_USAGE'
  | 'E_UNKNOWN_TASK'
  | 'E_UNKNOWN_BENCHMARK'
  | 'E_TASK_SCHEMA'
  | 'E_DATASET_NOT_FOUND'
  | 'E_SPLIT_MISSING'
  | 'E_FILE_MISSING'
  | 'E_PARSE'
  | 'E_COLUMN_MISSING'
  | 'E_BAD_VALUE'
  | 'E_EMBEDDING_NAN'
  | 'E_EMBEDDING_DIM'
  | 'E_EMBEDDING_MISSING'
  | 'E_MODEL_SPEC'
  | 'E_MODEL_LOAD'
  | 'E_PROVIDER_UNAVAILABLE'
  | 'E_DEPENDENCY_MISSING'
  | 'E_NETWORK'
  | 'E_RESULTS'
  | 'E_CACHE'
  | 'E_PARTS_MISSING'
  | 'E_INTERNAL';

export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  task?: string;
}

export class MtebError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MtebError';
    this.code = code;
    this.location = location;
  }

  /** A copy that also names the task, for errors raised deep inside a loader that did not know it. */
  withTask(task: string): MtebError {
    if (this.location.task) return this;
    return new MtebError(this.code, this.message, { ...this.location, task }, { cause: this.cause });
  }
}

/**
 * The exit-code table. Every user error exits 2 except those listed here, which a script must be able to tell
 * apart: `merge` with shard parts missing exits 4, so a scheduler's merge job (or a retry loop) can rerun the
 * missing shards instead of giving up (docs/scaling.md). 0 ok, 1 a task failed / a gate broken, 3 a crash.
 */
export const EXIT_CODES: Readonly<Partial<Record<ErrorCode, number>>> = { E_PARTS_MISSING: 4 };
export const EXIT_USER_ERROR = 2;
export const exitCodeOf = (e: MtebError): number => EXIT_CODES[e.code] ?? EXIT_USER_ERROR;

export function isMtebError(e: unknown): e is MtebError {
  return e instanceof MtebError;
}

/** One line for the user: `error[E_PARSE] task ArguAna: corpus.jsonl:17 field "_id": ...`. */
/** One line for a user: `error[CODE] location: message`, with every secret masked (src/core/redact.ts). */
export function formatError(e: unknown): string {
  return redact(formatErrorRaw(e));
}

function formatErrorRaw(e: unknown): string {
  if (!isMtebError(e)) {
    const msg = e instanceof Error ? e.message : String(e);
    return `error[E_INTERNAL] ${msg}`;
  }
  const where: string[] = [];
  if (e.location.task) where.push(`task ${e.location.task}`);
  if (e.location.file) {
    let f = e.location.file;
    if (e.location.line !== undefined) f += `:${e.location.line}`;
    where.push(f);
  }
  if (e.location.field) where.push(`field "${e.location.field}"`);
  return `error[${e.code}] ${where.length ? where.join(' ') + ': ' : ''}${e.message}`;
}
